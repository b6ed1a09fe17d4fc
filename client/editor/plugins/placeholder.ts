import type { Node } from 'prosemirror-model';
import { Plugin, PluginKey } from 'prosemirror-state';
import { Decoration, DecorationSet } from 'prosemirror-view';

/** The hint shown in an empty block of each type. */
export const placeholders: Record<string, string> = {
  title: 'Title of the document',
  paragraph: 'Preamble',
  objective_heading: 'Objective heading',
  rationale: 'Rationale',
  clause: 'Clause text',
};

const placeholderPluginKey = new PluginKey<DecorationSet>('accord-placeholder');

function build(doc: Node): DecorationSet {
  const decorations: Decoration[] = [];
  doc.descendants((node, pos) => {
    if (!node.isTextblock) return true;
    const text = placeholders[node.type.name];
    if (text && node.content.size === 0) {
      decorations.push(
        Decoration.node(pos, pos + node.nodeSize, { class: 'is-empty', 'data-placeholder': text }),
      );
    }
    return false; // Nothing inside a textblock can be empty in this sense.
  });
  return DecorationSet.create(doc, decorations);
}

/** Shows a grey hint in every empty title, heading, rationale, clause and preamble paragraph. */
export function placeholderPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: placeholderPluginKey,
    state: {
      init: (_config, state) => build(state.doc),
      apply: (tr, previous) => (tr.docChanged ? build(tr.doc) : previous),
    },
    props: {
      decorations: (state) => placeholderPluginKey.getState(state),
    },
  });
}
