import { defaultDocumentSettings } from '@shared/api/documents';
import type { DocumentSettings } from '@shared/api/documents';
import type { FlagAction } from '@shared/api/negotiation';
import { can } from '@shared/permissions';
import type { Audience, LiveEvent } from '../context';
import type { Logger } from '../logger';
import { ClauseStatuses } from '../store/clauseStatuses';
import type { Store } from '../store/db';
import { Documents } from '../store/documents';
import type { CollabAudit } from './collabServer';
import type { CollabIdentity } from './identity';
import { onlyMovedText, type TextChangeSummary } from './textChanges';

/** The rules of a document that edits are checked against. */
export interface DocumentPolicy {
  settings: DocumentSettings;
  agreed: ReadonlySet<string>;
}

/** How long a document's policy is cached (other processes may change it; routes here invalidate it). */
const POLICY_TTL_MS = 3000;
/** How long a granted attribution (applying someone's proposed wording) stays valid. */
const GRANT_TTL_MS = 10 * 60_000;

/** Who receives flags live: the people who decide. */
export const flagAudience: Audience = { roles: ['co_chair', 'secretariat'] };

interface PendingFlag {
  dialogueId: string;
  documentId: string;
  identity: CollabIdentity;
  action: FlagAction;
  clauses: Set<string>;
  changes: Map<string, string | null>;
}

/**
 * Checks every edit the collaboration server accepts against the rules kept by the editor, and flags
 * what breaks them to the Co-Chairs (audit log + live `change.flagged` event): a change to an agreed
 * clause by someone other than a Co-Chair or the Secretariat; a tracked change attributed to someone
 * other than its writer; another member's change resolved by someone who may not decide; and a
 * drafter's edit outside suggesting mode when the document requires suggestions. Flags of one member
 * and kind are gathered over a short window into one entry, so typing makes one flag, not hundreds.
 */
export class ChangeWatch {
  private readonly policies = new Map<string, { at: number; policy: Promise<DocumentPolicy> }>();
  private readonly grants = new Map<string, number>();
  private pending = new Map<string, PendingFlag>();
  private timer: NodeJS.Timeout | null = null;
  private readonly documents: Documents;
  private readonly statuses: ClauseStatuses;

  constructor(
    store: Store,
    private readonly audit: CollabAudit,
    private readonly publish: (event: LiveEvent, audience?: Audience) => void,
    private readonly logger: Logger,
    private readonly windowMs = 1000,
  ) {
    this.documents = new Documents(store);
    this.statuses = new ClauseStatuses(store);
  }

  /** The document's policy (cached for a few seconds). */
  policy(documentId: string): Promise<DocumentPolicy> {
    const cached = this.policies.get(documentId);
    if (cached && Date.now() - cached.at < POLICY_TTL_MS) return cached.policy;
    const policy = (async () => {
      const doc = await this.documents.get(documentId);
      return {
        settings: doc?.settings ?? defaultDocumentSettings,
        agreed: await this.statuses.agreed(documentId),
      };
    })();
    policy.catch(() => this.policies.delete(documentId));
    this.policies.set(documentId, { at: Date.now(), policy });
    return policy;
  }

  /** Forgets a document's cached policy (its settings or a clause status changed). */
  invalidate(documentId: string): void {
    this.policies.delete(documentId);
  }

  /** Allows `writerId` to write change `changeId` attributed to `authorId` (proposed wording applied). */
  allowAttribution(documentId: string, grant: { writerId: string; authorId: string; changeId: string }): void {
    const now = Date.now();
    for (const [key, expires] of this.grants) if (expires < now) this.grants.delete(key);
    this.grants.set(grantKey(documentId, grant.writerId, grant.authorId, grant.changeId), now + GRANT_TTL_MS);
  }

  /** Checks one accepted edit (its summary is computed synchronously, the check runs after). */
  observe(dialogueId: string, documentId: string, identity: CollabIdentity, summary: TextChangeSummary): void {
    void this.check(dialogueId, documentId, identity, summary).catch((err: unknown) =>
      this.logger.error({ err, documentId }, 'checking an edit failed'),
    );
  }

  private async check(
    dialogueId: string,
    documentId: string,
    identity: CollabIdentity,
    summary: TextChangeSummary,
  ): Promise<void> {
    const mayDecide = can(identity.role, 'change.decide');
    const flag = (action: FlagAction, clauses: Iterable<string | null>, changes: [string, string | null][] = []) =>
      this.add({ dialogueId, documentId, identity, action, clauses: new Set(), changes: new Map() }, clauses, changes);

    const forged = summary.foreignAttributed.filter(
      (r) => !this.grants.has(grantKey(documentId, identity.userId, r.authorId ?? '', r.changeId)),
    );
    if (forged.length > 0) {
      flag('change.forged_attribution', forged.map((r) => r.clauseId), forged.map((r) => [r.changeId, r.authorId]));
    }
    if (!mayDecide && summary.resolvedForeign.length > 0) {
      flag(
        'change.unauthorised_decision',
        summary.resolvedForeign.map((r) => r.clauseId),
        summary.resolvedForeign.map((r) => [r.changeId, r.authorId]),
      );
    }
    if (summary.clauses.length === 0 && summary.plainInserted.length === 0 && summary.plainDeleted.length === 0) {
      return;
    }
    const policy = await this.policy(documentId);
    if (!mayDecide && policy.settings.lockAgreedClauses) {
      const agreed = summary.clauses.filter((c) => policy.agreed.has(c));
      if (agreed.length > 0) flag('clause.agreed_edited', agreed);
    }
    if (identity.role === 'drafter' && policy.settings.requireSuggestingForDrafters) {
      // Text only moved between clauses (a suggested split or join) is not an edit outside suggestions.
      if (!onlyMovedText(summary)) flag('change.unsuggested_edit', summary.clauses);
    }
  }

  private add(
    proto: PendingFlag,
    clauses: Iterable<string | null>,
    changes: [string, string | null][],
  ): void {
    const key = `${proto.documentId}\u0000${proto.identity.userId}\u0000${proto.action}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = proto;
      this.pending.set(key, entry);
    }
    for (const c of clauses) if (c) entry.clauses.add(c);
    for (const [id, author] of changes) entry.changes.set(id, author);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.windowMs);
      this.timer.unref();
    }
  }

  /** Writes and publishes every gathered flag now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const entries = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(
      entries.map(async (e) => {
        const detail: Record<string, unknown> = {
          clauses: [...e.clauses].sort(),
          role: e.identity.role,
          userName: e.identity.name,
        };
        if (e.changes.size > 0) {
          detail.changes = [...e.changes].map(([changeId, authorId]) => ({ changeId, authorId }));
        }
        try {
          const id = await this.audit.append({
            dialogueId: e.dialogueId || null,
            documentId: e.documentId,
            actorId: e.identity.userId,
            action: e.action,
            detail,
          });
          this.publish(
            {
              type: 'change.flagged',
              documentId: e.documentId,
              auditId: typeof id === 'number' ? id : null,
              action: e.action,
              userId: e.identity.userId,
              userName: e.identity.name,
              ...detail,
            },
            flagAudience,
          );
        } catch (err) {
          this.logger.error({ err }, 'recording a flag failed');
        }
      }),
    );
  }
}

function grantKey(documentId: string, writerId: string, authorId: string, changeId: string): string {
  return [documentId, writerId, authorId, changeId].join('\u0000');
}
