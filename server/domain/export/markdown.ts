import { bracketText, type Segment } from './inline';
import { type ExportModel, type ExportThread, formatTime, provenanceLines, statusLabels } from './model';

/** Escapes Markdown syntax in plain text, so text such as "[Alt 1 …]" or "*" prints literally. */
function escape(text: string): string {
  return text.replace(/([\\`*_[\]<>~|])/g, '\\$1');
}

/** Escapes what would start a block (heading, list, quote) at the start of a paragraph. */
function escapeLineStart(line: string): string {
  return line.replace(/^(\s*)([#>+-]|\d+[.)])/, '$1\\$2');
}

function inline(segments: readonly Segment[]): string {
  return segments
    .map((s) => {
      if (s.kind !== 'text') return escape(bracketText(s));
      let out = escape(s.text);
      // Emphasis markers must hug non-space text; keep outer spaces outside them.
      const wrap = (marker: string) => {
        const match = /^(\s*)(.*?)(\s*)$/s.exec(out);
        if (match && match[2]) out = `${match[1]}${marker}${match[2]}${marker}${match[3]}`;
      };
      if (s.bold) wrap('**');
      if (s.italic) wrap('_');
      if (s.change === 'inserted') out = `<ins>${out}</ins>`;
      if (s.change === 'deleted') wrap('~~');
      // Angle brackets keep any parenthesis in the (already normalised) URL from ending the link.
      if (s.href) out = `[${out}](<${s.href}>)`;
      return out;
    })
    .join('');
}

function threadLines(threads: readonly ExportThread[]): string[] {
  return threads.flatMap((t) => [
    '',
    ...(t.quote ? [`> > ${escape(t.quote)}`, '>'] : []),
    ...t.messages.flatMap((m, i) => [
      `> ${i === 0 ? '💬' : '↳'} **${escape(m.author)}**${m.affiliation ? ` (${escape(m.affiliation)})` : ''}, ${formatTime(m.at)}: ${escape(m.text)}`,
      '>',
    ]).slice(0, -1),
  ]);
}

/** The document as Markdown (CommonMark; strikethrough for pending deletions as in GFM). */
export function renderMarkdown(model: ExportModel): string {
  const lines: string[] = [`# ${escape(model.title)}`, ''];
  for (const line of provenanceLines(model)) lines.push(`> ${escape(line)}  `);
  lines.push('');
  for (const paragraph of model.preamble) lines.push(escapeLineStart(inline(paragraph)), '');
  for (const objective of model.objectives) {
    lines.push(`## ${escape(objective.number)}. ${inline(objective.heading)}`, '');
    if (objective.rationale) lines.push(`_${inline(objective.rationale)}_`, '');
    for (const clause of objective.clauses) {
      const status = clause.status ? ` _(${statusLabels[clause.status] ?? clause.status})_` : '';
      lines.push(`**${escape(clause.number)}** ${inline(clause.content)}${status}`);
      lines.push(...threadLines(clause.threads), '');
    }
  }
  if (model.documentThreads.length > 0) {
    lines.push('## Open comments on the whole document', ...threadLines(model.documentThreads), '');
  }
  if (model.annex) {
    lines.push(`## Annex: ${escape(model.annex.title)}`, '');
    for (const section of model.annex.sections) {
      lines.push(`### ${escape(section.heading)}`, '');
      for (const paragraph of section.paragraphs) lines.push(escapeLineStart(escape(paragraph)), '');
    }
  }
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
