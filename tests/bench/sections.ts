/**
 * docs/benchmarks.md is written by two runs (`npm run bench` and `npm run bench -- --peers`); each
 * owns a section between `<!-- NAME:begin -->` and `<!-- NAME:end -->` and leaves the rest alone.
 */

const begin = (name: string) => `<!-- ${name}:begin -->`;
const end = (name: string) => `<!-- ${name}:end -->`;

/** `text` with section `name` replaced by `content` (appended when the section is not there yet). */
export function replaceSection(text: string, name: string, content: string): string {
  const block = `${begin(name)}\n${content.trimEnd()}\n${end(name)}`;
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  if (from >= 0 && to > from) return text.slice(0, from) + block + text.slice(to + end(name).length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

/** The section `name` of `text` with its markers, or '' when there is none. */
export function section(text: string, name: string): string {
  const from = text.indexOf(begin(name));
  const to = text.indexOf(end(name));
  return from >= 0 && to > from ? text.slice(from, to + end(name).length) : '';
}
