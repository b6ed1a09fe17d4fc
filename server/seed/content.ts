import { BODY_FRAGMENT, schema } from '@shared/schema';
import { prosemirrorJSONToYDoc } from 'y-prosemirror';
import * as Y from 'yjs';

/** A ProseMirror document as JSON (`Node.toJSON()`), the form seeds and fixtures are written in. */
export interface ProseMirrorJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorJson[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/**
 * Turns a ProseMirror JSON document into the Yjs update that stores it in the `body` fragment. The
 * JSON is checked against the shared schema first, so malformed content never reaches storage.
 */
export function proseMirrorJsonToUpdate(json: ProseMirrorJson): Uint8Array {
  schema.nodeFromJSON(json).check();
  const ydoc = prosemirrorJSONToYDoc(schema, json, BODY_FRAGMENT);
  const update = Y.encodeStateAsUpdate(ydoc);
  ydoc.destroy();
  return update;
}
