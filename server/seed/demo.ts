import type { Role } from '@shared/permissions';
import { hashPassword } from '../auth/password';
import type { ServerContext } from '../context';
import { auditLogFor } from '../store/auditLog';
import type { Store } from '../store/db';
import { Dialogues } from '../store/dialogues';
import { DocUpdates } from '../store/docUpdates';
import { Documents } from '../store/documents';
import { Members } from '../store/members';
import { Users } from '../store/users';
import { proseMirrorJsonToUpdate } from './content';
import { demoDocument, demoDocumentTitle } from './demoContent';
import { type DemoMembers, seedClauseStatuses, withDemoSuggestions } from './negotiation';
import { seedDemoEvidence } from './demoEvidence';
import { demoVersionsInput, seedDemoVersions } from './demoVersions';
import { seedDemoThreads } from './demoThreads';
import { seedDemoFeedback } from './demoFeedback';

/** Password of every demo account. */
export const DEMO_PASSWORD = 'accord-demo';

/** Name of the demo dialogue. */
export const DEMO_DIALOGUE_NAME = 'International Dialogue on Inclusive Transitions';

/** A demo account: who signs in with it and with which role in the demo dialogue. */
export interface DemoAccount {
  email: string;
  name: string;
  affiliation: string;
  role: Role;
}

/** The five demo accounts (password `accord-demo`); names and affiliations are fictional. */
export const demoAccounts: readonly DemoAccount[] = [
  {
    email: 'secretariat@demo.accord',
    name: 'Amara Okonkwo-Hale',
    affiliation: 'Dialogue Secretariat',
    role: 'secretariat',
  },
  {
    email: 'cochair@demo.accord',
    name: 'Lucía Brennan',
    affiliation: 'Republic of Veloria',
    role: 'co_chair',
  },
  { email: 'drafter@demo.accord', name: 'Tomas Ilvesaar', affiliation: 'Kestrania', role: 'drafter' },
  {
    email: 'panel@demo.accord',
    name: 'Dr. Nadia Ferrant',
    affiliation: 'Orlandia Institute for Transition Studies',
    role: 'panel',
  },
  {
    email: 'observer@demo.accord',
    name: 'Jonas Mbeki-Lund',
    affiliation: 'Civil Society Forum of Marisca',
    role: 'observer',
  },
];

/** What `seedDemo` created, or `seeded: false` when the database already had accounts. */
export type SeedResult =
  | { seeded: false }
  | { seeded: true; dialogueId: string; documentId: string; userIds: Record<string, string> };

/**
 * Seeds the demo dialogue into an empty database: the five demo accounts with their roles, and one
 * framework document whose text is stored once as the document's initial Yjs state. Does nothing when
 * any account exists, so it is safe to call on every start; if two processes race on an empty
 * database, one transaction wins and the other changes nothing.
 */
export async function seedDemo(ctx: ServerContext): Promise<SeedResult> {
  if (!(await new Users(ctx.store).isEmpty())) return { seeded: false };
  // Hashing is slow on purpose; do it before the transaction so the database is not held meanwhile.
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  let result: SeedResult;
  try {
    result = await ctx.store.db.transaction().execute(async (trx) => {
      const store: Store = { ...ctx.store, db: trx };
      const users = new Users(store);
      if (!(await users.isEmpty())) return { seeded: false } as const;
      const dialogue = await new Dialogues(store).create(DEMO_DIALOGUE_NAME);
      const members = new Members(store);
      const userIds: Record<string, string> = {};
      for (const account of demoAccounts) {
        const user = await users.create({
          email: account.email,
          name: account.name,
          affiliation: account.affiliation,
          passwordHash,
        });
        await members.add(dialogue.id, user.id, account.role);
        userIds[account.role] = user.id;
      }
      const drafter = demoAccounts.find((a) => a.role === 'drafter') as DemoAccount;
      const content = withDemoSuggestions(
        demoDocument(
          { id: userIds.drafter as string, name: drafter.name },
          new Date(Date.now() - 2 * 24 * 3600_000).toISOString(),
        ),
        demoMembers(userIds),
      );
      const { id: documentId } = await new Documents(store).create({
        dialogueId: dialogue.id,
        title: demoDocumentTitle,
      });
      await new DocUpdates(store).createInitialState(documentId, proseMirrorJsonToUpdate(content));
      await seedDemoVersions(store, demoVersionsInput(documentId, content, userIds));
      return { seeded: true, dialogueId: dialogue.id, documentId, userIds } as const;
    });
  } catch (err) {
    // Another process seeded first (unique email): that is success for us, not an error.
    if (!(await new Users(ctx.store).isEmpty())) return { seeded: false };
    throw err;
  }

  if (result.seeded) {
    await seedClauseStatuses(ctx, result.documentId, demoMembers(result.userIds));
    await seedDemoEvidence(ctx.store, { ...result, authorId: result.userIds.drafter as string });
    await seedDemoThreads(ctx.store, result);
    await seedDemoFeedback(ctx.store, { ...result, passwordHash });
    await auditLogFor(ctx.store).append({
      dialogueId: result.dialogueId,
      documentId: result.documentId,
      actorId: null,
      action: 'demo.seeded',
      detail: { accounts: demoAccounts.map((a) => a.email) },
    });
    ctx.logger.info({ dialogueId: result.dialogueId, documentId: result.documentId }, 'demo dialogue seeded');
  }
  return result;
}

function demoMembers(userIds: Record<string, string>): DemoMembers {
  const member = (role: Role) => ({
    id: userIds[role] as string,
    name: demoAccounts.find((a) => a.role === role)?.name ?? role,
  });
  return { secretariat: member('secretariat'), co_chair: member('co_chair'), drafter: member('drafter') };
}
