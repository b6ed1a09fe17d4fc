import { z } from 'zod';

/** Body of `POST /api/session` (sign in). Emails are compared case-insensitively. */
export const signInBodySchema = z.object({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(1).max(1024),
});
export type SignInBody = z.infer<typeof signInBodySchema>;

/** A user as the API shows them: never the password hash. */
export const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  affiliation: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

/** Answer of `POST /api/session` and `GET /api/session`. */
export const sessionResponseSchema = z.object({ user: userSchema });
export type SessionResponse = z.infer<typeof sessionResponseSchema>;
