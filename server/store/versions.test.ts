import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from './db';
import { Dialogues } from './dialogues';
import { Documents } from './documents';
import { openTestStore, testStoreKinds } from './testStores';
import { DuplicateLabelError, Versions } from './versions';

const kinds = await testStoreKinds();

describe.each(kinds)('version rows on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let documentId: string;
  let versionId: string;

  beforeAll(async () => {
    ({ store, cleanup } = await openTestStore(kind));
    const dialogue = await new Dialogues(store).create('D');
    ({ id: documentId } = await new Documents(store).create({ dialogueId: dialogue.id, title: 'T' }));
    const version = await new Versions(store).create({
      documentId,
      label: 'Rev.1',
      meeting: null,
      note: null,
      frozenBy: 'u-1',
      frozenAt: '2030-01-01T00:00:00.000Z',
      content: '{"label":"Rev.1"}',
      yjsState: new Uint8Array([1, 2, 3]),
      hash: 'a'.repeat(64),
    });
    versionId = version.id;
  });
  afterAll(async () => {
    await cleanup();
  });

  const stored = () => store.db.selectFrom('versions').selectAll().where('id', '=', versionId).executeTakeFirst();

  it('refuses a direct SQL UPDATE of a version row', async () => {
    await expect(sql`update versions set content = '{"label":"Forged"}' where id = ${versionId}`.execute(store.db)).rejects.toThrow(
      /versions are immutable/,
    );
    await expect(store.db.updateTable('versions').set({ hash: 'b'.repeat(64) }).execute()).rejects.toThrow(
      /versions are immutable/,
    );
    expect(await stored()).toMatchObject({ content: '{"label":"Rev.1"}', hash: 'a'.repeat(64) });
  });

  it('refuses a direct SQL DELETE of a version row', async () => {
    await expect(sql`delete from versions where id = ${versionId}`.execute(store.db)).rejects.toThrow(
      /versions are immutable/,
    );
    await expect(store.db.deleteFrom('versions').execute()).rejects.toThrow(/versions are immutable/);
    expect(await stored()).toBeDefined();
  });

  it('refuses to delete a document that has versions', async () => {
    await expect(sql`delete from documents where id = ${documentId}`.execute(store.db)).rejects.toThrow();
    expect(await stored()).toBeDefined();
  });

  if (kind === 'postgres') {
    it('refuses TRUNCATE of the versions table', async () => {
      await expect(sql`truncate versions cascade`.execute(store.db)).rejects.toThrow(/versions are immutable/);
      expect(await stored()).toBeDefined();
    });
  }

  it('numbers versions per document and refuses a label used before, in any case', async () => {
    const versions = new Versions(store);
    const base = {
      documentId,
      meeting: null,
      note: null,
      frozenBy: 'u-1',
      frozenAt: '2030-02-01T00:00:00.000Z',
      content: '{}',
      yjsState: new Uint8Array([0]),
      hash: 'c'.repeat(64),
    };
    const rev2 = await versions.create({ ...base, label: 'Rev.2' });
    expect(rev2.seq).toBe(2);
    await expect(versions.create({ ...base, label: 'rev.2' })).rejects.toBeInstanceOf(DuplicateLabelError);
    expect((await versions.list(documentId)).map((v) => v.label)).toEqual(['Rev.1', 'Rev.2']);
    expect((await versions.latestWithContent(documentId))?.label).toBe('Rev.2');
  });
});
