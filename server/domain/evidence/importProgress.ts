import type { ImportProgress, ImportState } from '@shared/api/evidence';

/** How long a finished import's state stays readable, in milliseconds. */
const KEEP_FINISHED_MS = 5 * 60_000;
/** Most imports tracked at once (older finished ones are dropped first). */
const MAX_TRACKED = 500;

interface Entry {
  progress: ImportProgress;
  userId: string;
  dialogueId: string;
  finishedAt: number | null;
}

/**
 * Where each running import stands (receiving, extracting page n of m, saving, done, failed), so that
 * the client can show progress while its upload request is open. Keyed by the upload id the client
 * chose, and visible only to the user who uploaded. In memory, per process: a client that asks
 * another process simply sees no progress, never a wrong one.
 */
export class ImportProgressBoard {
  private readonly entries = new Map<string, Entry>();

  private key(userId: string, uploadId: string): string {
    return `${userId}:${uploadId}`;
  }

  /** Starts tracking an import; returns false when this user already runs one with this id. */
  start(userId: string, dialogueId: string, uploadId: string): boolean {
    this.prune();
    const key = this.key(userId, uploadId);
    const existing = this.entries.get(key);
    if (existing && existing.finishedAt === null) return false;
    this.entries.set(key, {
      userId,
      dialogueId,
      finishedAt: null,
      progress: { uploadId, state: 'receiving', pages: null, reportId: null, error: null },
    });
    return true;
  }

  /** Moves an import to another state. */
  set(userId: string, uploadId: string, state: ImportState, change: Partial<ImportProgress> = {}): void {
    const entry = this.entries.get(this.key(userId, uploadId));
    if (!entry) return;
    entry.progress = { ...entry.progress, ...change, state };
    if (state === 'done' || state === 'failed') entry.finishedAt = Date.now();
  }

  /** Records how many pages have been read. */
  pages(userId: string, uploadId: string, pages: { done: number; total: number }): void {
    const entry = this.entries.get(this.key(userId, uploadId));
    if (entry) entry.progress = { ...entry.progress, pages };
  }

  /** The state of a user's import in a dialogue, or null when unknown here. */
  get(userId: string, dialogueId: string, uploadId: string): ImportProgress | null {
    const entry = this.entries.get(this.key(userId, uploadId));
    return entry && entry.dialogueId === dialogueId ? entry.progress : null;
  }

  private prune(): void {
    const now = Date.now();
    for (const [key, entry] of this.entries) {
      if (entry.finishedAt !== null && now - entry.finishedAt > KEEP_FINISHED_MS) this.entries.delete(key);
    }
    if (this.entries.size < MAX_TRACKED) return;
    for (const [key, entry] of this.entries) {
      if (entry.finishedAt !== null) this.entries.delete(key);
      if (this.entries.size < MAX_TRACKED) return;
    }
  }
}
