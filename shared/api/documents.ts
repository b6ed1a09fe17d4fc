import { z } from 'zod';
import { roles } from '../permissions/roles';

/** A role name on the wire; one of `roles` in shared/permissions. */
export const roleSchema = z.enum(roles);

/**
 * Per-document policies, stored as JSON on the document. Unknown keys are dropped and missing ones
 * take their defaults, so settings written by an older version still parse.
 */
export const documentSettingsSchema = z.object({
  /** Drafters may only change the text in suggesting mode (tracked changes). */
  requireSuggestingForDrafters: z.boolean().default(false),
  /** Clauses with status `agreed` are locked for drafters in the editor. */
  lockAgreedClauses: z.boolean().default(true),
  /**
   * After a freeze, clauses inserted between numbered ones are numbered "4 bis", "4 ter" … against the
   * last version's numbers until the next freeze renumbers (see shared/numbering.ts).
   */
  bisNumbering: z.boolean().default(false),
});
export type DocumentSettings = z.infer<typeof documentSettingsSchema>;

/** The settings of a document that has none stored. */
export const defaultDocumentSettings: DocumentSettings = documentSettingsSchema.parse({});

/** One entry of `GET /api/documents`: a document the user may read, with their role on it. */
export const documentSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  dialogueId: z.string(),
  dialogueName: z.string(),
  role: roleSchema,
  updatedAt: z.string(),
});
export type DocumentSummary = z.infer<typeof documentSummarySchema>;

/** A member of a dialogue with what people see of them. */
export const memberSchema = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  affiliation: z.string().nullable(),
});
export type Member = z.infer<typeof memberSchema>;

/** Answer of `GET /api/documents/:id`. */
export const documentDetailSchema = z.object({
  id: z.string(),
  title: z.string(),
  dialogueId: z.string(),
  dialogueName: z.string(),
  role: roleSchema,
  settings: documentSettingsSchema,
  members: z.array(memberSchema),
});
export type DocumentDetail = z.infer<typeof documentDetailSchema>;
