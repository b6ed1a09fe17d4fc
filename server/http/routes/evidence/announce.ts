import type { CollabControl, ServerContext } from '../../../context';
import { Documents } from '../../../store/documents';

/**
 * Live events of the evidence feature. Library changes go to every document of the dialogue (its
 * viewers see evidence in panels and badges); link changes go to the document concerned.
 */
export class EvidenceAnnouncer {
  private readonly documents: Documents;

  constructor(
    ctx: ServerContext,
    private readonly collab: CollabControl,
  ) {
    this.documents = new Documents(ctx.store);
  }

  /** A report or excerpt of the dialogue was created, changed or deleted. */
  async libraryChanged(
    dialogueId: string,
    what: 'report' | 'excerpt',
    id: string,
    change: 'created' | 'updated' | 'deleted',
  ): Promise<void> {
    for (const documentId of await this.documents.idsInDialogue(dialogueId)) {
      this.collab.publish({ type: 'evidence.library_changed', documentId, dialogueId, what, id, change });
    }
  }

  /** Links of clauses of a document changed (one link, or several when a report or excerpt went). */
  linksChanged(documentId: string, clauseIds: string[], linkId: string | null, change: 'created' | 'updated' | 'deleted'): void {
    this.collab.publish({ type: 'evidence.links_changed', documentId, clauseIds: [...new Set(clauseIds)], linkId, change });
  }

  /** Links went with a deleted report or excerpt: tell each document which of its clauses lost some. */
  linksRemoved(links: readonly { documentId: string; clauseId: string }[]): void {
    const byDocument = new Map<string, string[]>();
    for (const { documentId, clauseId } of links) byDocument.set(documentId, [...(byDocument.get(documentId) ?? []), clauseId]);
    for (const [documentId, clauseIds] of byDocument) this.linksChanged(documentId, clauseIds, null, 'deleted');
  }
}
