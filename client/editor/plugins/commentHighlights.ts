import type { Anchor, Thread } from '@shared/api/threads';
import { type AnchorContext, type ProsemirrorMapping, resolveAnchor } from '@shared/comments/anchor';
import type { Node } from 'prosemirror-model';
import { type EditorState, Plugin, PluginKey, TextSelection } from 'prosemirror-state';
import { Mapping, StepMap } from 'prosemirror-transform';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';
import { ySyncPluginKey } from 'y-prosemirror';
import type * as Y from 'yjs';
import type { Placement } from '../../comments/filters';
import { setActiveThread, setPlacements, useComments } from '../../comments/store';
import { openPanel } from '../../stores/panels';

/** Key of {@link commentHighlightsPlugin}; its state is the set of highlight decorations. */
export const commentHighlightsKey = new PluginKey<DecorationSet>('accord-comment-highlights');

/** What y-prosemirror's sync plugin keeps: the Yjs side of the text this view shows. */
interface SyncBinding {
  doc: Y.Doc;
  type: Y.XmlFragment;
  mapping: ProsemirrorMapping;
}

/** The anchor context of a view: its document with the sync binding's Yjs types and mapping. */
export function anchorContextOfView(state: EditorState): AnchorContext | null {
  const binding = (ySyncPluginKey.getState(state) as { binding?: SyncBinding } | undefined)?.binding;
  if (!binding) return null;
  return { ydoc: binding.doc, fragment: binding.type, doc: state.doc, mapping: binding.mapping };
}

function place(thread: Thread, ctx: AnchorContext): Placement {
  return placeAnchor(thread.anchor, ctx);
}

function placeAnchor(anchor: Anchor, ctx: AnchorContext): Placement {
  const resolved = resolveAnchor(anchor, ctx);
  if (resolved.status === 'orphaned') return { status: 'orphaned' };
  return {
    status: 'anchored',
    from: resolved.from,
    to: resolved.to,
    clauseId: resolved.clauseId,
    objectiveId: resolved.objectiveId,
  };
}

function build(
  doc: Node,
  threads: readonly Thread[],
  placements: Record<string, Placement>,
  active: string | null,
  draft: Placement | null,
) {
  const decorations: Decoration[] = [];
  // The words a comment is being written about stay marked while the member types in the panel.
  if (draft?.status === 'anchored' && draft.to <= doc.content.size) {
    decorations.push(Decoration.inline(draft.from, draft.to, { class: 'comment-highlight is-draft' }, { threadId: null }));
  }
  for (const thread of threads) {
    const placement = placements[thread.id];
    if (placement?.status !== 'anchored') continue;
    const isActive = thread.id === active;
    if (thread.status === 'resolved' && !isActive) continue;
    if (thread.anchor.kind === 'range') {
      decorations.push(
        Decoration.inline(
          placement.from,
          placement.to,
          { class: isActive ? 'comment-highlight is-active' : 'comment-highlight', 'data-thread-id': thread.id },
          { threadId: thread.id },
        ),
      );
    } else if (thread.anchor.kind === 'clause' && isActive && placement.to <= doc.content.size) {
      decorations.push(Decoration.node(placement.from, placement.to, { class: 'comment-target is-active' }));
    }
  }
  return DecorationSet.create(doc, decorations);
}

/**
 * Maps decorations over a remote change. y-prosemirror applies one as a replacement of the whole
 * document, whose step map would drop every highlight; the actual difference between the two
 * documents is usually one small region, so map over that instead.
 */
function mapRemoteChange(set: DecorationSet, before: Node, after: Node): DecorationSet {
  const start = before.content.findDiffStart(after.content);
  if (start === null) return set;
  const end = before.content.findDiffEnd(after.content);
  if (!end) return set;
  let { a: endA, b: endB } = end;
  const overlap = start - Math.min(endA, endB);
  if (overlap > 0) {
    endA += overlap;
    endB += overlap;
  }
  return set.map(new Mapping([new StepMap([start, endA - start, endB - start])]), after);
}

/** The range threads whose highlight covers `pos`, innermost (shortest) first. */
function threadsAt(state: EditorState, pos: number): string[] {
  const set = commentHighlightsKey.getState(state);
  if (!set) return [];
  return set
    .find(pos, pos)
    .filter((d) => d.from < pos || d.from === pos)
    .sort((a, b) => a.to - a.from - (b.to - b.from))
    .map((d) => (d.spec as { threadId: string | null }).threadId)
    .filter((id): id is string => id !== null);
}

