/**
 * The feedback report of a validation round: every thread of feedback on the round's frozen version,
 * grouped by clause (in the order of the text) and by the country of the validator who gave it. Pure:
 * the server gathers the threads, resolves where each sits in the version, and calls
 * {@link buildFeedbackReport}; the rounds page renders the result and the exports print it.
 */
import { z } from 'zod';
import { roleSchema } from '../api/documents';
import { roundSchema } from '../api/rounds';

/** The formats the feedback report exports to. */
export const feedbackFormats = ['csv', 'md', 'html', 'docx'] as const;
export type FeedbackFormat = (typeof feedbackFormats)[number];

/** Query of `GET /api/documents/:id/rounds/:roundId/feedback/export`. */
export const feedbackExportQuerySchema = z.object({ format: z.enum(feedbackFormats) });

/** The group of validators who gave no country or organisation. */
export const NO_COUNTRY = 'Country not given';

/** A person in the report: name, role when they wrote, and their country or organisation. */
export const feedbackPersonSchema = z.object({
  id: z.string(),
  name: z.string(),
  role: roleSchema.nullable(),
  affiliation: z.string().nullable(),
});
export type FeedbackPerson = z.infer<typeof feedbackPersonSchema>;

/** One comment of a feedback thread, as plain text (mentions written as names). */
export const feedbackCommentSchema = z.object({
  id: z.string(),
  author: feedbackPersonSchema,
  at: z.string(),
  text: z.string(),
  proposedWording: z.string().nullable(),
});
export type FeedbackComment = z.infer<typeof feedbackCommentSchema>;

/** One thread of feedback, placed in the version. */
export const feedbackThreadSchema = z.object({
  id: z.string(),
  /** What it is on: a text range, a whole clause or the whole text. */
  kind: z.enum(['range', 'clause', 'document']),
  /** The clause it is on in the version (null: the whole text). */
  clauseId: z.string().nullable(),
  /** That clause's number in the version. */
  clauseNumber: z.string().nullable(),
  /** The words commented on (ranges). */
  quote: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  /** The validator who gave the feedback (started the thread). */
  givenBy: feedbackPersonSchema,
  givenAt: z.string(),
  comments: z.array(feedbackCommentSchema),
  /** Set once carried to the live draft. */
  carried: z.object({ threadId: z.string(), by: z.string(), at: z.string() }).nullable(),
});
export type FeedbackThread = z.infer<typeof feedbackThreadSchema>;

/** A clause of the version with its feedback (clauseId null: on the whole text). */
export const clauseFeedbackSchema = z.object({
  clauseId: z.string().nullable(),
  number: z.string().nullable(),
  /** The clause's text in the version (the start of it). */
  text: z.string().nullable(),
  threads: z.array(feedbackThreadSchema),
});
export type ClauseFeedback = z.infer<typeof clauseFeedbackSchema>;

/** A country (the validators' affiliation) with its validators and their feedback. */
export const countryFeedbackSchema = z.object({
  country: z.string(),
  validators: z.array(z.object({ id: z.string(), name: z.string(), threads: z.number().int() })),
  threads: z.array(feedbackThreadSchema),
});
export type CountryFeedback = z.infer<typeof countryFeedbackSchema>;

/** The whole report (answer of `GET /api/documents/:id/rounds/:roundId/feedback`). */
export const feedbackReportSchema = z.object({
  document: z.object({ id: z.string(), title: z.string() }),
  round: roundSchema,
  version: z.object({ id: z.string(), label: z.string(), hash: z.string(), frozenAt: z.string() }),
  generatedAt: z.string(),
  summary: z.object({
    threads: z.number().int(),
    comments: z.number().int(),
    /** Validators who joined the round, and how many of them gave feedback. */
    validators: z.number().int(),
    validatorsWithFeedback: z.number().int(),
    countries: z.number().int(),
    clauses: z.number().int(),
    carried: z.number().int(),
  }),
  byClause: z.array(clauseFeedbackSchema),
  byCountry: z.array(countryFeedbackSchema),
});
export type FeedbackReport = z.infer<typeof feedbackReportSchema>;

/** What the report is built from. */
export interface FeedbackReportInput {
  document: FeedbackReport['document'];
  round: FeedbackReport['round'];
  version: FeedbackReport['version'];
  generatedAt: string;
  /** The version's clauses in the order of its text. */
  clauses: readonly { id: string; number: string; text: string }[];
  /** The round's validators (everyone who joined, with or without feedback). */
  validators: readonly { id: string; name: string; affiliation: string | null }[];
  threads: readonly FeedbackThread[];
}

/** The country a validator's feedback is counted under. */
export function countryOf(affiliation: string | null | undefined): string {
  const trimmed = affiliation?.trim();
  return trimmed ? trimmed : NO_COUNTRY;
}

const CLAUSE_TEXT_LENGTH = 280;

