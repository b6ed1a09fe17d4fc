/**
 * Suggesting mode and the rules the editor keeps within the text: Editing / Suggesting / Viewing,
 * the "drafters must suggest" policy, agreed clauses locked, and tracked changes drawn in their
 * author's role colour. Remote transactions (y-prosemirror's, marked with its meta) pass untouched:
 * what a peer did is never turned into our suggestion, and never refused here.
 */
import { suggestChanges, suggestChangesKey } from '@handlewithcare/prosemirror-suggest-changes';
import { changeAttrs, changeMarkOf, DECISION_META, suggestTransaction, TRACKED_META, type ChangeAuthor } from '@shared/changes';
import { changedRanges } from '@shared/clauseIds';
import { type Role, roleColors, roleLabels } from '@shared/permissions';
import type { Node } from 'prosemirror-model';
import { type EditorState, Plugin, PluginKey, type Transaction } from 'prosemirror-state';
import { AddMarkStep, RemoveMarkStep, type Step } from 'prosemirror-transform';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';

/** How typing is treated. */
export type EditorMode = 'editing' | 'suggesting' | 'viewing';

/** The mode plugin's state. */
export interface ModeState {
  mode: EditorMode;
  /** The policy requires suggesting: Editing is not available. */
  forced: boolean;
}

/** Key of the mode plugin; meta `{ mode?, forced? }` changes it. */
export const modeKey = new PluginKey<ModeState>('accord-mode');

/** True for transactions y-prosemirror made from remote changes (or from the per-user undo). */
export function isRemote(tr: Transaction): boolean {
  const meta = tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean; isUndoRedoOperation?: boolean } | undefined;
  return meta?.isChangeOrigin === true || meta?.isUndoRedoOperation === true;
}

/** The current mode of an editor state ('editing' when the plugin is absent). */
export function modeOf(state: EditorState): ModeState {
  return modeKey.getState(state) ?? { mode: 'editing', forced: false };
}

function modePlugin(initial: ModeState): Plugin<ModeState> {
  return new Plugin<ModeState>({
    key: modeKey,
    state: {
      init: () => initial,
      apply: (tr, value) => {
        const meta = tr.getMeta(modeKey) as Partial<ModeState> | undefined;
        if (!meta) return value;
        const forced = meta.forced ?? value.forced;
        let mode = meta.mode ?? value.mode;
        if (forced && mode === 'editing') mode = 'suggesting';
        return { mode, forced };
      },
    },
  });
}

/** Changes the mode of a view (Editing is refused while the policy forces suggesting). */
export function setEditorMode(view: EditorView, mode: EditorMode, forced?: boolean): void {
  view.dispatch(view.state.tr.setMeta(modeKey, forced === undefined ? { mode } : { mode, forced }));
}

/**
 * Whether a local transaction must be tracked: in suggesting mode, when it changes the document and
 * is not already tracked, a decision, an undo or a remote change.
 */
function mustTrack(state: EditorState, tr: Transaction): boolean {
  if (modeOf(state).mode !== 'suggesting' || !tr.docChanged || isRemote(tr)) return false;
  if (tr.getMeta(TRACKED_META) || tr.getMeta(DECISION_META)) return false;
  const skip = tr.getMeta(suggestChangesKey) as { skip?: boolean } | undefined;
  return !skip?.skip;
}

/** What the editor's dispatch needs to track suggestions. */
export interface TrackOptions {
  author: ChangeAuthor;
  /** Told when an edit could not be suggested and was dropped. */
  onRefused: (reason: 'foreign-insertion' | 'unsupported') => void;
}

/**
 * The transaction to apply for `tr`: tracked in suggesting mode, as it is otherwise; null when it
 * must be dropped (it cannot be suggested).
 */
export function transactionFor(state: EditorState, tr: Transaction, { author, onRefused }: TrackOptions): Transaction | null {
  if (!mustTrack(state, tr)) return tr;
  const out = suggestTransaction(state, tr, author);
  if (out.ok) return out.tr;
  onRefused(out.reason);
  return null;
}

/**
 * In Editing mode, text typed or pasted is a direct edit: it must not inherit a neighbouring
 * suggestion's mark (it would be attributed to that suggestion's author).
 */
function plainEditsPlugin(): Plugin {
  return new Plugin({
    appendTransaction(transactions, _old, state) {
      if (modeOf(state).mode === 'suggesting') return null;
      const local = transactions.filter(
        (tr) => tr.docChanged && !isRemote(tr) && !tr.getMeta(TRACKED_META) && !tr.getMeta(DECISION_META),
      );
      if (local.length === 0) return null;
      const tr = state.tr;
      const { insertion, deletion } = state.schema.marks;
      for (const range of changedRanges(local)) {
        if (range.from >= range.to) continue;
        if (state.doc.rangeHasMark(range.from, range.to, insertion!)) tr.removeMark(range.from, range.to, insertion);
        if (state.doc.rangeHasMark(range.from, range.to, deletion!)) tr.removeMark(range.from, range.to, deletion);
      }
      return tr.docChanged ? tr.setMeta('addToHistory', false) : null;
    },
  });
}

