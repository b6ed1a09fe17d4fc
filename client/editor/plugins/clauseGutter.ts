import type { Node } from 'prosemirror-model';
import { type EditorState, Plugin, PluginKey } from 'prosemirror-state';
import { Decoration, DecorationSet, type EditorView } from 'prosemirror-view';

/**
 * Something a feature shows in a clause's gutter, right of the text (thread count, evidence badge,
 * status chip …). Items are plain DOM so that the editor never waits for React.
 */
export interface GutterItem {
  /** Unique name, e.g. "threads". */
  key: string;
  /** Smaller comes first. */
  order: number;
  /**
   * A short string that changes whenever what `render` would draw for `clauseId` changes; the gutter
   * of a clause is redrawn only when one of its items' signatures changes. Empty means nothing to show.
   */
  signature: (clauseId: string) => string;
  /** Draws the item for `clauseId`; null draws nothing. Called only when the signature changed. */
  render: (clauseId: string, view: EditorView) => HTMLElement | null;
}

const items = new Map<string, GutterItem>();
const views = new Set<EditorView>();

/** Adds `item` to every clause gutter; returns a function that removes it. */
export function registerGutterItem(item: GutterItem): () => void {
  items.set(item.key, item);
  refreshGutters();
  return () => {
    if (items.get(item.key) === item) items.delete(item.key);
    refreshGutters();
  };
}

/** Recomputes the gutters of every mounted editor: call when the data behind a gutter item changes. */
export function refreshGutters(): void {
  for (const view of views) {
    if (!view.isDestroyed) view.dispatch(view.state.tr.setMeta(clauseGutterKey, 'refresh'));
  }
}

/** Key of {@link clauseGutterPlugin}. */
export const clauseGutterKey = new PluginKey<DecorationSet>('accord-clause-gutter');

function sorted(): GutterItem[] {
  return [...items.values()].sort((a, b) => a.order - b.order);
}

function build(doc: Node): DecorationSet {
  const list = sorted();
  if (list.length === 0) return DecorationSet.empty;
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (node.type.name === 'clause') {
      const id = node.attrs.id as string | null;
      if (id) {
        const signature = list.map((item) => `${item.key}:${item.signature(id)}`).join('|');
        if (list.some((item) => item.signature(id) !== '')) {
          decorations.push(
            Decoration.widget(pos + 1, (view) => renderGutter(view, id, list), {
              side: -1,
              key: `gutter:${id}:${signature}`,
              ignoreSelection: true,
              stopEvent: () => true,
            }),
          );
        }
      }
      return false;
    }
    return node.type.name === 'doc' || node.type.name === 'objective';
  });
  return DecorationSet.create(doc, decorations);
}

function renderGutter(view: EditorView, clauseId: string, list: GutterItem[]): HTMLElement {
  const gutter = document.createElement('span');
  gutter.className = 'clause-gutter';
  gutter.contentEditable = 'false';
  gutter.dataset.clauseId = clauseId;
  for (const item of list) {
    if (item.signature(clauseId) === '') continue;
    const el = item.render(clauseId, view);
    if (el) gutter.append(el);
  }
  return gutter;
}

/**
 * Shows, right of every clause, what features registered with {@link registerGutterItem}. The gutter
 * is a widget at the start of the clause, positioned outside the text column by CSS, so it never sits
 * in the text flow and never becomes part of the shared document.
 */
export function clauseGutterPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: clauseGutterKey,
    state: {
      init: (_config, state) => build(state.doc),
      apply: (tr, previous) =>
        tr.docChanged || tr.getMeta(clauseGutterKey) === 'refresh' ? build(tr.doc) : previous,
    },
    props: {
      decorations: (state: EditorState) => clauseGutterKey.getState(state) ?? DecorationSet.empty,
    },
    view: (view) => {
      views.add(view);
      return { destroy: () => views.delete(view) };
    },
  });
}
