/**
 * Reading Accord's tracked-change marks (`insertion`, `deletion` from
 * @handlewithcare/prosemirror-suggest-changes, with `authorId`, `authorName` and `at` added by
 * `shared/schema/marks.ts`).
 */
import type { Mark, Node } from 'prosemirror-model';

/** Who makes a tracked change: a member's user id and display name. */
export interface ChangeAuthor {
  id: string;
  name: string;
}

/** The two kinds of tracked text: inserted (shown underlined) and deleted (struck through, still there). */
export type ChangeMarkName = 'insertion' | 'deletion';

/** The zero-width space the suggest-changes library uses to anchor changes at block boundaries. */
export const ZWSP = '\u200B';

/** The authorship of a change mark as stored in its attributes. */
export interface ChangeMarkAttrs {
  id: string | number;
  authorId: string | null;
  authorName: string | null;
  at: string | null;
}

/** The tracked-change mark (insertion or deletion) of a text node, or null. */
export function changeMarkOf(node: Node): Mark | null {
  for (const mark of node.marks) {
    const name = mark.type.name;
    if (name === 'insertion' || name === 'deletion') return mark;
  }
  return null;
}

/** The attributes of a change mark, typed. */
export function changeAttrs(mark: Mark): ChangeMarkAttrs {
  const attrs = mark.attrs as Record<string, unknown>;
  const id = attrs.id;
  return {
    id: typeof id === 'number' || typeof id === 'string' ? id : String(id),
    authorId: typeof attrs.authorId === 'string' ? attrs.authorId : null,
    authorName: typeof attrs.authorName === 'string' ? attrs.authorName : null,
    at: typeof attrs.at === 'string' ? attrs.at : null,
  };
}

/** A change id as the API and the UI carry it: always a string (the library also uses numbers). */
export function changeKey(id: string | number): string {
  return String(id);
}

/** Text without the library's zero-width anchors. */
export function visibleText(text: string): string {
  return text.split(ZWSP).join('');
}

/** A fresh change id: "s-" and 12 random base-36 characters, unique across clients without coordination. */
export function newChangeId(): string {
  const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  let out = 's-';
  for (const byte of bytes) out += alphabet[byte % 36];
  return out;
}