/** Ranges a step touches in the document it applies to (mark steps included, which map nothing). */
function stepRanges(step: Step): { from: number; to: number }[] {
  if (step instanceof AddMarkStep || step instanceof RemoveMarkStep) return [{ from: step.from, to: step.to }];
  const ranges: { from: number; to: number }[] = [];
  step.getMap().forEach((from, to) => ranges.push({ from, to }));
  const s = step as unknown as { pos?: number };
  if (ranges.length === 0 && typeof s.pos === 'number') ranges.push({ from: s.pos, to: s.pos + 1 });
  return ranges;
}

/** Ids of the clauses whose content a range touches in `doc`. */
function clausesIn(doc: Node, from: number, to: number): string[] {
  const ids: string[] = [];
  doc.nodesBetween(from, Math.max(to, from), (node, pos) => {
    if (node.type.name !== 'clause') return true;
    // The clause's content runs from pos + 1 to pos + nodeSize - 1; a range touching it changes the clause.
    const inside = from <= pos + node.nodeSize - 1 && to >= pos + 1;
    if (inside && typeof node.attrs.id === 'string') ids.push(node.attrs.id);
    return false;
  });
  return ids;
}

/** The clause ids a local transaction touches. */
export function touchedClauseIds(tr: Transaction): string[] {
  const ids = new Set<string>();
  tr.steps.forEach((step, i) => {
    const doc = tr.docs[i];
    if (!doc) return;
    for (const range of stepRanges(step)) for (const id of clausesIn(doc, range.from, range.to)) ids.add(id);
  });
  return [...ids];
}

/**
 * Refuses local transactions that touch a locked clause (agreed clauses, for everyone but Co-Chairs
 * and the Secretariat). Remote transactions always pass: the server flags what it must.
 */
function clauseLockPlugin(isLocked: (clauseId: string) => boolean, onBlocked: (clauseId: string) => void): Plugin {
  return new Plugin({
    filterTransaction(tr) {
      if (!tr.docChanged || isRemote(tr)) return true;
      const locked = touchedClauseIds(tr).find(isLocked);
      if (locked === undefined) return true;
      onBlocked(locked);
      return false;
    },
  });
}

/** Key of the change-colour plugin; dispatch its meta to redraw after the members changed. */
export const changeColorsKey = new PluginKey<DecorationSet>('accord-change-colors');

function changeDecorations(doc: Node, roleOf: (userId: string) => Role | null): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (!node.isText) return true;
    const mark = changeMarkOf(node);
    if (!mark) return false;
    const attrs = changeAttrs(mark);
    const role = attrs.authorId ? roleOf(attrs.authorId) : null;
    const color = role ? roleColors[role] : '#64748b';
    const when = attrs.at ? new Date(attrs.at).toLocaleString() : '';
    const verb = mark.type.name === 'insertion' ? 'Suggested insertion' : 'Suggested deletion';
    const who = attrs.authorName ? `${attrs.authorName}${role ? ` (${roleLabels[role]})` : ''}` : 'an unknown author';
    decorations.push(
      Decoration.inline(pos, pos + node.nodeSize, {
        class: `change-span change-${mark.type.name}`,
        style: `--change-color: ${color}`,
        title: `${verb} by ${who}${when ? ` · ${when}` : ''}`,
        'data-change-id': String(attrs.id),
        'data-author-id': attrs.authorId ?? '',
      }),
    );
    return false;
  });
  return DecorationSet.create(doc, decorations);
}

function changeColorsPlugin(roleOf: (userId: string) => Role | null): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: changeColorsKey,
    state: {
      init: (_config, state) => changeDecorations(state.doc, roleOf),
      apply: (tr, previous) =>
        tr.docChanged || tr.getMeta(changeColorsKey) ? changeDecorations(tr.doc, roleOf) : previous.map(tr.mapping, tr.doc),
    },
    props: { decorations: (state) => changeColorsKey.getState(state) },
  });
}

/** Options of {@link trackChangesPlugins}. */
export interface TrackChangesOptions {
  initial: ModeState;
  isLocked: (clauseId: string) => boolean;
  onBlocked: (clauseId: string) => void;
  roleOf: (userId: string) => Role | null;
}

/** The plugins of suggesting mode, the clause lock and the change colours. */
export function trackChangesPlugins(options: TrackChangesOptions): Plugin[] {
  return [
    modePlugin(options.initial),
    suggestChanges(),
    plainEditsPlugin(),
    clauseLockPlugin(options.isLocked, options.onBlocked),
    changeColorsPlugin(options.roleOf),
  ];
}
