import type { Store } from './db';
import { newId } from './ids';

/** A dialogue: the workspace that holds members and documents. */
export interface DialogueRecord {
  id: string;
  name: string;
  createdAt: string;
}

/** The dialogues (workspaces). */
export class Dialogues {
  constructor(private readonly store: Store) {}

  /** Creates a dialogue. */
  async create(name: string): Promise<DialogueRecord> {
    const record: DialogueRecord = { id: newId(), name, createdAt: new Date().toISOString() };
    await this.store.db
      .insertInto('dialogues')
      .values({ id: record.id, name: record.name, created_at: record.createdAt })
      .execute();
    return record;
  }

  /** The dialogue with this id, or null. */
  async findById(id: string): Promise<DialogueRecord | null> {
    const row = await this.store.db
      .selectFrom('dialogues')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? { id: row.id, name: row.name, createdAt: row.created_at } : null;
  }
}
