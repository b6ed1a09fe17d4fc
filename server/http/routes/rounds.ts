import {
  acceptInvitationBodySchema,
  inviteBodySchema,
  openRoundBodySchema,
} from '@shared/api/rounds';
import { can } from '@shared/permissions';
import { feedbackExportQuerySchema } from '@shared/rounds/feedback';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { z } from 'zod';
import { documentAccess } from '../../auth/access';
import { hashPassword } from '../../auth/password';
import { authenticate } from '../../auth/sessionFromCookie';
import type { CollabControl, ServerContext } from '../../context';
import { feedbackReportOf } from '../../domain/rounds/feedbackReport';
import { renderFeedback } from '../../domain/rounds/feedbackExport/render';
import { auditLogFor } from '../../store/auditLog';
import { Documents } from '../../store/documents';
import { Members } from '../../store/members';
import { type RoundRecord, Rounds, roundSummary } from '../../store/rounds';
import { Sessions } from '../../store/sessions';
import { Users } from '../../store/users';
import { Versions } from '../../store/versions';
import { setSessionCookie } from '../cookies';
import type { AuthedEnv, BaseEnv } from '../env';
import { HttpError } from '../errors';
import { requireSession } from '../middleware/requireSession';
import { idParam, validate } from '../validate';
import { fileStem } from './versions';

const roundParam = idParam.extend({ roundId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/) });
const tokenParam = z.object({ token: z.string().regex(/^[A-Za-z0-9_-]{20,100}$/) });

/** The link a person opens to accept an invitation, on the server's own origin. */
function invitationLink(c: Context, token: string): string {
  const url = new URL(c.req.url);
  return `${url.protocol}//${c.req.header('host') ?? url.host}/invitations/${token}`;
}

/**
 * `/api/documents/:id/rounds…`: validation rounds on frozen versions. The Secretariat
 * (`round.manage`) opens a round on a version with a title, a closing date and invited emails,
 * invites more people and closes it; members who read the document list and read rounds; a
 * validator lists and reads only the rounds they validate (403 for any other).
 *
 * Validators' feedback is comment threads with the round's id (`/api/documents/:id/threads`); the
 * feedback report (`…/feedback`, and its files `…/feedback/export`) is for the roles that process
 * feedback (`round.readFeedback`).
 */
