import { z } from 'zod';
import { memberSchema, roleSchema } from './documents';

/** Body of `PATCH /api/dialogues/:id/members/:userId`: the member's new role. */
export const setRoleBodySchema = z.object({ role: roleSchema });
export type SetRoleBody = z.infer<typeof setRoleBodySchema>;

/** Body of `POST /api/dialogues/:id/members`: adds the account with this email, with a role. */
export const addMemberBodySchema = z.object({ email: z.string().trim().min(3).max(320), role: roleSchema });
export type AddMemberBody = z.infer<typeof addMemberBodySchema>;

/** Answer of `POST` and `PATCH` on members: the member as now stored. */
export const memberResponseSchema = z.object({ member: memberSchema });
export type MemberResponse = z.infer<typeof memberResponseSchema>;

/** Answer of `GET /api/dialogues/:id/members`. */
export const memberListSchema = z.object({ members: z.array(memberSchema) });
export type MemberList = z.infer<typeof memberListSchema>;
