import type { Mark, Node } from 'prosemirror-model';

/**
 * The text of a textblock (clause, heading, paragraph) as a reader sees it: contested wording in
 * [square brackets], alternatives as "[Alt 1 …] [Alt 2 …]" (the editor draws them the same way).
 * Used for word-level redlines, so that adding or removing brackets shows as a change of its own.
 */
export function displayText(node: Node): string {
  let out = '';
  let open: readonly Mark[] = [];
  const isBracket = (m: Mark) => m.type.name === 'bracket';
  node.forEach((child) => {
    const marks = child.isText ? child.marks.filter(isBracket) : [];
    // Close the brackets that end here (innermost first), then open the ones that start here.
    for (const mark of [...open].reverse()) if (!mark.isInSet(marks)) out += ']';
    for (const mark of marks) if (!mark.isInSet(open)) out += bracketOpening(mark);
    open = marks;
    out += child.isText ? (child.text ?? '') : child.textContent;
  });
  for (let i = 0; i < open.length; i++) out += ']';
  return out;
}

/** "[" for a plain bracket, "[Alt 2 " for the second alternative of a group. */
export function bracketOpening(mark: Mark): string {
  const alt = mark.attrs.alt as number | null;
  return alt === null ? '[' : `[Alt ${alt} `;
}

/**
 * The text of a textblock as `displayText` gives it, with pending tracked changes written in
 * CriticMarkup, `{++inserted++}` and `{--deleted--}`, so that a plain-text reader (a report, a CSV)
 * sees both the brackets and what is still proposed.
 */
export function readingText(node: Node): string {
  let out = '';
  let open: readonly Mark[] = [];
  let change: 'insertion' | 'deletion' | null = null;
  const isBracket = (m: Mark) => m.type.name === 'bracket';
  const closeChange = () => {
    if (change) out += change === 'insertion' ? '++}' : '--}';
    change = null;
  };
  node.forEach((child) => {
    const marks = child.isText ? child.marks.filter(isBracket) : [];
    const kind = child.isText ? (child.marks.find((m) => m.type.name === 'insertion' || m.type.name === 'deletion')?.type.name ?? null) : null;
    const bracketsChange = open.some((m) => !m.isInSet(marks)) || marks.some((m) => !m.isInSet(open));
    if (kind !== change || bracketsChange) closeChange();
    for (const mark of [...open].reverse()) if (!mark.isInSet(marks)) out += ']';
    for (const mark of marks) if (!mark.isInSet(open)) out += bracketOpening(mark);
    open = marks;
    if (kind !== change) {
      change = kind as 'insertion' | 'deletion' | null;
      if (change) out += change === 'insertion' ? '{++' : '{--';
    }
    out += child.isText ? (child.text ?? '') : child.textContent;
  });
  closeChange();
  for (let i = 0; i < open.length; i++) out += ']';
  return out;
}
