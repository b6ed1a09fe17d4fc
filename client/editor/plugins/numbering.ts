import { computeOutline, type NumberingBaseline, type Outline } from '@shared/numbering';
import type { Node } from 'prosemirror-model';
import { type EditorState, Plugin, PluginKey } from 'prosemirror-state';
import type { EditorView } from 'prosemirror-view';
import { Decoration, DecorationSet } from 'prosemirror-view';

/** The numbering plugin's state: the computed outline, the decorations showing its numbers, and the baseline. */
export interface NumberingState {
  outline: Outline;
  decorations: DecorationSet;
  /** The numbers at the last freeze when "bis" numbering is on (see shared/numbering.ts), else null. */
  baseline: NumberingBaseline | null;
}

/** Key of {@link numberingPlugin}; `numberingPluginKey.getState(state)` gives the current outline. */
export const numberingPluginKey = new PluginKey<NumberingState>('accord-numbering');

function build(doc: Node, baseline: NumberingBaseline | null): NumberingState {
  const outline = computeOutline(doc, baseline ? { baseline } : {});
  const decorations: Decoration[] = [];
  for (const objective of outline.objectives) {
    const heading = doc.nodeAt(objective.pos + 1);
    if (heading) {
      decorations.push(
        Decoration.node(objective.pos + 1, objective.pos + 1 + heading.nodeSize, {
          'data-number': objective.number,
        }),
      );
    }
    for (const clause of objective.clauses) {
      const node = doc.nodeAt(clause.pos);
      if (node)
        decorations.push(
          Decoration.node(clause.pos, clause.pos + node.nodeSize, { 'data-number': clause.number }),
        );
    }
  }
  return { outline, decorations: DecorationSet.create(doc, decorations), baseline };
}

/**
 * Shows the computed numbers of objectives ("1") and clauses ("1.1") in the margin. Numbers are node
 * decorations (a `data-number` attribute drawn by CSS) rather than widgets, so they never sit in the
 * text flow: the caret cannot land beside them and the clause's text content stays its own.
 *
 * With a `baseline` (the numbers at the last freeze), clauses inserted since are numbered "4 bis"; the
 * baseline can change while the editor is open (a freeze, the setting turned on or off): see
 * {@link setNumberingBaseline}.
 */
export function numberingPlugin({ baseline }: { baseline?: NumberingBaseline | null } = {}): Plugin<NumberingState> {
  return new Plugin<NumberingState>({
    key: numberingPluginKey,
    state: {
      init: (_config, state) => build(state.doc, baseline ?? null),
      apply: (tr, previous) => {
        const next = tr.getMeta(numberingPluginKey) as { baseline: NumberingBaseline | null } | undefined;
        if (next) return build(tr.doc, next.baseline);
        return tr.docChanged ? build(tr.doc, previous.baseline) : previous;
      },
    },
    props: {
      decorations: (state: EditorState) =>
        numberingPluginKey.getState(state)?.decorations ?? DecorationSet.empty,
    },
  });
}

/** Renumbers an editor against a new baseline (null: plain numbering). Does not touch the text. */
export function setNumberingBaseline(view: EditorView, baseline: NumberingBaseline | null): void {
  const current = numberingPluginKey.getState(view.state);
  if (!current || current.baseline === baseline) return;
  // Not `addToHistory: false`: y-prosemirror would end the current undo step (see commentHighlights.ts).
  view.dispatch(view.state.tr.setMeta(numberingPluginKey, { baseline }));
}
