import { schema } from '@shared/schema';
import { type VersionContent, versionContentSchema } from '@shared/versions/content';
import type { Node } from 'prosemirror-model';
import type { VersionWithContent } from '../../store/versions';

/** A stored version, parsed: its record, its content and its text as a ProseMirror document. */
export interface ParsedVersion {
  record: VersionWithContent;
  content: VersionContent;
  doc: Node;
}

/**
 * Parses a stored version's content. Stored content was produced by `freezeVersion` and cannot be
 * changed afterwards, so a failure here means the database was tampered with outside Accord: it throws.
 */
export function parseVersion(record: VersionWithContent): ParsedVersion {
  const content = versionContentSchema.parse(JSON.parse(record.content));
  return { record, content, doc: schema.nodeFromJSON(content.doc) };
}
