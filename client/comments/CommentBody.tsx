import { splitBody } from '@shared/comments/mentions';
import type { Member } from '../api/schemas';

/**
 * A comment body as people read it: plain text with mentions shown as names. Everything is rendered
 * as React text, never as HTML, so a body can hold `<script>` and show it as typed.
 */
export function CommentBody({ body, members, me }: { body: string; members: readonly Member[]; me: string | null }) {
  return (
    <p className="comment-body">
      {splitBody(body).map((segment, i) => {
        if (segment.kind === 'text') return <span key={i}>{segment.text}</span>;
        const member = members.find((m) => m.userId === segment.userId);
        const cls = segment.userId === me ? 'mention is-me' : 'mention';
        return (
          <span key={i} className={cls} title={member ? `${member.name} — ${member.email}` : undefined}>
            @{member?.name ?? 'former member'}
          </span>
        );
      })}
    </p>
  );
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

/** "3 hours ago", "yesterday" … for an ISO time; "just now" under a minute. */
export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.round((Date.parse(iso) - now) / 1000);
  for (const [unit, size] of units) {
    if (Math.abs(seconds) >= size) return relative.format(Math.round(seconds / size), unit);
  }
  return 'just now';
}

/** The full date and time, for a tooltip. */
export function fullTime(iso: string): string {
  return new Date(iso).toLocaleString();
}
