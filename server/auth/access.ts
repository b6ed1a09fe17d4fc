import type { Role } from '@shared/permissions';
import type { ServerContext } from '../context';
import { type DocumentRecord, Documents } from '../store/documents';
import { Members } from '../store/members';

/** A user's access to a document: the document, its dialogue and the user's role there. */
export interface DocumentAccess {
  document: DocumentRecord;
  dialogueId: string;
  role: Role;
}

/**
 * The user's access to a document through their membership of its dialogue, or null when the
 * document does not exist or they are not a member (callers answer both the same way, 404, so that
 * ids of other dialogues' documents are not revealed).
 */
export async function documentAccess(
  ctx: ServerContext,
  userId: string,
  documentId: string,
): Promise<DocumentAccess | null> {
  const document = await new Documents(ctx.store).get(documentId);
  if (!document) return null;
  const role = await new Members(ctx.store).roleOf(document.dialogueId, userId);
  if (!role) return null;
  return { document, dialogueId: document.dialogueId, role };
}
