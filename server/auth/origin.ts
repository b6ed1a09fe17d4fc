/**
 * Whether a request's Origin header is acceptable for a state-changing request or a WebSocket
 * upgrade: absent (same-origin navigation, curl), the request's own origin (`http://<Host>` or
 * `https://<Host>`), or one of the configured extra origins (a dev server, say).
 */
export function originAllowed(
  origin: string | null | undefined,
  host: string | null | undefined,
  allowedOrigins: readonly string[],
): boolean {
  if (origin === undefined || origin === null || origin === '') return true;
  if (allowedOrigins.includes(origin)) return true;
  if (!host) return false;
  return origin === `http://${host}` || origin === `https://${host}`;
}
