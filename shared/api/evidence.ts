import { z } from 'zod';

/**
 * Wire types of the consultation evidence API (docs/api.md, "Evidence"): the library of reports of a
 * dialogue, excerpts of reports, links from clauses to excerpts, search, coverage and the record of
 * consultation. The server validates every input with these schemas; the client validates every answer.
 */

/** The kinds of consultation report a library holds. */
export const reportKinds = ['national_consultation', 'regional_validation', 'thematic_meeting', 'expert_input'] as const;
export type ReportKind = (typeof reportKinds)[number];

/** How a kind of report is named to people. */
export const reportKindLabels: Record<ReportKind, string> = {
  national_consultation: 'National consultation',
  regional_validation: 'Regional validation',
  thematic_meeting: 'Thematic meeting',
  expert_input: 'Expert input',
};

/** How a clause relates to an excerpt it is linked to. */
export const evidenceRelations = ['supports', 'challenges'] as const;
export type EvidenceRelation = (typeof evidenceRelations)[number];

/** How a report's text came into the library. */
export const reportSources = ['manual', 'text', 'markdown', 'docx', 'pdf'] as const;
export type ReportSource = (typeof reportSources)[number];

/** Longest report text the library keeps, in characters (about 300 printed pages). */
export const MAX_REPORT_CHARS = 1_000_000;
/** Largest file an import accepts, in bytes. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Most themes one excerpt may carry. */
export const MAX_THEMES = 12;

/** A calendar date `YYYY-MM-DD` that exists (no 2030-02-31). */
export const isoDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'not a real calendar date');

