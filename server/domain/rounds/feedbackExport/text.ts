import { clauseHeading, type FeedbackPerson, type FeedbackReport, type FeedbackThread, summaryLine } from '@shared/rounds/feedback';
import { formatTime } from '../../export/model';

/** Words every format of the feedback report shares. */

/** "Ana Ruiz (Kestrania)". */
export function personLabel(person: Pick<FeedbackPerson, 'name' | 'affiliation'>): string {
  return person.affiliation ? `${person.name} (${person.affiliation})` : person.name;
}

/** The lines under the report's title: document, version and hash, the round's dates, when made. */
export function reportProvenance(report: FeedbackReport): string[] {
  const { round, version } = report;
  const state = round.open ? `open until ${formatTime(round.closesAt)}` : `closed ${formatTime(round.closedAt ?? round.closesAt)}`;
  return [
    `${report.document.title} — ${version.label}, frozen ${formatTime(version.frozenAt)}`,
    `SHA-256 of the version: ${version.hash}`,
    `Validation round “${round.title}”, ${state}`,
    `Report generated ${formatTime(report.generatedAt)}`,
  ];
}

/** Where a thread is: "Clause 1.3" or "Whole text". */
export function placeOf(thread: FeedbackThread): string {
  return clauseHeading(thread.clauseNumber, thread.clauseId);
}

/** "Carried to the live draft by Tomas Ilvesaar, 3 May 2026, 10:00 UTC", or null. */
export function carriedLine(thread: FeedbackThread): string | null {
  return thread.carried ? `Carried to the live draft by ${thread.carried.by}, ${formatTime(thread.carried.at)}` : null;
}

export { formatTime, summaryLine };
