import { randomBytes } from 'node:crypto';
import type { Round } from '@shared/api/rounds';
import type { Store } from './db';
import { newId } from './ids';
import { hashToken } from './sessions';
import { normalizeEmail } from './users';

/** A validation round as stored, with its state computed at read time. */
export interface RoundRecord {
  id: string;
  documentId: string;
  versionId: string;
  versionLabel: string;
  title: string;
  closesAt: string;
  createdBy: string;
  createdAt: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Closed by hand (`closedAt`) or because the closing date passed. */
  open: boolean;
}

/** The wire form of a round. */
export function roundSummary(r: RoundRecord): Round {
  return {
    id: r.id,
    versionId: r.versionId,
    versionLabel: r.versionLabel,
    title: r.title,
    closesAt: r.closesAt,
    open: r.open,
    closedAt: r.closedAt,
    createdAt: r.createdAt,
  };
}

/** An invitation as the Secretariat sees it (never the token, which only the link holds). */
export interface InvitationRecord {
  id: string;
  roundId: string;
  email: string;
  createdAt: string;
  acceptedAt: string | null;
}

type RoundRow = {
  id: string;
  document_id: string;
  version_id: string;
  version_label: string;
  title: string;
  closes_at: string;
  created_by: string;
  created_at: string;
  closed_at: string | null;
  closed_by: string | null;
};

/**
 * Validation rounds, their validators and their invitations. A round's version is fixed when it is
 * opened; closing is by hand (`close`) or by date (`closes_at`), and `open` is computed against the
 * clock on every read, so a round closes at its date without any job running.
 */