/** Trims, collapses inner whitespace and lower-cases a theme, so "Youth  Participation" = "youth participation". */
export function normalizeTheme(theme: string): string {
  return theme.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A theme (tag) of an excerpt, normalised. */
export const themeSchema = z
  .string()
  .transform(normalizeTheme)
  .pipe(z.string().min(1, 'a theme may not be empty').max(60, 'a theme has at most 60 characters'));

/** A list of themes, normalised and without duplicates. */
export const themesSchema = z
  .array(themeSchema)
  .max(MAX_THEMES, `at most ${MAX_THEMES} themes`)
  .transform((themes) => [...new Set(themes)]);

/** The descriptive fields of a report, as a person fills them in. */
export const reportMetaSchema = z.object({
  /** The country or region the consultation was held in (or for). */
  country: z.string().trim().min(1, 'name the country or region').max(120),
  kind: z.enum(reportKinds),
  /** The national focal point or author; may be empty. */
  focalPoint: z.string().trim().max(200).default(''),
  date: isoDateSchema,
  title: z.string().trim().min(1, 'give the report a title').max(300),
});
export type ReportMeta = z.infer<typeof reportMetaSchema>;

/** Body of `POST /api/dialogues/:id/evidence/reports`: a report typed or pasted by hand. */
export const createReportBodySchema = reportMetaSchema.extend({
  text: z
    .string()
    .max(MAX_REPORT_CHARS, `a report has at most ${MAX_REPORT_CHARS.toLocaleString('en')} characters`)
    .refine((t) => t.trim().length > 0, 'the report text is empty'),
});
export type CreateReportBody = z.infer<typeof createReportBodySchema>;

/** Body of `PATCH …/reports/:reportId`: any of the descriptive fields (the text itself is fixed). */
export const updateReportBodySchema = z
  .object({
    country: reportMetaSchema.shape.country,
    kind: reportMetaSchema.shape.kind,
    focalPoint: z.string().trim().max(200),
    date: isoDateSchema,
    title: reportMetaSchema.shape.title,
  })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export type UpdateReportBody = z.infer<typeof updateReportBodySchema>;

/**
 * Metadata sent with a file import (multipart form fields). Every field is optional: a missing title
 * is taken from the file (its heading, its PDF title, or its name).
 */
export const importFieldsSchema = z.object({
  country: reportMetaSchema.shape.country,
  kind: reportMetaSchema.shape.kind,
  focalPoint: z.string().trim().max(200).default(''),
  date: isoDateSchema,
  title: z.string().trim().max(300).optional(),
});
export type ImportFields = z.infer<typeof importFieldsSchema>;

/** A person as shown beside what they did. */
export const actorSchema = z.object({ id: z.string(), name: z.string() });
export type Actor = z.infer<typeof actorSchema>;

/** A report in lists and search results (without its text). */
export const reportSummarySchema = z.object({
  id: z.string(),
  dialogueId: z.string(),
  country: z.string(),
  kind: z.enum(reportKinds),
  focalPoint: z.string(),
  date: z.string(),
  title: z.string(),
  source: z.enum(reportSources),
  sourceFilename: z.string().nullable(),
  textLength: z.number(),
  excerptCount: z.number(),
  createdBy: actorSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /**
   * With a search: a passage of the text around the matches, where each match is enclosed in
   * `SNIPPET_OPEN` … `SNIPPET_CLOSE` (control characters, never in stored text); null otherwise.
   */
  snippet: z.string().nullable(),
});
export type ReportSummary = z.infer<typeof reportSummarySchema>;

/** Marks the start of a search match in a snippet. */
export const SNIPPET_OPEN = '\u0002';
/** Marks the end of a search match in a snippet. */
export const SNIPPET_CLOSE = '\u0003';

/** An excerpt: a passage of a report, by character offsets into its text, with themes. */
export const excerptSchema = z.object({
  id: z.string(),
  reportId: z.string(),
  /** Offset of the first character of the passage in the report text (UTF-16 code units). */
  start: z.number(),
  /** Offset just after the last character. */
  end: z.number(),
  quote: z.string(),
  themes: z.array(z.string()),
  note: z.string(),
  createdBy: actorSchema.nullable(),
  createdAt: z.string(),
  /** How many clause links (in any document of the dialogue) rest on this excerpt. */
  linkCount: z.number(),
});
export type Excerpt = z.infer<typeof excerptSchema>;

/** Answer of `GET …/reports/:reportId`: the report with its text and its excerpts in text order. */
export const reportDetailSchema = reportSummarySchema.extend({
  text: z.string(),
  excerpts: z.array(excerptSchema),
});
export type ReportDetail = z.infer<typeof reportDetailSchema>;

/** Body of `POST …/reports/:reportId/excerpts`. `quote` must equal the text between the offsets. */
export const createExcerptBodySchema = z
  .object({
    start: z.number().int().min(0),
    end: z.number().int().min(1),
    quote: z.string().min(1).max(20_000),
    themes: themesSchema.default([]),
    note: z.string().trim().max(2000).default(''),
  })
  .refine((b) => b.end > b.start, { message: 'end must come after start', path: ['end'] })
  .refine((b) => b.end - b.start === b.quote.length, {
    message: 'the quote does not span the offsets',
    path: ['quote'],
  });
export type CreateExcerptBody = z.infer<typeof createExcerptBodySchema>;

/** Body of `PATCH …/excerpts/:excerptId`. */
export const updateExcerptBodySchema = z
  .object({ themes: themesSchema, note: z.string().trim().max(2000) })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export type UpdateExcerptBody = z.infer<typeof updateExcerptBodySchema>;

/** The report an excerpt comes from, as shown beside the excerpt. */
export const reportRefSchema = z.object({
  id: z.string(),
  title: z.string(),
  country: z.string(),
  kind: z.enum(reportKinds),
  date: z.string(),
  focalPoint: z.string(),
});
export type ReportRef = z.infer<typeof reportRefSchema>;

/** An excerpt found by a search, with its report and a snippet of the match. */
export const excerptHitSchema = excerptSchema.extend({ report: reportRefSchema, snippet: z.string().nullable() });
export type ExcerptHit = z.infer<typeof excerptHitSchema>;

/** Query of the library's lists: full-text `q` and filters, all optional. */
export const librarySearchQuerySchema = z
  .object({
    q: z.string().trim().max(200).optional(),
    country: z.string().trim().min(1).max(120).optional(),
    kind: z.enum(reportKinds).optional(),
    theme: themeSchema.optional(),
    from: isoDateSchema.optional(),
    to: isoDateSchema.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(100_000).default(0),
  })
  .refine((q) => !q.from || !q.to || q.from <= q.to, { message: '"from" is after "to"', path: ['from'] });
export type LibrarySearchQuery = z.infer<typeof librarySearchQuerySchema>;

/** Answer of `GET …/evidence/reports`. `total` counts every match, `reports` is one page of them. */
export const reportListSchema = z.object({ reports: z.array(reportSummarySchema), total: z.number() });
export type ReportList = z.infer<typeof reportListSchema>;

/** Answer of `GET …/evidence/excerpts`. */
export const excerptListSchema = z.object({ excerpts: z.array(excerptHitSchema), total: z.number() });
export type ExcerptList = z.infer<typeof excerptListSchema>;

/** A value of a filter with how many reports have it. */
export const facetSchema = z.object({ value: z.string(), count: z.number() });

/** Answer of `GET …/evidence/facets`: what the filters can choose from. */
export const facetsSchema = z.object({
  countries: z.array(facetSchema),
  kinds: z.array(z.object({ value: z.enum(reportKinds), count: z.number() })),
  themes: z.array(facetSchema),
  dates: z.object({ first: z.string().nullable(), last: z.string().nullable() }),
});
export type Facets = z.infer<typeof facetsSchema>;

/** Answer of `POST …/reports` and `POST …/imports`. */
export const reportResponseSchema = z.object({ report: reportDetailSchema });
export type ReportResponse = z.infer<typeof reportResponseSchema>;

/** Answer of `POST …/excerpts` and `PATCH …/excerpts/:id`. */
export const excerptResponseSchema = z.object({ excerpt: excerptSchema });

/** Where an import stands on the server (`GET …/imports/:uploadId`). */
export const importStates = ['receiving', 'extracting', 'saving', 'done', 'failed'] as const;
export type ImportState = (typeof importStates)[number];
export const importProgressSchema = z.object({
  uploadId: z.string(),
  state: z.enum(importStates),
  /** Pages read so far and in all (PDF), or null when the format has no pages. */
  pages: z.object({ done: z.number(), total: z.number() }).nullable(),
  reportId: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type ImportProgress = z.infer<typeof importProgressSchema>;

/** An upload id chosen by the client so that it can ask how its import goes. */
export const uploadIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** A clause id as the editor makes them (`c-` + base-36), or any stored id of that alphabet. */
export const clauseIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not a clause id');

/** A link from a clause to an excerpt, with what is shown beside it. */
export const evidenceLinkSchema = z.object({
  id: z.string(),
  documentId: z.string(),
  clauseId: z.string(),
  relation: z.enum(evidenceRelations),
  note: z.string(),
  createdBy: actorSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  excerpt: z.object({
    id: z.string(),
    quote: z.string(),
    themes: z.array(z.string()),
    start: z.number(),
    end: z.number(),
  }),
  report: reportRefSchema,
});
export type EvidenceLink = z.infer<typeof evidenceLinkSchema>;

/** Answer of `GET /api/documents/:id/evidence/links`. */
export const evidenceLinkListSchema = z.object({ links: z.array(evidenceLinkSchema) });
export type EvidenceLinkList = z.infer<typeof evidenceLinkListSchema>;

/** Query of `GET /api/documents/:id/evidence/links`. */
export const linkListQuerySchema = z.object({ clauseId: clauseIdSchema.optional() });

/** Body of `POST /api/documents/:id/evidence/links`. */
export const createLinkBodySchema = z.object({
  clauseId: clauseIdSchema,
  excerptId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'not an excerpt id'),
  relation: z.enum(evidenceRelations),
  note: z.string().trim().max(2000).default(''),
});
export type CreateLinkBody = z.infer<typeof createLinkBodySchema>;

/** Body of `PATCH /api/documents/:id/evidence/links/:linkId`. */
export const updateLinkBodySchema = z
  .object({ relation: z.enum(evidenceRelations), note: z.string().trim().max(2000) })
  .partial()
  .refine((body) => Object.keys(body).length > 0, 'change at least one field');
export type UpdateLinkBody = z.infer<typeof updateLinkBodySchema>;

/** Answer of `POST` and `PATCH` on links. */
export const evidenceLinkResponseSchema = z.object({ link: evidenceLinkSchema });

/**
 * Live events of the evidence feature (message type 101 on the document socket). Both are hints to
 * refetch: `evidence.library_changed` goes to every document of the dialogue, `evidence.links_changed`
 * to the document whose links changed, with the clause concerned.
 */
export const evidenceEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('evidence.library_changed'),
    documentId: z.string(),
    dialogueId: z.string(),
    what: z.enum(['report', 'excerpt']),
    id: z.string(),
    change: z.enum(['created', 'updated', 'deleted']),
  }),
  z.object({
    type: z.literal('evidence.links_changed'),
    documentId: z.string(),
    clauseIds: z.array(z.string()),
    linkId: z.string().nullable(),
    change: z.enum(['created', 'updated', 'deleted']),
  }),
]);
export type EvidenceEvent = z.infer<typeof evidenceEventSchema>;

/** Query of coverage and record endpoints: the format of the answer. */
export const coverageQuerySchema = z.object({
  format: z.enum(['json', 'csv']).default('json'),
  /** Which CSV table: the clause × country matrix, or the reports with their citations. */
  table: z.enum(['clauses', 'reports']).default('clauses'),
});
export const recordQuerySchema = z.object({ format: z.enum(['json', 'markdown', 'html']).default('json') });
