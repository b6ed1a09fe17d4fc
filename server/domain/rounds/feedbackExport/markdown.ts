import type { FeedbackReport, FeedbackThread } from '@shared/rounds/feedback';
import { clauseHeading } from '@shared/rounds/feedback';
import { carriedLine, formatTime, personLabel, placeOf, reportProvenance, summaryLine } from './text';

/** Escapes Markdown syntax in plain text (what validators type prints literally). */
function escape(text: string): string {
  return text.replace(/([\\`*_[\]<>~|#])/g, '\\$1');
}

/** Text for a list item: escaped, later lines indented under the item. */
function item(text: string, indent: string): string {
  return text
    .split('\n')
    .map((line) => escape(line))
    .join(`\n${indent}`);
}

function threadLines(thread: FeedbackThread, withPlace: boolean): string[] {
  const [first, ...replies] = thread.comments;
  const lines: string[] = [];
  const where = withPlace ? `${placeOf(thread)} — ` : '';
  const quote = thread.quote ? ` on “${escape(thread.quote)}”` : '';
  const status = thread.status === 'resolved' ? ' *(resolved)*' : '';
  lines.push(
    `- ${where}**${escape(personLabel(thread.givenBy))}**, ${formatTime(thread.givenAt)}${quote}${status}: ${item(first?.text ?? '', '  ')}`,
  );
  if (first?.proposedWording != null) lines.push(`  - Proposed wording: “${item(first.proposedWording, '    ')}”`);
  for (const reply of replies) {
    const wording = reply.proposedWording != null ? ` Proposed wording: “${item(reply.proposedWording, '    ')}”` : '';
    lines.push(`  - ↳ **${escape(personLabel(reply.author))}**, ${formatTime(reply.at)}: ${item(reply.text, '    ')}${wording}`);
  }
  const carried = carriedLine(thread);
  if (carried) lines.push(`  - ✓ ${escape(carried)}`);
  return lines;
}

/** The feedback report as Markdown (CommonMark): by clause, then by country. */
export function renderFeedbackMarkdown(report: FeedbackReport): string {
  const out: string[] = [`# Feedback report — ${escape(report.round.title)}`, ''];
  for (const line of reportProvenance(report)) out.push(`${escape(line)}  `);
  out.push('', `**${escape(summaryLine(report))}**`, '');
  out.push('## By clause', '');
  if (report.byClause.length === 0) out.push('No feedback.', '');
  for (const group of report.byClause) {
    out.push(`### ${escape(clauseHeading(group.number, group.clauseId))}`, '');
    if (group.text) out.push(`> ${escape(group.text)}`, '');
    for (const thread of group.threads) out.push(...threadLines(thread, false));
    out.push('');
  }
  out.push('## By country', '');
  if (report.byCountry.length === 0) out.push('No validators yet.', '');
  for (const group of report.byCountry) {
    out.push(`### ${escape(group.country)}`, '');
    out.push(`Validators: ${group.validators.map((v) => `${escape(v.name)} (${v.threads})`).join(', ')}`, '');
    for (const thread of group.threads) out.push(...threadLines(thread, true));
    if (group.threads.length === 0) out.push('No feedback from this country.');
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}
