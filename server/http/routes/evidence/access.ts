import { type Action, can, type Role } from '@shared/permissions';
import type { ServerContext } from '../../../context';
import { Members } from '../../../store/members';
import { HttpError } from '../../errors';

const refusals: Partial<Record<Action, string>> = {
  'evidence.read': 'Your role does not give access to the evidence library.',
  'evidence.manage': 'Only the Secretariat, the Co-Chairs and the steering group may change the evidence.',
};

/** Refuses with 403 unless `role` may perform `action`. */
export function requireCan(role: Role, action: Action): void {
  if (!can(role, action)) throw new HttpError(403, 'forbidden', refusals[action] ?? 'You may not do this.');
}

/**
 * The caller's role in a dialogue, checked for `action`. A non-member gets 404 (as if the dialogue did
 * not exist, so that ids are not revealed); a member whose role may not do it gets 403.
 */
export async function dialogueRole(ctx: ServerContext, userId: string, dialogueId: string, action: Action): Promise<Role> {
  const role = await new Members(ctx.store).roleOf(dialogueId, userId);
  if (!role) throw new HttpError(404, 'not_found', 'Dialogue not found.');
  requireCan(role, action);
  return role;
}