export class Rounds {
  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
  ) {}

  private toRecord(row: RoundRow): RoundRecord {
    return {
      id: row.id,
      documentId: row.document_id,
      versionId: row.version_id,
      versionLabel: row.version_label,
      title: row.title,
      closesAt: row.closes_at,
      createdBy: row.created_by,
      createdAt: row.created_at,
      closedAt: row.closed_at,
      closedBy: row.closed_by,
      open: row.closed_at === null && Date.parse(row.closes_at) > this.now(),
    };
  }

  private select() {
    return this.store.db
      .selectFrom('validation_rounds')
      .innerJoin('versions', 'versions.id', 'validation_rounds.version_id')
      .select([
        'validation_rounds.id',
        'validation_rounds.document_id',
        'validation_rounds.version_id',
        'versions.label as version_label',
        'validation_rounds.title',
        'validation_rounds.closes_at',
        'validation_rounds.created_by',
        'validation_rounds.created_at',
        'validation_rounds.closed_at',
        'validation_rounds.closed_by',
      ]);
  }

  /** Opens a round on a version. */
  async create(input: {
    documentId: string;
    versionId: string;
    title: string;
    closesAt: string;
    createdBy: string;
  }): Promise<RoundRecord> {
    const id = newId();
    await this.store.db
      .insertInto('validation_rounds')
      .values({
        id,
        document_id: input.documentId,
        version_id: input.versionId,
        title: input.title,
        closes_at: input.closesAt,
        created_by: input.createdBy,
        created_at: new Date(this.now()).toISOString(),
        closed_at: null,
        closed_by: null,
      })
      .execute();
    return (await this.get(input.documentId, id))!;
  }

  /** One round of a document, or null. */
  async get(documentId: string, roundId: string): Promise<RoundRecord | null> {
    const row = await this.select()
      .where('validation_rounds.document_id', '=', documentId)
      .where('validation_rounds.id', '=', roundId)
      .executeTakeFirst();
    return row ? this.toRecord(row) : null;
  }

  /** The rounds of a document, newest first; only those `validatorId` validates when given. */
  async list(documentId: string, validatorId?: string): Promise<RoundRecord[]> {
    let query = this.select().where('validation_rounds.document_id', '=', documentId);
    if (validatorId !== undefined) {
      query = query.where('validation_rounds.id', 'in', (eb) =>
        eb.selectFrom('round_validators').select('round_id').where('user_id', '=', validatorId),
      );
    }
    const rows = await query.orderBy('validation_rounds.created_at', 'desc').orderBy('validation_rounds.id').execute();
    return rows.map((r) => this.toRecord(r));
  }

  /** Closes a round by hand; false when it was already closed by hand. */
  async close(roundId: string, userId: string): Promise<boolean> {
    const result = await this.store.db
      .updateTable('validation_rounds')
      .set({ closed_at: new Date(this.now()).toISOString(), closed_by: userId })
      .where('id', '=', roundId)
      .where('closed_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Whether `userId` validates a round on `versionId` of `documentId`. */
  async validatesVersion(userId: string, documentId: string, versionId: string): Promise<boolean> {
    const row = await this.store.db
      .selectFrom('round_validators')
      .innerJoin('validation_rounds', 'validation_rounds.id', 'round_validators.round_id')
      .select('round_validators.round_id')
      .where('round_validators.user_id', '=', userId)
      .where('validation_rounds.document_id', '=', documentId)
      .where('validation_rounds.version_id', '=', versionId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** The rounds of `documentId` on `versionId` that `userId` validates. */
  async validatedRoundIds(userId: string, documentId: string, versionId: string): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('round_validators')
      .innerJoin('validation_rounds', 'validation_rounds.id', 'round_validators.round_id')
      .select('round_validators.round_id')
      .where('round_validators.user_id', '=', userId)
      .where('validation_rounds.document_id', '=', documentId)
      .where('validation_rounds.version_id', '=', versionId)
      .execute();
    return rows.map((r) => r.round_id);
  }

  /** Every round of the dialogue's documents that `userId` validates. */
  async roundIdsOf(userId: string, dialogueId: string): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('round_validators')
      .innerJoin('validation_rounds', 'validation_rounds.id', 'round_validators.round_id')
      .innerJoin('documents', 'documents.id', 'validation_rounds.document_id')
      .select('round_validators.round_id')
      .where('round_validators.user_id', '=', userId)
      .where('documents.dialogue_id', '=', dialogueId)
      .execute();
    return rows.map((r) => r.round_id);
  }

  /** Whether `userId` validates round `roundId`. */
  async isValidator(roundId: string, userId: string): Promise<boolean> {
    const row = await this.store.db
      .selectFrom('round_validators')
      .select('user_id')
      .where('round_id', '=', roundId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Adds a validator to a round (idempotent). */
  async addValidator(roundId: string, userId: string): Promise<void> {
    if (await this.isValidator(roundId, userId)) return;
    await this.store.db
      .insertInto('round_validators')
      .values({ round_id: roundId, user_id: userId, joined_at: new Date(this.now()).toISOString() })
      .execute();
  }

  /** The validators of a round with their names and affiliations. */
  async validators(roundId: string): Promise<{ userId: string; name: string; email: string; affiliation: string | null; joinedAt: string }[]> {
    const rows = await this.store.db
      .selectFrom('round_validators')
      .innerJoin('users', 'users.id', 'round_validators.user_id')
      .select(['users.id as userId', 'users.name', 'users.email', 'users.affiliation', 'round_validators.joined_at as joinedAt'])
      .where('round_validators.round_id', '=', roundId)
      .orderBy('users.name')
      .execute();
    return rows;
  }

  /**
   * Invites an email to a round: a new invitation with a fresh token (returned once, for the link),
   * or, when that email was invited before and has not accepted, a fresh token for the same invitation.
   */
  async invite(roundId: string, email: string, invitedBy: string): Promise<{ invitation: InvitationRecord; token: string }> {
    const normalized = normalizeEmail(email);
    const token = randomBytes(32).toString('base64url');
    const now = new Date(this.now()).toISOString();
    const existing = await this.store.db
      .selectFrom('round_invitations')
      .selectAll()
      .where('round_id', '=', roundId)
      .where('email', '=', normalized)
      .executeTakeFirst();
    if (existing) {
      await this.store.db
        .updateTable('round_invitations')
        .set({ token_hash: hashToken(token), created_at: now, invited_by: invitedBy })
        .where('id', '=', existing.id)
        .execute();
    } else {
      await this.store.db
        .insertInto('round_invitations')
        .values({
          id: newId(),
          round_id: roundId,
          email: normalized,
          token_hash: hashToken(token),
          invited_by: invitedBy,
          created_at: now,
          accepted_at: null,
          accepted_by: null,
        })
        .execute();
    }
    const stored = await this.store.db
      .selectFrom('round_invitations')
      .selectAll()
      .where('round_id', '=', roundId)
      .where('email', '=', normalized)
      .executeTakeFirstOrThrow();
    return {
      token,
      invitation: { id: stored.id, roundId, email: stored.email, createdAt: stored.created_at, acceptedAt: stored.accepted_at },
    };
  }

  /** The invitations of a round. */
  async invitations(roundId: string): Promise<InvitationRecord[]> {
    const rows = await this.store.db
      .selectFrom('round_invitations')
      .selectAll()
      .where('round_id', '=', roundId)
      .orderBy('email')
      .execute();
    return rows.map((r) => ({ id: r.id, roundId, email: r.email, createdAt: r.created_at, acceptedAt: r.accepted_at }));
  }

  /** The invitation a link's token opens, with its round's document, or null. */
  async findInvitation(token: string): Promise<(InvitationRecord & { documentId: string }) | null> {
    const row = await this.store.db
      .selectFrom('round_invitations')
      .innerJoin('validation_rounds', 'validation_rounds.id', 'round_invitations.round_id')
      .select([
        'round_invitations.id',
        'round_invitations.round_id',
        'round_invitations.email',
        'round_invitations.created_at',
        'round_invitations.accepted_at',
        'validation_rounds.document_id',
      ])
      .where('round_invitations.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      roundId: row.round_id,
      email: row.email,
      createdAt: row.created_at,
      acceptedAt: row.accepted_at,
      documentId: row.document_id,
    };
  }

  /** Marks an invitation accepted by `userId`. */
  async accept(invitationId: string, userId: string): Promise<void> {
    await this.store.db
      .updateTable('round_invitations')
      .set({ accepted_at: new Date(this.now()).toISOString(), accepted_by: userId })
      .where('id', '=', invitationId)
      .execute();
  }
}
