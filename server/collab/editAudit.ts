import type { CollabAudit } from './collabServer';
import type { StoredEdit } from './persistenceQueue';

/**
 * Collects stored edits and writes them to the audit log as one entry per document and member per
 * window: each entry names the member, the number of updates and the clauses they touched. The
 * update log itself attributes every single update (`doc_updates.user_id`); the audit log gets a
 * readable summary instead of one row per keystroke.
 */
export class EditAudit {
  private pending = new Map<string, StoredEdit & { dialogueId: string; clauseSet: Set<string> }>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly audit: CollabAudit,
    private readonly onError: (err: unknown) => void,
    private readonly windowMs = 2000,
  ) {}

  /** Records edits that were just stored. */
  add(dialogueId: string, edit: StoredEdit): void {
    const key = `${edit.documentId}\u0000${edit.userId ?? ''}`;
    let entry = this.pending.get(key);
    if (!entry) {
      entry = { ...edit, dialogueId, updates: 0, clauses: [], clauseSet: new Set() };
      this.pending.set(key, entry);
    }
    entry.updates += edit.updates;
    for (const c of edit.clauses) entry.clauseSet.add(c);
    if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.windowMs);
      this.timer.unref();
    }
  }

  /** Writes every pending summary now. */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const entries = [...this.pending.values()];
    this.pending.clear();
    await Promise.all(
      entries.map((e) =>
        this.audit
          .append({
            dialogueId: e.dialogueId || null,
            documentId: e.documentId,
            actorId: e.userId,
            action: 'document.edit',
            detail: { updates: e.updates, clauses: [...e.clauseSet].sort() },
          })
          .catch(this.onError),
      ),
    );
  }
}
