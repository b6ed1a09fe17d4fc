import type { Role } from '@shared/permissions';

/** How long a member has to make the change and confirm it after starting to apply wording. */
export const APPLICATION_TTL_MS = 2 * 60_000;

/** An application of a comment's proposed wording under way. */
export interface WordingReservation {
  commentId: string;
  userId: string;
  userName: string;
  role: Role;
  /** The tracked change id the server chose and granted for this application. */
  changeId: string;
  /** Epoch milliseconds after which another member may apply the wording instead. */
  expiresAt: number;
}

/**
 * The applications of proposed wording that were started and not yet confirmed or cancelled, one per
 * comment. A reservation keeps a second member from applying the same wording while the first one's
 * editor makes the change (which would double the text); it expires so that a closed tab never blocks
 * the wording for good. Kept in this process's memory: the database only ever records finished
 * applications (see docs/comments.md, "Applying proposed wording").
 */
export class WordingReservations {
  private readonly byComment = new Map<string, WordingReservation>();

  constructor(
    private readonly ttlMs = APPLICATION_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The comment's reservation, expired or not (an expired one may still have made its change). */
  get(commentId: string): WordingReservation | null {
    return this.byComment.get(commentId) ?? null;
  }

  /** True when `reservation` no longer holds the wording for its member. */
  expired(reservation: WordingReservation): boolean {
    return reservation.expiresAt <= this.now();
  }

  /** Reserves the comment's wording for a member (replacing their own or an expired reservation). */
  reserve(input: Omit<WordingReservation, 'expiresAt'>): WordingReservation {
    this.prune();
    const reservation = { ...input, expiresAt: this.now() + this.ttlMs };
    this.byComment.set(input.commentId, reservation);
    return reservation;
  }

  /** Ends the comment's reservation (confirmed or cancelled). */
  release(commentId: string): void {
    this.byComment.delete(commentId);
  }

  /** Forgets reservations expired long ago (an hour), so the map never grows without bound. */
  private prune(): void {
    const horizon = this.now() - 60 * 60_000;
    for (const [key, reservation] of this.byComment) if (reservation.expiresAt < horizon) this.byComment.delete(key);
  }
}