/**
 * Highlights the commented ranges of the open document and tells the comments store where every
 * thread sits now. Anchors are re-resolved from their Yjs relative positions after changes of the
 * text (local or remote), at most every 40 ms while people type; in between, the decorations are
 * mapped through each change so the highlight never lags a keystroke. A click on highlighted text, or the cursor entering it, selects
 * the thread.
 */
export function commentHighlightsPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: commentHighlightsKey,
    state: {
      init: () => DecorationSet.empty,
      apply: (tr, set, oldState, newState) => {
        const next = tr.getMeta(commentHighlightsKey) as DecorationSet | undefined;
        if (next) return next;
        if (!tr.docChanged) return set;
        const remote = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin;
        return remote ? mapRemoteChange(set, oldState.doc, newState.doc) : set.map(tr.mapping, tr.doc);
      },
    },
    props: {
      decorations: (state) => commentHighlightsKey.getState(state) ?? DecorationSet.empty,
      handleClick: (view, pos) => {
        const [threadId] = threadsAt(view.state, pos);
        if (threadId) {
          // From the text to its thread: open the comments beside it, on that thread.
          setActiveThread(threadId, true);
          openPanel('comments', threadId);
        }
        return false;
      },
    },
    view: (view) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const recompute = () => {
        timer = null;
        if (view.isDestroyed) return;
        const ctx = anchorContextOfView(view.state);
        if (!ctx) return;
        const { threads, activeThreadId, draft } = useComments.getState();
        const placements: Record<string, Placement> = {};
        for (const thread of threads) placements[thread.id] = place(thread, ctx);
        setPlacements(placements);
        const draftPlacement = draft?.anchor.kind === 'range' ? placeAnchor(draft.anchor, ctx) : null;
        const decorations = build(view.state.doc, threads, placements, activeThreadId, draftPlacement);
        // No `addToHistory: false` here: on a transaction that changes nothing, y-prosemirror reads it
        // as "stop capturing" (sync-plugin.js calls `undoManager.stopCapturing()`), and this runs every
        // 40 ms while someone types, so Ctrl+Z would take back one letter at a time.
        view.dispatch(view.state.tr.setMeta(commentHighlightsKey, decorations));
      };
      // Thread changes show at once; while someone types, anchors are re-resolved a few times a
      // second (the mapped decorations already follow each keystroke in between).
      const schedule = (delay = 0) => {
        if (timer === null) timer = setTimeout(recompute, delay);
      };
      const unsubscribe = useComments.subscribe((s, prev) => {
        if (s.threads !== prev.threads || s.activeThreadId !== prev.activeThreadId || s.draft !== prev.draft) schedule(0);
      });
      schedule(0);
      return {
        update: (updated, prevState) => {
          if (updated.state.doc !== prevState.doc) schedule(40);
          const { selection } = updated.state;
          if (!selection.eq(prevState.selection) && selection.empty && updated.hasFocus()) {
            const [threadId] = threadsAt(updated.state, selection.from);
            if (threadId && threadId !== useComments.getState().activeThreadId) setActiveThread(threadId, true);
          }
        },
        destroy: () => {
          if (timer !== null) clearTimeout(timer);
          unsubscribe();
        },
      };
    },
  });
}

/**
 * Scrolls the text to where `threadId` sits and selects its words (or puts the cursor in its
 * clause). Returns false when the thread has no place in the text (whole document, or deleted text).
 */
export function revealThreadInText(view: EditorView, threadId: string): boolean {
  const placement = useComments.getState().placements[threadId];
  const thread = useComments.getState().threads.find((t) => t.id === threadId);
  if (!thread || placement?.status !== 'anchored' || thread.anchor.kind === 'document') return false;
  const { doc } = view.state;
  const from = Math.min(placement.from, doc.content.size);
  const to = Math.min(placement.to, doc.content.size);
  const selection =
    thread.anchor.kind === 'range'
      ? TextSelection.create(doc, from, to)
      : TextSelection.near(doc.resolve(Math.min(from + 1, doc.content.size)));
  view.dispatch(view.state.tr.setSelection(selection).scrollIntoView());
  const dom = view.domAtPos(from + (thread.anchor.kind === 'clause' ? 1 : 0)).node;
  const element = dom instanceof HTMLElement ? dom : dom.parentElement;
  element?.scrollIntoView({ block: 'center', behavior: 'smooth' });
  return true;
}
