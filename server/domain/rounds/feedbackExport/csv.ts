import { countryOf, type FeedbackReport } from '@shared/rounds/feedback';
import { placeOf } from './text';

/** The columns of the CSV report: one row per comment, in the order of the text. */
export const csvColumns = [
  'Round',
  'Version',
  'Clause',
  'Thread',
  'Country',
  'Given by',
  'Comment',
  'Author',
  'Author country',
  'Author role',
  'Date (UTC)',
  'Status',
  'Quoted text',
  'Text',
  'Proposed wording',
  'Carried to live draft',
] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote, line break or outer space. A field
 * that a spreadsheet would read as a formula (starting with = + - @ or a control character) gets a
 * leading apostrophe, so opening the report never runs what a validator typed.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]|^\s|\s$/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The feedback report as CSV (UTF-8 with a byte-order mark so spreadsheets read accents right, CRLF lines). */
export function renderFeedbackCsv(report: FeedbackReport): string {
  const rows: string[][] = [[...csvColumns]];
  report.byClause.forEach((group) => {
    for (const thread of group.threads) {
      const number = String(allThreads(report).indexOf(thread.id) + 1);
      thread.comments.forEach((comment, i) => {
        rows.push([
          report.round.title,
          report.version.label,
          placeOf(thread),
          number,
          countryOf(thread.givenBy.affiliation),
          thread.givenBy.name,
          String(i + 1),
          comment.author.name,
          comment.author.affiliation ?? '',
          comment.author.role ?? '',
          comment.at,
          thread.status,
          i === 0 ? (thread.quote ?? '') : '',
          comment.text,
          comment.proposedWording ?? '',
          i === 0 && thread.carried ? `${thread.carried.at} by ${thread.carried.by}` : '',
        ]);
      });
    }
  });
  return `\uFEFF${rows.map((row) => row.map(csvField).join(',')).join('\r\n')}\r\n`;
}

const order = new WeakMap<FeedbackReport, string[]>();

/** Thread ids in the order of the text (their numbers in the CSV). */
function allThreads(report: FeedbackReport): string[] {
  let ids = order.get(report);
  if (!ids) {
    ids = report.byClause.flatMap((g) => g.threads.map((t) => t.id));
    order.set(report, ids);
  }
  return ids;
}
