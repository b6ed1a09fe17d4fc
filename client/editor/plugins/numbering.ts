import { computeOutline, type NumberingBaseline, type Outline } from '@shared/numbering';
import type { Node } from 'prosemirror-model';
import { type EditorState, Plugin, PluginKey } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';

/** The numbering plugin's state: the computed outline and the decorations showing its numbers. */
export interface NumberingState {
  outline: Outline;
  decorations: DecorationSet;
}

/** Key of {@link numberingPlugin}; `numberingPluginKey.getState(state)` gives the current outline. */
export const numberingPluginKey = new PluginKey<NumberingState>('accord-numbering');

function build(doc: Node, baseline: NumberingBaseline | undefined): NumberingState {
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
  return { outline, decorations: DecorationSet.create(doc, decorations) };
}

/**
 * Shows the computed numbers of objectives ("1") and clauses ("1.1") in the margin. Numbers are node
 * decorations (a `data-number` attribute drawn by CSS) rather than widgets, so they never sit in the
 * text flow: the caret cannot land beside them and the clause's text content stays its own.
 */
export function numberingPlugin({ baseline }: { baseline?: NumberingBaseline } = {}): Plugin<NumberingState> {
  return new Plugin<NumberingState>({
    key: numberingPluginKey,
    state: {
      init: (_config, state) => build(state.doc, baseline),
      apply: (tr, previous) => (tr.docChanged ? build(tr.doc, baseline) : previous),
    },
    props: {
      decorations: (state: EditorState) =>
        numberingPluginKey.getState(state)?.decorations ?? DecorationSet.empty,
    },
  });
}
