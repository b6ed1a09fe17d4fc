import { z } from 'zod';

/** Query of `GET /api/documents/:id/audit`: newest first, `before` pages to older entries. */
export const auditQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  before: z.coerce.number().int().min(1).optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** One audit entry as the API shows it. */
export const auditEntrySchema = z.object({
  id: z.number(),
  at: z.string(),
  actorId: z.string().nullable(),
  actorName: z.string().nullable(),
  action: z.string(),
  detail: z.record(z.string(), z.unknown()),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** Answer of `GET /api/documents/:id/audit`; `nextBefore` is null on the last page. */
export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextBefore: z.number().nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
