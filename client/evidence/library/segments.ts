/**
 * The text of a report cut into segments at every excerpt boundary, so that each excerpt can be
 * highlighted — excerpts may overlap — and a selection in the rendered text can be mapped back to
 * character offsets.
 */

/** A run of the report text and the excerpts that cover it (empty for plain text). */
export interface Segment {
  start: number;
  end: number;
  text: string;
  excerptIds: string[];
}

/** Cuts `text` at the start and end of every excerpt (offsets are clamped to the text). */
export function segmentText(text: string, excerpts: readonly { id: string; start: number; end: number }[]): Segment[] {
  const cuts = new Set<number>([0, text.length]);
  const spans = excerpts
    .map((e) => ({ id: e.id, start: Math.max(0, Math.min(e.start, text.length)), end: Math.max(0, Math.min(e.end, text.length)) }))
    .filter((e) => e.end > e.start);
  for (const e of spans) {
    cuts.add(e.start);
    cuts.add(e.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const segments: Segment[] = [];
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i] as number;
    const end = points[i + 1] as number;
    if (end <= start) continue;
    segments.push({
      start,
      end,
      text: text.slice(start, end),
      excerptIds: spans.filter((e) => e.start <= start && e.end >= end).map((e) => e.id),
    });
  }
  return segments;
}

/**
 * The character offsets of the current selection inside `container` (whose text is the report text,
 * rendered with `white-space: pre-wrap`), or null when the selection is empty or outside it. Offsets
 * are counted over the container's text nodes in order, so markup around segments does not matter.
 */
export function selectionOffsets(container: HTMLElement, selection: Selection | null): { start: number; end: number } | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const offsetOf = (node: Node, offset: number): number => {
    const measure = document.createRange();
    measure.selectNodeContents(container);
    measure.setEnd(node, offset);
    return measure.toString().length;
  };
  const start = offsetOf(range.startContainer, range.startOffset);
  const end = offsetOf(range.endContainer, range.endOffset);
  return end > start ? { start, end } : null;
}

/** Trims the whitespace off both ends of a selected passage, moving its offsets with it. */
export function trimPassage(text: string, start: number, end: number): { start: number; end: number } {
  let s = start;
  let e = end;
  while (s < e && /\s/.test(text[s] as string)) s++;
  while (e > s && /\s/.test(text[e - 1] as string)) e--;
  return { start: s, end: e };
}