/**
 * Groups a round's feedback. By clause: feedback on the whole text first, then each clause that has
 * feedback in the order of the version (a clause id the version does not hold comes last), threads
 * oldest first. By country: countries in alphabetical order ("Country not given" last), each with all
 * its validators (also those who gave none) and its threads in the order of the text.
 */
export function buildFeedbackReport(input: FeedbackReportInput): FeedbackReport {
  const order = new Map(input.clauses.map((c, i) => [c.id, i]));
  const rank = (t: FeedbackThread) => (t.clauseId === null ? -1 : (order.get(t.clauseId) ?? input.clauses.length));
  const byTime = (a: FeedbackThread, b: FeedbackThread) => a.givenAt.localeCompare(b.givenAt) || a.id.localeCompare(b.id);
  const inTextOrder = [...input.threads].sort((a, b) => rank(a) - rank(b) || byTime(a, b));

  const clauseGroups = new Map<string | null, ClauseFeedback>();
  for (const thread of inTextOrder) {
    let group = clauseGroups.get(thread.clauseId);
    if (!group) {
      const clause = thread.clauseId === null ? undefined : input.clauses.find((c) => c.id === thread.clauseId);
      group = {
        clauseId: thread.clauseId,
        number: clause?.number ?? thread.clauseNumber,
        text: clause ? clip(clause.text) : null,
        threads: [],
      };
      clauseGroups.set(thread.clauseId, group);
    }
    group.threads.push(thread);
  }

  const countries = new Map<string, CountryFeedback>();
  const countryGroup = (country: string) => {
    let group = countries.get(country);
    if (!group) {
      group = { country, validators: [], threads: [] };
      countries.set(country, group);
    }
    return group;
  };
  const given = new Map<string, number>();
  for (const thread of inTextOrder) given.set(thread.givenBy.id, (given.get(thread.givenBy.id) ?? 0) + 1);
  for (const validator of [...input.validators].sort((a, b) => a.name.localeCompare(b.name))) {
    countryGroup(countryOf(validator.affiliation)).validators.push({
      id: validator.id,
      name: validator.name,
      threads: given.get(validator.id) ?? 0,
    });
  }
  for (const thread of inTextOrder) {
    const group = countryGroup(countryOf(thread.givenBy.affiliation));
    group.threads.push(thread);
    // Feedback of someone no longer listed as a validator still names them.
    if (!group.validators.some((v) => v.id === thread.givenBy.id)) {
      group.validators.push({ id: thread.givenBy.id, name: thread.givenBy.name, threads: given.get(thread.givenBy.id) ?? 0 });
    }
  }
  const byCountry = [...countries.values()].sort((a, b) =>
    a.country === NO_COUNTRY ? 1 : b.country === NO_COUNTRY ? -1 : a.country.localeCompare(b.country),
  );

  return {
    document: input.document,
    round: input.round,
    version: input.version,
    generatedAt: input.generatedAt,
    summary: {
      threads: input.threads.length,
      comments: input.threads.reduce((n, t) => n + t.comments.length, 0),
      validators: input.validators.length,
      validatorsWithFeedback: given.size,
      countries: new Set(input.threads.map((t) => countryOf(t.givenBy.affiliation))).size,
      clauses: [...clauseGroups.keys()].filter((id) => id !== null).length,
      carried: input.threads.filter((t) => t.carried !== null).length,
    },
    byClause: [...clauseGroups.values()],
    byCountry,
  };
}

function clip(text: string): string {
  return text.length > CLAUSE_TEXT_LENGTH ? `${text.slice(0, CLAUSE_TEXT_LENGTH - 1)}…` : text;
}

/** "Clause 1.3", or "Whole text" for feedback on the whole version. */
export function clauseHeading(number: string | null, clauseId: string | null): string {
  if (clauseId === null) return 'Whole text';
  return number ? `Clause ${number}` : 'A clause no longer numbered';
}

/** "12 threads of feedback (20 comments) from 4 of 5 validators, 3 countries, on 6 clauses; 2 carried to the live draft." */
export function summaryLine(report: Pick<FeedbackReport, 'summary'>): string {
  const s = report.summary;
  if (s.threads === 0) {
    if (s.validators === 0) return 'No feedback yet: no validator has joined the round.';
    return `No feedback yet from the round's ${s.validators === 1 ? 'validator' : `${s.validators} validators`}.`;
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return (
    `${plural(s.threads, 'thread', 'threads')} of feedback (${plural(s.comments, 'comment', 'comments')}) ` +
    `from ${s.validatorsWithFeedback} of ${plural(s.validators, 'validator', 'validators')}, ` +
    `${plural(s.countries, 'country', 'countries')}, on ${plural(s.clauses, 'clause', 'clauses')}; ` +
    `${s.carried} carried to the live draft.`
  );
}
