import { z } from 'zod';

/** A validation round on the wire. */
export const roundSchema = z.object({
  id: z.string(),
  versionId: z.string(),
  versionLabel: z.string(),
  title: z.string(),
  closesAt: z.string(),
  /** False once closed by hand or past its closing date. */
  open: z.boolean(),
  closedAt: z.string().nullable(),
  createdAt: z.string(),
});
export type Round = z.infer<typeof roundSchema>;

const emailSchema = z.string().trim().toLowerCase().email('Not an email address').max(320);

/** Body of `POST /api/documents/:id/rounds` (open a round). */
export const openRoundBodySchema = z.object({
  versionId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  title: z.string().trim().min(1, 'A title is required').max(120),
  /** ISO-8601 date-time; must be in the future. */
  closesAt: z.iso.datetime({ offset: true }),
  invite: z.array(emailSchema).max(200).default([]),
});

/** Body of `POST /api/documents/:id/rounds/:roundId/invitations`. */
export const inviteBodySchema = z.object({ emails: z.array(emailSchema).min(1).max(200) });

/** An invitation as the Secretariat sees it; `link` only right after it was made (the token is never stored). */
export const invitationSchema = z.object({
  email: z.string(),
  acceptedAt: z.string().nullable(),
  link: z.string().nullable(),
});

/** Answer of `GET /api/documents/:id/rounds/:roundId`. */
export const roundDetailSchema = z.object({
  round: roundSchema,
  validators: z.array(z.object({ userId: z.string(), name: z.string(), affiliation: z.string().nullable(), joinedAt: z.string() })),
  /** Only for those who manage rounds. */
  invitations: z.array(invitationSchema).nullable(),
});

/** Answer of `GET /api/invitations/:token`: what the invitation is for, before accepting it. */
export const invitationInfoSchema = z.object({
  email: z.string(),
  documentTitle: z.string(),
  dialogueName: z.string(),
  round: z.object({ title: z.string(), closesAt: z.string(), open: z.boolean(), versionLabel: z.string() }),
  /** An account with the invitation's email exists: sign in as it, then accept. */
  accountExists: z.boolean(),
  accepted: z.boolean(),
});

/** Body of `POST /api/invitations/:token/accept`; name and password only when no account exists yet. */
export const acceptInvitationBodySchema = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  affiliation: z.string().trim().max(200).optional(),
  password: z.string().min(10, 'Use at least 10 characters').max(1024).optional(),
});

/** Answer of accepting: where the validator goes next. */
export const acceptedInvitationSchema = z.object({ documentId: z.string(), roundId: z.string(), versionId: z.string() });
