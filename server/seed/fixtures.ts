import type { DocumentSettings } from '@shared/api/documents';
import type { Role } from '@shared/permissions';
import { hashPassword } from '../auth/password';
import type { ServerContext } from '../context';
import { type DialogueRecord, Dialogues } from '../store/dialogues';
import { DocUpdates } from '../store/docUpdates';
import { Documents } from '../store/documents';
import { newId } from '../store/ids';
import { Members } from '../store/members';
import { type UserRecord, Users } from '../store/users';
import { type ProseMirrorJson, proseMirrorJsonToUpdate } from './content';

/** Password of every account a fixture creates, unless one is given. */
export const FIXTURE_PASSWORD = 'accord-test';

/** A person to create: a key to find them by in the result, their role, and optional details. */
export interface FixtureMember {
  key: string;
  /** Null creates an account that is not a member of the dialogue. */
  role: Role | null;
  name?: string;
  email?: string;
  affiliation?: string | null;
  password?: string;
}

/** What to create: a dialogue, its people, and optionally one document with its text. */
export interface DialogueFixture {
  dialogueName?: string;
  members: readonly FixtureMember[];
  document?: {
    title?: string;
    /** The document's text; omitted means no stored state (an empty document). */
    content?: ProseMirrorJson;
    settings?: Partial<DocumentSettings>;
  };
}

/** What a fixture created. `users` is keyed by each member's `key`. */
export interface CreatedDialogue {
  dialogue: DialogueRecord;
  users: Record<string, UserRecord & { password: string }>;
  documentId: string | null;
}

// scrypt is deliberately slow; fixtures reuse one hash per password within a process.
const hashes = new Map<string, Promise<string>>();
function cachedHash(password: string): Promise<string> {
  let hash = hashes.get(password);
  if (!hash) {
    hash = hashPassword(password);
    hashes.set(password, hash);
  }
  return hash;
}

/**
 * Creates a dialogue with members and (optionally) a document, for tests. Emails default to unique
 * addresses so fixtures never collide, and passwords to `FIXTURE_PASSWORD`.
 */
export async function createDialogueWithMembers(
  ctx: ServerContext,
  fixture: DialogueFixture,
): Promise<CreatedDialogue> {
  const dialogue = await new Dialogues(ctx.store).create(fixture.dialogueName ?? 'Test dialogue');
  const users = new Users(ctx.store);
  const members = new Members(ctx.store);
  const created: CreatedDialogue['users'] = {};
  for (const m of fixture.members) {
    const password = m.password ?? FIXTURE_PASSWORD;
    const user = await users.create({
      email: m.email ?? `${m.key}-${newId().slice(0, 8).toLowerCase()}@test.accord`,
      name: m.name ?? `${m.key[0]?.toUpperCase() ?? ''}${m.key.slice(1)} Tester`,
      affiliation: m.affiliation ?? null,
      passwordHash: await cachedHash(password),
    });
    if (m.role) await members.add(dialogue.id, user.id, m.role);
    created[m.key] = { ...user, password };
  }
  let documentId: string | null = null;
  if (fixture.document) {
    ({ id: documentId } = await new Documents(ctx.store).create({
      dialogueId: dialogue.id,
      title: fixture.document.title ?? 'Test framework',
      settings: fixture.document.settings,
    }));
    if (fixture.document.content) {
      await new DocUpdates(ctx.store).createInitialState(
        documentId,
        proseMirrorJsonToUpdate(fixture.document.content),
      );
    }
  }
  return { dialogue, users: created, documentId };
}
