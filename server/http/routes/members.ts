import { addMemberBodySchema, setRoleBodySchema } from '@shared/api/members';
import { can, type Role } from '@shared/permissions';
import { Hono } from 'hono';
import { z } from 'zod';
import type { CollabControl, ServerContext } from '../../context';
import { auditLogFor } from '../../store/auditLog';
import { Documents } from '../../store/documents';
import { Members, type MemberWithUser } from '../../store/members';
import { Users } from '../../store/users';
import type { AuthedEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';

const memberParam = idParam.extend({ userId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });

/**
 * `/api/dialogues/:id/members`: any member may list the members of their dialogue; only those who may
 * `member.manage` (the Secretariat) add an existing account, change a role or remove a member. A change takes effect at once:
 * the collaboration server downgrades or closes the member's open connections, every viewer of the
 * dialogue's documents gets a `member.changed` event, and the change is audit-logged.
 */
export function memberRoutes(ctx: ServerContext, collab: CollabControl) {
  const members = new Members(ctx.store);
  const documents = new Documents(ctx.store);
  const users = new Users(ctx.store);
  const audit = auditLogFor(ctx.store);

  async function memberOf(dialogueId: string, userId: string): Promise<MemberWithUser> {
    const member = (await members.list(dialogueId)).find((m) => m.userId === userId);
    if (!member) throw new HttpError(404, 'not_found', 'This user is not a member of the dialogue.');
    return member;
  }

  /** The caller's role in the dialogue; a non-member gets 404 so that dialogue ids are not revealed. */
  async function callerRole(dialogueId: string, userId: string): Promise<Role> {
    const role = await members.roleOf(dialogueId, userId);
    if (!role) throw new HttpError(404, 'not_found', 'Dialogue not found.');
    return role;
  }

  async function requireManager(dialogueId: string, userId: string): Promise<void> {
    if (!can(await callerRole(dialogueId, userId), 'member.manage')) {
      throw new HttpError(403, 'forbidden', 'Only the Secretariat may manage members.');
    }
  }

  /** Refuses to leave a dialogue without anyone able to manage its members. */
  async function keepOneSecretariat(dialogueId: string, current: Role, next: Role | null): Promise<void> {
    if (current !== 'secretariat' || next === 'secretariat') return;
    if ((await members.countWithRole(dialogueId, 'secretariat')) <= 1) {
      throw new HttpError(409, 'last_secretariat', 'A dialogue must keep at least one Secretariat member.');
    }
  }

  async function announce(dialogueId: string, userId: string, role: Role | null): Promise<void> {
    await collab.accessChanged(dialogueId, userId);
    for (const documentId of await documents.idsInDialogue(dialogueId)) {
      collab.publish({ type: 'member.changed', documentId, dialogueId, userId, role });
    }
  }

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/:id/members', validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await callerRole(id, c.var.user.id);
      return c.json({ members: await members.list(id) });
    })
    .post('/:id/members', validate('param', idParam), validate('json', addMemberBodySchema), async (c) => {
      const { id } = c.req.valid('param');
      const { email, role } = c.req.valid('json');
      await requireManager(id, c.var.user.id);
      const user = await users.findByEmail(email);
      if (!user) throw new HttpError(404, 'not_found', 'No account has this email address.');
      if (await members.roleOf(id, user.id))
        throw new HttpError(409, 'conflict', 'This person is already a member.');
      await members.add(id, user.id, role);
      await audit.append({
        dialogueId: id,
        actorId: c.var.user.id,
        action: 'member.added',
        detail: { userId: user.id, role },
      });
      await announce(id, user.id, role);
      return c.json({ member: await memberOf(id, user.id) }, 201);
    })
    .patch(
      '/:id/members/:userId',
      validate('param', memberParam),
      validate('json', setRoleBodySchema),
      async (c) => {
        const { id, userId } = c.req.valid('param');
        const { role } = c.req.valid('json');
        await requireManager(id, c.var.user.id);
        const current = await members.roleOf(id, userId);
        if (!current) throw new HttpError(404, 'not_found', 'This user is not a member of the dialogue.');
        await keepOneSecretariat(id, current, role);
        if (current !== role) {
          await members.setRole(id, userId, role);
          await audit.append({
            dialogueId: id,
            actorId: c.var.user.id,
            action: 'member.role_changed',
            detail: { userId, from: current, to: role },
          });
          await announce(id, userId, role);
        }
        return c.json({ member: await memberOf(id, userId) });
      },
    )
    .delete('/:id/members/:userId', validate('param', memberParam), async (c) => {
      const { id, userId } = c.req.valid('param');
      await requireManager(id, c.var.user.id);
      const current = await members.roleOf(id, userId);
      if (!current) throw new HttpError(404, 'not_found', 'This user is not a member of the dialogue.');
      await keepOneSecretariat(id, current, null);
      await members.remove(id, userId);
      await audit.append({
        dialogueId: id,
        actorId: c.var.user.id,
        action: 'member.removed',
        detail: { userId, role: current },
      });
      await announce(id, userId, null);
      return c.body(null, 204);
    });
}
