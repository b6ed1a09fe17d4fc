import { randomBytes } from 'node:crypto';

/**
 * A new random id: 16 bytes in base64url (22 characters of `[A-Za-z0-9_-]`), unguessable and safe in
 * URLs and in the collaboration path `/collab/<documentId>`. An optional prefix names the kind.
 */
export function newId(prefix = ''): string {
  return prefix + randomBytes(16).toString('base64url');
}