export function roundRoutes(ctx: ServerContext, collab: CollabControl) {
  const rounds = new Rounds(ctx.store);
  const versions = new Versions(ctx.store);
  const audit = auditLogFor(ctx.store);

  async function access(userId: string, documentId: string) {
    const found = await documentAccess(ctx, userId, documentId);
    if (!found) throw new HttpError(404, 'not_found', 'Document not found.');
    return found;
  }

  async function managerAccess(userId: string, documentId: string) {
    const found = await access(userId, documentId);
    if (!can(found.role, 'round.manage')) {
      throw new HttpError(403, 'forbidden', 'Only the Secretariat may open, close and invite to validation rounds.');
    }
    return found;
  }

  async function roundOf(documentId: string, roundId: string): Promise<RoundRecord> {
    const round = await rounds.get(documentId, roundId);
    if (!round) throw new HttpError(404, 'not_found', 'Validation round not found.');
    return round;
  }

  async function feedbackAccess(userId: string, documentId: string, roundId: string) {
    const found = await access(userId, documentId);
    if (!can(found.role, 'round.readFeedback')) {
      throw new HttpError(403, 'forbidden', 'Only the Secretariat, Co-Chairs and drafters read the feedback report of a round.');
    }
    return { ...found, round: await roundOf(documentId, roundId) };
  }

  async function invite(c: Context<AuthedEnv>, round: RoundRecord, dialogueId: string, emails: readonly string[]) {
    const made = [];
    for (const email of new Set(emails)) {
      const { invitation, token } = await rounds.invite(round.id, email, c.var.user.id);
      made.push({ email: invitation.email, acceptedAt: invitation.acceptedAt, link: invitationLink(c, token) });
    }
    if (made.length > 0) {
      await audit.append({
        dialogueId,
        documentId: round.documentId,
        actorId: c.var.user.id,
        action: 'round.invited',
        detail: { roundId: round.id, emails: made.map((m) => m.email) },
      });
    }
    return made;
  }

  return new Hono<AuthedEnv>()
    .use(requireSession(ctx))
    .get('/:id/rounds', validate('param', idParam), async (c) => {
      const found = await access(c.var.user.id, c.req.valid('param').id);
      const list = can(found.role, 'document.readLive')
        ? await rounds.list(found.document.id)
        : await rounds.list(found.document.id, c.var.user.id);
      return c.json({ rounds: list.map(roundSummary) });
    })
    .post('/:id/rounds', validate('param', idParam), validate('json', openRoundBodySchema), async (c) => {
      const found = await managerAccess(c.var.user.id, c.req.valid('param').id);
      const body = c.req.valid('json');
      const version = await versions.get(found.document.id, body.versionId);
      if (!version) throw new HttpError(404, 'not_found', 'Version not found.');
      if (Date.parse(body.closesAt) <= Date.now()) {
        throw new HttpError(400, 'invalid_input', 'Invalid body: closesAt: the closing date must be in the future');
      }
      const round = await rounds.create({
        documentId: found.document.id,
        versionId: version.id,
        title: body.title,
        closesAt: new Date(body.closesAt).toISOString(),
        createdBy: c.var.user.id,
      });
      await audit.append({
        dialogueId: found.dialogueId,
        documentId: found.document.id,
        actorId: c.var.user.id,
        action: 'round.opened',
        detail: { roundId: round.id, versionId: version.id, label: version.label, title: round.title, closesAt: round.closesAt },
      });
      const invitations = await invite(c, round, found.dialogueId, body.invite);
      collab.publish({ type: 'round.changed', documentId: found.document.id, roundId: round.id });
      return c.json({ round: roundSummary(round), invitations }, 201);
    })
    .get('/:id/rounds/:roundId', validate('param', roundParam), async (c) => {
      const { id, roundId } = c.req.valid('param');
      const found = await access(c.var.user.id, id);
      const round = await roundOf(id, roundId);
      if (!can(found.role, 'document.readLive') && !(await rounds.isValidator(round.id, c.var.user.id))) {
        throw new HttpError(403, 'forbidden', 'You may read only the rounds you validate.');
      }
      const validators = (await rounds.validators(round.id)).map(({ userId, name, affiliation, joinedAt }) => ({
        userId,
        name,
        affiliation,
        joinedAt,
      }));
      const invitations = can(found.role, 'round.manage')
        ? (await rounds.invitations(round.id)).map((i) => ({ email: i.email, acceptedAt: i.acceptedAt, link: null }))
        : null;
      return c.json({ round: roundSummary(round), validators, invitations });
    })
    .get('/:id/rounds/:roundId/feedback', validate('param', roundParam), async (c) => {
      const { id, roundId } = c.req.valid('param');
      const found = await feedbackAccess(c.var.user.id, id, roundId);
      return c.json(await feedbackReportOf(ctx, found.document, found.round));
    })
    .get(
      '/:id/rounds/:roundId/feedback/export',
      validate('param', roundParam),
      validate('query', feedbackExportQuerySchema),
      async (c) => {
        const { id, roundId } = c.req.valid('param');
        const found = await feedbackAccess(c.var.user.id, id, roundId);
        const report = await feedbackReportOf(ctx, found.document, found.round);
        const file = await renderFeedback(c.req.valid('query').format, report);
        const name = `${fileStem(found.document.title)}-${fileStem(report.version.label)}-feedback-${fileStem(found.round.title)}.${file.extension}`;
        return c.body(file.body as Uint8Array<ArrayBuffer>, 200, {
          'content-type': file.contentType,
          'content-length': String(file.body.byteLength),
          'content-disposition': `attachment; filename="${name}"`,
          'x-accord-version-hash': report.version.hash,
        });
      },
    )
    .post(
      '/:id/rounds/:roundId/invitations',
      validate('param', roundParam),
      validate('json', inviteBodySchema),
      async (c) => {
        const { id, roundId } = c.req.valid('param');
        const found = await managerAccess(c.var.user.id, id);
        const round = await roundOf(id, roundId);
        if (!round.open) throw new HttpError(409, 'conflict', 'This round is closed: nobody can be invited to it any more.');
        const invitations = await invite(c, round, found.dialogueId, c.req.valid('json').emails);
        return c.json({ invitations }, 201);
      },
    )
    .post('/:id/rounds/:roundId/close', validate('param', roundParam), async (c) => {
      const { id, roundId } = c.req.valid('param');
      const found = await managerAccess(c.var.user.id, id);
      const round = await roundOf(id, roundId);
      if (round.closedAt === null && (await rounds.close(round.id, c.var.user.id))) {
        await audit.append({
          dialogueId: found.dialogueId,
          documentId: id,
          actorId: c.var.user.id,
          action: 'round.closed',
          detail: { roundId: round.id, byDate: !round.open },
        });
        collab.publish({ type: 'round.changed', documentId: id, roundId: round.id });
      }
      return c.json({ round: roundSummary(await roundOf(id, roundId)) });
    });
}

