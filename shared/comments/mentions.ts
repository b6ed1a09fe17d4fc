/**
 * Mentions in comment bodies. A body is plain text; a mention is the token `<@userId>`, which
 * survives renames (the name is looked up when the comment is shown). Composers show `@Name` to
 * people and turn it into tokens on sending, and back again for editing.
 */

const tokenPattern = /<@([A-Za-z0-9_-]{1,64})>/g;

/** A piece of a comment body: plain text, or a mention of a member. */
export type BodySegment = { kind: 'text'; text: string } | { kind: 'mention'; userId: string };

/** The distinct member ids mentioned in `body`, in order of first mention. */
export function mentionedIds(body: string): string[] {
  const ids: string[] = [];
  for (const match of body.matchAll(tokenPattern)) {
    const id = match[1] as string;
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Splits `body` into text and mentions, for rendering as text nodes (never as HTML). */
export function splitBody(body: string): BodySegment[] {
  const segments: BodySegment[] = [];
  let last = 0;
  for (const match of body.matchAll(tokenPattern)) {
    const at = match.index ?? 0;
    if (at > last) segments.push({ kind: 'text', text: body.slice(last, at) });
    segments.push({ kind: 'mention', userId: match[1] as string });
    last = at + match[0].length;
  }
  if (last < body.length) segments.push({ kind: 'text', text: body.slice(last) });
  return segments;
}

/** Someone who can be mentioned. */
export interface Mentionable {
  userId: string;
  name: string;
}

/**
 * Turns `@Name` in a composer's text into `<@userId>` tokens for the members in `chosen` (the ones
 * picked from the autocomplete). Longer names are replaced first, so "@Ana Lee" wins over "@Ana".
 */
export function textToBody(text: string, chosen: readonly Mentionable[]): string {
  const byLength = [...chosen].sort((a, b) => b.name.length - a.name.length);
  let out = text;
  for (const member of byLength) {
    out = out.split(`@${member.name}`).join(`<@${member.userId}>`);
  }
  return out;
}

/** Turns tokens back into `@Name` for editing; returns the text and the members it mentions. */
export function bodyToText(
  body: string,
  members: readonly Mentionable[],
): { text: string; chosen: Mentionable[] } {
  const chosen: Mentionable[] = [];
  const text = splitBody(body)
    .map((segment) => {
      if (segment.kind === 'text') return segment.text;
      const member = members.find((m) => m.userId === segment.userId);
      if (!member) return `<@${segment.userId}>`;
      if (!chosen.includes(member)) chosen.push(member);
      return `@${member.name}`;
    })
    .join('');
  return { text, chosen };
}

/**
 * The mention being typed at `caret` in `text`: the query after an `@` that starts a word, or null.
 * Names may hold spaces, so the query runs to the caret (at most 40 characters, no line break).
 */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const at = before.lastIndexOf('@');
  if (at < 0) return null;
  if (at > 0 && !/\s|\(/.test(before[at - 1] as string)) return null;
  const query = before.slice(at + 1);
  if (query.length > 40 || /[\n@<>]/.test(query)) return null;
  return { start: at, query };
}

/** The members whose name or affiliation matches `query` (case-insensitive, word starts first). */
export function matchMembers<T extends Mentionable & { affiliation?: string | null }>(
  members: readonly T[],
  query: string,
  limit = 6,
): T[] {
  const q = query.trim().toLowerCase();
  if (q === '') return members.slice(0, limit);
  const scored: { member: T; score: number }[] = [];
  for (const member of members) {
    const name = member.name.toLowerCase();
    const words = name.split(/\s+/);
    let score = -1;
    if (name.startsWith(q)) score = 0;
    else if (words.some((w) => w.startsWith(q))) score = 1;
    else if (name.includes(q)) score = 2;
    else if (member.affiliation?.toLowerCase().includes(q)) score = 3;
    if (score >= 0) scored.push({ member, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.member.name.localeCompare(b.member.name))
    .slice(0, limit)
    .map((s) => s.member);
}
