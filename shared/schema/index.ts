import { Schema } from 'prosemirror-model';
import { marks } from './marks';
import { nodes } from './nodes';

/** The one ProseMirror schema of a framework document, shared by the editor, the server and tests. */
export const schema = new Schema({ nodes, marks });

export type NodeName = keyof typeof nodes;
export type MarkName = keyof typeof marks;

/** Name of the `Y.XmlFragment` that holds the text (fixed by the collaboration contract). */
export const BODY_FRAGMENT = 'body';

export { allowedLinkSchemes, safeHref } from './marks';
