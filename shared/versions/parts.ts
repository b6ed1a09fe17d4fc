/**
 * The parts of a snapshot that other features contribute (see `server/domain/versions/snapshotParts.ts`)
 * and that compare and export understand. A part is stored under its key as whatever JSON its provider
 * collected; these schemas are how readers interpret the well-known keys. A part that is absent or does
 * not match its schema is simply left out of a comparison or an export, never an error.
 */
import { z } from 'zod';
import { clauseStatuses } from '../permissions/can';

/** Well-known part keys. */
export const partKeys = {
  /** Clause statuses at the freeze: `{ [clauseId]: status }` (issue 4). */
  clauseStatus: 'clauseStatus',
  /** Open comment threads at the freeze (issue 3). */
  openThreads: 'openThreads',
  /** Links from clauses to consultation evidence (issue 5); opaque to export. */
  evidenceLinks: 'evidenceLinks',
  /** The generated "record of consultation" annex, ready to print (issue 5). */
  consultationAnnex: 'consultationAnnex',
} as const;

/** `clauseStatus`: the status of each clause, by clause id. */
export const clauseStatusPartSchema = z.record(z.string(), z.enum(clauseStatuses));
export type ClauseStatusPart = z.infer<typeof clauseStatusPartSchema>;

const threadMessageSchema = z.object({
  author: z.string(),
  /** The author's country or organisation, when known. */
  affiliation: z.string().nullable().optional(),
  at: z.string(),
  text: z.string(),
});

/** `openThreads`: the threads still open, each anchored to a clause (or the whole document). */
export const openThreadsPartSchema = z.array(
  z.object({
    id: z.string(),
    /** The clause the thread is anchored to; null for a thread on the whole document. */
    clauseId: z.string().nullable(),
    /** The quoted text the thread is anchored to, if any. */
    quote: z.string().nullable().optional(),
    messages: z.array(threadMessageSchema).min(1),
  }),
);
export type OpenThreadsPart = z.infer<typeof openThreadsPartSchema>;

/** `consultationAnnex`: a printable annex of titled sections of paragraphs. */
export const consultationAnnexPartSchema = z.object({
  title: z.string(),
  sections: z.array(z.object({ heading: z.string(), paragraphs: z.array(z.string()) })),
});
export type ConsultationAnnexPart = z.infer<typeof consultationAnnexPartSchema>;

/** Reads a part with its schema: the value, or null when it is absent or malformed. */
export function readPart<T>(parts: Record<string, unknown>, key: string, schema: z.ZodType<T>): T | null {
  if (!(key in parts)) return null;
  const parsed = schema.safeParse(parts[key]);
  return parsed.success ? parsed.data : null;
}
