import type { Mark, Node } from 'prosemirror-model';

/** A piece of inline content of an export: text with its formatting, or a bracket boundary. */
export type Segment =
  | {
      kind: 'text';
      text: string;
      bold: boolean;
      italic: boolean;
      /** A safe link target (the schema's `safeHref` already applied on input), or null. */
      href: string | null;
      /** Tracked change still pending in the text. */
      change: 'inserted' | 'deleted' | null;
    }
  | { kind: 'open'; group: string | null; alt: number | null }
  | { kind: 'close' };

const has = (marks: readonly Mark[], name: string) => marks.some((m) => m.type.name === name);

/**
 * The inline content of a textblock as segments. Bracket boundaries are explicit and properly
 * nested, so a text format prints "[" / "[Alt 1 " and "]", and Akoma Ntoso wraps them in elements.
 */
export function segmentsOf(node: Node): Segment[] {
  const out: Segment[] = [];
  let open: readonly Mark[] = [];
  node.forEach((child) => {
    if (!child.isText) return;
    const brackets = child.marks.filter((m) => m.type.name === 'bracket');
    for (const mark of [...open].reverse()) if (!mark.isInSet(brackets)) out.push({ kind: 'close' });
    for (const mark of brackets) {
      if (!mark.isInSet(open)) {
        out.push({ kind: 'open', group: mark.attrs.group as string | null, alt: mark.attrs.alt as number | null });
      }
    }
    open = brackets;
    const link = child.marks.find((m) => m.type.name === 'link');
    out.push({
      kind: 'text',
      text: child.text ?? '',
      bold: has(child.marks, 'bold'),
      italic: has(child.marks, 'italic'),
      href: link ? (link.attrs.href as string) : null,
      change: has(child.marks, 'insertion') ? 'inserted' : has(child.marks, 'deletion') ? 'deleted' : null,
    });
  });
  for (let i = 0; i < open.length; i++) out.push({ kind: 'close' });
  return out;
}

/** The text a bracket boundary prints as: "[" or "[Alt 2 " when opening, "]" when closing. */
export function bracketText(segment: Extract<Segment, { kind: 'open' | 'close' }>): string {
  if (segment.kind === 'close') return ']';
  return segment.alt === null ? '[' : `[Alt ${segment.alt} `;
}

/** The plain text of segments, brackets printed. */
export function plainText(segments: readonly Segment[]): string {
  return segments.map((s) => (s.kind === 'text' ? s.text : bracketText(s))).join('');
}
