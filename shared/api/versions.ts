import { z } from 'zod';
import { numberingBaselineSchema } from '../numbering';
import { versionContentSchema } from '../versions/content';

/** A frozen version as lists and pages show it (its content is fetched separately). */
export const versionSummarySchema = z.object({
  id: z.string(),
  /** 1, 2, 3 … in freezing order. */
  seq: z.number().int(),
  label: z.string(),
  meeting: z.string().nullable(),
  note: z.string().nullable(),
  frozenAt: z.string(),
  frozenBy: z.object({ id: z.string(), name: z.string().nullable() }),
  /** SHA-256 (hex) of the version's canonical content. */
  hash: z.string(),
});
export type VersionSummary = z.infer<typeof versionSummarySchema>;

/** Answer of `GET /api/documents/:id/versions`. */
export const versionListSchema = z.object({ versions: z.array(versionSummarySchema) });

/** Answer of `GET /api/documents/:id/versions/:versionId`: the version and its full content. */
export const versionDetailSchema = z.object({ version: versionSummarySchema, content: versionContentSchema });
export type VersionDetail = z.infer<typeof versionDetailSchema>;

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max)
    .nullish()
    .transform((v) => (v ? v : null));

/** Body of `POST /api/documents/:id/versions` (freeze). */
export const freezeBodySchema = z.object({
  label: z.string().trim().min(1, 'A label is required').max(80),
  meeting: optionalText(200),
  note: optionalText(2000),
});
export type FreezeBody = z.input<typeof freezeBodySchema>;

/** Body of `POST /api/documents/:id/versions/:versionId/restore`: the caller confirmed. */
export const restoreBodySchema = z.object({ confirm: z.literal(true) });

/** Answer of `GET /api/documents/:id/versions/:versionId/verify`. */
export const verifyAnswerSchema = z.object({
  ok: z.boolean(),
  storedHash: z.string(),
  computedHash: z.string(),
});

/** Which text a comparison side is: a version id, or `live` for the live draft. */
export const compareQuerySchema = z.object({
  from: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  to: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
});

const redlineSchema = z.array(z.object({ op: z.enum(['equal', 'inserted', 'deleted']), text: z.string() }));
const changeKindSchema = z.enum(['added', 'removed', 'moved', 'renumbered', 'changed']);
const clausePlaceSchema = z.object({
  number: z.string(),
  objectiveId: z.string().nullable(),
  objectiveNumber: z.string(),
  text: z.string(),
});
const objectivePlaceSchema = z.object({ number: z.string(), heading: z.string(), rationale: z.string() });

/** A clause-by-clause comparison on the wire (the shape of `DocumentComparison` in shared/diff). */
export const comparisonSchema = z.object({
  title: redlineSchema.nullable(),
  preamble: redlineSchema.nullable(),
  objectives: z.array(
    z.object({
      id: z.string(),
      changes: z.array(changeKindSchema),
      before: objectivePlaceSchema.nullable(),
      after: objectivePlaceSchema.nullable(),
      heading: redlineSchema.nullable(),
      rationale: redlineSchema.nullable(),
    }),
  ),
  clauses: z.array(
    z.object({
      id: z.string(),
      changes: z.array(changeKindSchema),
      before: clausePlaceSchema.nullable(),
      after: clausePlaceSchema.nullable(),
      redline: redlineSchema.nullable(),
      status: z.object({ before: z.string().nullable(), after: z.string().nullable() }).nullable(),
    }),
  ),
  statusesCompared: z.boolean(),
  counts: z.object({
    clausesChanged: z.number(),
    clausesAdded: z.number(),
    clausesRemoved: z.number(),
    clausesMoved: z.number(),
    clausesRenumbered: z.number(),
    objectivesChanged: z.number(),
    objectivesAdded: z.number(),
    objectivesRemoved: z.number(),
    objectivesMoved: z.number(),
    objectivesRenumbered: z.number(),
    statusChanges: z.number(),
  }),
  summary: z.string(),
});

/** One side of a comparison as the answer names it. */
export const compareSideSchema = z.object({
  kind: z.enum(['version', 'live']),
  versionId: z.string().nullable(),
  label: z.string(),
  frozenAt: z.string().nullable(),
  hash: z.string().nullable(),
});

/** Answer of `GET /api/documents/:id/compare?from=…&to=…`. */
export const compareAnswerSchema = z.object({
  from: compareSideSchema,
  to: compareSideSchema,
  comparison: comparisonSchema,
});
export type CompareAnswer = z.infer<typeof compareAnswerSchema>;

/** The export formats, with their file extensions. */
export const exportFormats = ['docx', 'pdf', 'md', 'html', 'akn'] as const;
export type ExportFormat = (typeof exportFormats)[number];

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

/** Query of the export endpoints: the format and the optional contents. */
export const exportQuerySchema = z.object({
  format: z.enum(exportFormats),
  /** Show each clause's status. */
  status: flag,
  /** Append the record-of-consultation annex. */
  annex: flag,
  /** List the open threads under their clauses. */
  threads: flag,
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;

/** Answer of `GET /api/documents/:id/numbering`: how the live draft is numbered. */
export const numberingAnswerSchema = z.object({
  /** The document setting: number insertions "bis", "ter" … against the last freeze. */
  bisNumbering: z.boolean(),
  /** The baseline in force (null when the setting is off or nothing was frozen yet). */
  baseline: numberingBaselineSchema.nullable(),
  /** The version the baseline comes from. */
  basedOn: z.object({ id: z.string(), label: z.string() }).nullable(),
});
export type NumberingAnswer = z.infer<typeof numberingAnswerSchema>;

/** Body of `PUT /api/documents/:id/numbering`. */
export const numberingBodySchema = z.object({ bisNumbering: z.boolean() });

/** Which optional contents an export of a document can include (the parts that exist). */
export const exportOptionsAnswerSchema = z.object({
  status: z.boolean(),
  annex: z.boolean(),
  threads: z.boolean(),
});
