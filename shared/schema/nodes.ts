import type { DOMOutputSpec, NodeSpec } from 'prosemirror-model';

/**
 * The nodes of a framework document. The structure is fixed by the product: a title, an optional
 * preamble of unnumbered paragraphs, then objectives, each with a heading, an optional rationale and
 * its clauses. Numbers are never stored in the text: they are computed (see `numbering.ts`) and
 * shown as decorations, so that moving a clause renumbers it for free.
 */
export const nodes = {
  doc: { content: 'title preamble? objective*' },

  /** The document title: plain text, one line. */
  title: {
    content: 'text*',
    marks: '',
    defining: true,
    parseDOM: [{ tag: 'h1' }],
    toDOM: (): DOMOutputSpec => ['h1', { class: 'accord-title' }, 0],
  },

  /** Unnumbered introductory paragraphs before the first objective. */
  preamble: {
    content: 'paragraph+',
    defining: true,
    parseDOM: [{ tag: 'section.accord-preamble' }],
    toDOM: (): DOMOutputSpec => ['section', { class: 'accord-preamble' }, 0],
  },

  paragraph: {
    content: 'inline*',
    group: 'block',
    parseDOM: [{ tag: 'p' }],
    toDOM: (): DOMOutputSpec => ['p', 0],
  },

  /**
   * A numbered objective. `id` is a stable identifier (see `clauseIds.ts`); it survives edits,
   * moves and renumbering.
   */
  objective: {
    attrs: { id: { default: null } },
    content: 'objective_heading rationale? clause*',
    defining: true,
    isolating: true,
    parseDOM: [
      {
        tag: 'section.accord-objective',
        getAttrs: (dom) => ({ id: (dom as HTMLElement).getAttribute('data-objective-id') }),
      },
    ],
    toDOM: (node): DOMOutputSpec => [
      'section',
      { class: 'accord-objective', 'data-objective-id': node.attrs.id as string | null },
      0,
    ],
  },

  /** The heading line of an objective. */
  objective_heading: {
    content: 'inline*',
    defining: true,
    parseDOM: [{ tag: 'h2' }],
    toDOM: (): DOMOutputSpec => ['h2', { class: 'accord-objective-heading' }, 0],
  },

  /** Why the objective matters: one unnumbered paragraph under its heading. */
  rationale: {
    content: 'inline*',
    defining: true,
    // Above the plain paragraph's `p` rule (same tag), or a pasted rationale would parse as a paragraph.
    parseDOM: [{ tag: 'p.accord-rationale', priority: 60 }],
    toDOM: (): DOMOutputSpec => ['p', { class: 'accord-rationale' }, 0],
  },

  /**
   * A clause: the negotiable unit. Its `id` is stable across edits, moves and copy/paste (copies
   * get fresh ids); its status, evidence links and threads are server records keyed by that id.
   */
  clause: {
    attrs: { id: { default: null } },
    content: 'inline*',
    defining: true,
    parseDOM: [
      {
        tag: 'p.accord-clause',
        // Above the plain paragraph's `p` rule (same tag): copied clauses must paste as clauses.
        priority: 60,
        getAttrs: (dom) => ({ id: (dom as HTMLElement).getAttribute('data-clause-id') }),
      },
    ],
    toDOM: (node): DOMOutputSpec => [
      'p',
      { class: 'accord-clause', 'data-clause-id': node.attrs.id as string | null },
      0,
    ],
  },

  text: { group: 'inline' },
} satisfies Record<string, NodeSpec>;
