import { type DocumentSettings, documentSettingsSchema } from '@shared/api/documents';
import { isRole, type Role } from '@shared/permissions';
import type { Store } from './db';
import { newId } from './ids';

/** A framework document's record (its text lives in the Yjs log, see docUpdates.ts). */
export interface DocumentRecord {
  id: string;
  dialogueId: string;
  dialogueName: string;
  title: string;
  settings: DocumentSettings;
  createdAt: string;
  updatedAt: string;
}

/** A document a user may read, with their role in its dialogue. */
export interface ReadableDocument {
  id: string;
  title: string;
  dialogueId: string;
  dialogueName: string;
  role: Role;
  updatedAt: string;
}

/**
 * Parses stored settings. Settings that are not valid JSON or do not match the schema fall back to
 * the defaults rather than making the document unreadable.
 */
export function parseSettings(text: string): DocumentSettings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = {};
  }
  const parsed = documentSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : documentSettingsSchema.parse({});
}

/** The documents of dialogues. */
export class Documents {
  constructor(private readonly store: Store) {}

  /** Creates a document in a dialogue (without text: the initial state is stored separately). */
  async create(input: {
    dialogueId: string;
    title: string;
    settings?: Partial<DocumentSettings>;
  }): Promise<{ id: string }> {
    const now = new Date().toISOString();
    const id = newId();
    const settings = documentSettingsSchema.parse(input.settings ?? {});
    await this.store.db
      .insertInto('documents')
      .values({
        id,
        dialogue_id: input.dialogueId,
        title: input.title,
        settings: JSON.stringify(settings),
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { id };
  }

  /** The documents of every dialogue the user is a member of, with their role; newest first. */
  async listReadableBy(userId: string): Promise<ReadableDocument[]> {
    const rows = await this.store.db
      .selectFrom('documents')
      .innerJoin('members', 'members.dialogue_id', 'documents.dialogue_id')
      .innerJoin('dialogues', 'dialogues.id', 'documents.dialogue_id')
      .select([
        'documents.id',
        'documents.title',
        'documents.dialogue_id as dialogueId',
        'dialogues.name as dialogueName',
        'members.role',
        'documents.updated_at as updatedAt',
      ])
      .where('members.user_id', '=', userId)
      .orderBy('documents.updated_at', 'desc')
      .orderBy('documents.id')
      .execute();
    const out: ReadableDocument[] = [];
    for (const row of rows) {
      if (isRole(row.role)) out.push({ ...row, role: row.role });
    }
    return out;
  }

  /** Ids of every document of a dialogue. */
  async idsInDialogue(dialogueId: string): Promise<string[]> {
    const rows = await this.store.db
      .selectFrom('documents')
      .select('id')
      .where('dialogue_id', '=', dialogueId)
      .orderBy('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** The document with its dialogue's name, or null. */
  async get(id: string): Promise<DocumentRecord | null> {
    const row = await this.store.db
      .selectFrom('documents')
      .innerJoin('dialogues', 'dialogues.id', 'documents.dialogue_id')
      .select([
        'documents.id',
        'documents.dialogue_id',
        'dialogues.name as dialogue_name',
        'documents.title',
        'documents.settings',
        'documents.created_at',
        'documents.updated_at',
      ])
      .where('documents.id', '=', id)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      dialogueId: row.dialogue_id,
      dialogueName: row.dialogue_name,
      title: row.title,
      settings: parseSettings(row.settings),
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }

  /** Replaces a document's settings (validated); returns the stored settings. */
  async setSettings(id: string, settings: Partial<DocumentSettings>): Promise<DocumentSettings> {
    const parsed = documentSettingsSchema.parse(settings);
    await this.store.db
      .updateTable('documents')
      .set({ settings: JSON.stringify(parsed), updated_at: new Date().toISOString() })
      .where('id', '=', id)
      .execute();
    return parsed;
  }

  /** Records that a document changed now (its text or its records), for "recently updated" lists. */
  async touch(id: string, at: Date = new Date()): Promise<void> {
    await this.store.db
      .updateTable('documents')
      .set({ updated_at: at.toISOString() })
      .where('id', '=', id)
      .execute();
  }
}