/**
 * `/api/invitations/:token`: what an invitation is for (no session needed: the token is the
 * credential), and accepting it. A person without an account sets their name and password and is
 * signed in; a person with an account signs in first. Either way they join the dialogue as a
 * `validator` (unless they are already a member, whose role is kept) and validate that round only.
 */
export function invitationRoutes(ctx: ServerContext, collab: CollabControl) {
  const rounds = new Rounds(ctx.store);
  const users = new Users(ctx.store);
  const members = new Members(ctx.store);
  const documents = new Documents(ctx.store);
  const audit = auditLogFor(ctx.store);

  async function load(token: string) {
    const invitation = await rounds.findInvitation(token);
    if (!invitation) throw new HttpError(404, 'not_found', 'This invitation link is not valid. Ask the Secretariat for a new one.');
    const round = await rounds.get(invitation.documentId, invitation.roundId);
    const document = await documents.get(invitation.documentId);
    if (!round || !document) throw new HttpError(404, 'not_found', 'This invitation link is not valid.');
    return { invitation, round, document };
  }

  return new Hono<BaseEnv>()
    .get('/:token', validate('param', tokenParam), async (c) => {
      const { invitation, round, document } = await load(c.req.valid('param').token);
      return c.json({
        email: invitation.email,
        documentTitle: document.title,
        dialogueName: document.dialogueName,
        round: { title: round.title, closesAt: round.closesAt, open: round.open, versionLabel: round.versionLabel },
        accountExists: (await users.findByEmail(invitation.email)) !== null,
        accepted: invitation.acceptedAt !== null,
      });
    })
    .post('/:token/accept', validate('param', tokenParam), validate('json', acceptInvitationBodySchema), async (c) => {
      const { invitation, round, document } = await load(c.req.valid('param').token);
      if (!round.open) throw new HttpError(409, 'conflict', 'This validation round is closed.');
      const body = c.req.valid('json');
      const signedIn = await authenticate(ctx, c.req.header('cookie'));
      let user = await users.findByEmail(invitation.email);
      if (user) {
        if (signedIn?.user.id !== user.id) {
          throw new HttpError(409, 'conflict', `An account with ${invitation.email} exists: sign in with it, then open the link again.`);
        }
      } else {
        if (!body.name || !body.password) {
          throw new HttpError(400, 'invalid_input', 'Invalid body: name and password are required to create your account');
        }
        user = await users.create({
          email: invitation.email,
          name: body.name,
          affiliation: body.affiliation || null,
          passwordHash: await hashPassword(body.password),
        });
        const { token } = await new Sessions(ctx.store).create(user.id);
        setSessionCookie(c, ctx.config, token);
      }
      if (!(await members.roleOf(document.dialogueId, user.id))) {
        await members.add(document.dialogueId, user.id, 'validator');
      }
      await rounds.addValidator(round.id, user.id);
      if (invitation.acceptedAt === null) await rounds.accept(invitation.id, user.id);
      await audit.append({
        dialogueId: document.dialogueId,
        documentId: document.id,
        actorId: user.id,
        action: 'round.validator_joined',
        detail: { roundId: round.id, email: invitation.email },
      });
      collab.publish({ type: 'round.changed', documentId: document.id, roundId: round.id });
      return c.json({ documentId: document.id, roundId: round.id, versionId: round.versionId });
    });
}
