import { type ReportKind, reportKindLabels, SNIPPET_CLOSE, SNIPPET_OPEN } from '@shared/api/evidence';
import type { ReactNode } from 'react';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A `YYYY-MM-DD` report date as people read it ("14 Mar 2029"). */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00`);
  return Number.isNaN(date.getTime()) ? day : dateFormat.format(date);
}

/** A time stamp as people read it. */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dateTimeFormat.format(date);
}

/** The label of a report kind. */
export function kindLabel(kind: ReportKind): string {
  return reportKindLabels[kind];
}

/** Renders a search snippet, with the matches the server marked shown as `<mark>`. Never HTML. */
export function Snippet({ text }: { text: string }) {
  const parts: ReactNode[] = [];
  let rest = text;
  let key = 0;
  while (rest.length > 0) {
    const open = rest.indexOf(SNIPPET_OPEN);
    if (open < 0) {
      parts.push(rest);
      break;
    }
    if (open > 0) parts.push(rest.slice(0, open));
    const close = rest.indexOf(SNIPPET_CLOSE, open + 1);
    const end = close < 0 ? rest.length : close;
    parts.push(<mark key={key++}>{rest.slice(open + 1, end)}</mark>);
    rest = close < 0 ? '' : rest.slice(close + 1);
  }
  return <span className="snippet">{parts}</span>;
}

/** A country or region chip. */
export function CountryChip({ country }: { country: string }) {
  return (
    <span className="country-chip" title={country}>
      {country}
    </span>
  );
}

/** The relation of a link as a coloured chip. */
export function RelationChip({ relation }: { relation: 'supports' | 'challenges' }) {
  return (
    <span className={`relation-chip is-${relation}`} data-relation={relation}>
      {relation === 'supports' ? 'Supports' : 'Challenges'}
    </span>
  );
}

/** The path of a dialogue's evidence library, optionally opened on a report (and an excerpt in it). */
export function libraryPath(dialogueId: string, reportId?: string, excerptId?: string): string {
  const params = new URLSearchParams();
  if (reportId) params.set('report', reportId);
  if (excerptId) params.set('excerpt', excerptId);
  const query = params.toString();
  return `/dialogues/${encodeURIComponent(dialogueId)}/evidence${query ? `?${query}` : ''}`;
}

/** The path of a document's coverage view. */
export function coveragePath(documentId: string): string {
  return `/documents/${encodeURIComponent(documentId)}/coverage`;
}
