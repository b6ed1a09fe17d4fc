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
