/**
 * The demo dialogue's frozen versions: a "Zero draft" tabled at the first plenary and "Rev.1" at the
 * second, with real differences between them and between Rev.1 and the live draft, so that the
 * timeline, the comparison and the exports have something to show; and a closed validation round on
 * the Zero draft. Each is the demo text at an
 * earlier stage of the negotiation (written here as edits to the live demo text).
 */
import { schema } from '@shared/schema';
import { composeVersion } from '../domain/versions/freeze';
import type { Store } from '../store/db';
import { Rounds } from '../store/rounds';
import { Versions } from '../store/versions';
import { type ProseMirrorJson, proseMirrorJsonToUpdate } from './content';
import { demoClauseIds, demoObjectiveIds } from './demoContent';

/** What the demo seed made that the versions seed builds on. */
export interface DemoVersionsInput {
  documentId: string;
  title: string;
  /** The live demo text (as stored). */
  live: ProseMirrorJson;
  /** Who froze the versions: the Secretariat and a Co-Chair of the demo. */
  secretariat: { id: string; name: string };
  cochair: { id: string; name: string };
}

const text = (t: string, marks?: ProseMirrorJson['marks']): ProseMirrorJson =>
  marks ? { type: 'text', text: t, marks } : { type: 'text', text: t };

function clone(json: ProseMirrorJson): ProseMirrorJson {
  return JSON.parse(JSON.stringify(json)) as ProseMirrorJson;
}

function objectiveOf(doc: ProseMirrorJson, number: string): ProseMirrorJson {
  const found = doc.content?.find((n) => n.type === 'objective' && n.attrs?.id === demoObjectiveIds[number]);
  if (!found) throw new Error(`demo objective ${number} is missing`);
  return found;
}

function clauseIndex(objective: ProseMirrorJson, number: string): number {
  const index = objective.content?.findIndex((n) => n.type === 'clause' && n.attrs?.id === demoClauseIds[number]) ?? -1;
  if (index < 0) throw new Error(`demo clause ${number} is missing`);
  return index;
}

function setClause(doc: ProseMirrorJson, number: string, content: ProseMirrorJson[]): void {
  const objective = objectiveOf(doc, number.split('.')[0]!);
  objective.content![clauseIndex(objective, number)]!.content = content;
}

function removeClause(doc: ProseMirrorJson, number: string): ProseMirrorJson {
  const objective = objectiveOf(doc, number.split('.')[0]!);
  return objective.content!.splice(clauseIndex(objective, number), 1)[0]!;
}

/** Rev.1: the live text before the last week's edits. */
export function rev1Text(live: ProseMirrorJson): ProseMirrorJson {
  const doc = clone(live);
  // Since Rev.1 the drafters offered an alternative on the review cycle …
  setClause(doc, '5.1', [
    text('Participating states will present a voluntary national review of their progress on these objectives every two years.'),
  ]);
  // … added disability to the indicators …
  setClause(doc, '5.3', [
    text('The expert panel will advise on indicators, drawing on data disaggregated by sex, age and region.'),
  ]);
  // … and added the clause on social protection.
  removeClause(doc, '3.5');
  return doc;
}

/** The Zero draft: Rev.1 before the first plenary's changes. */
export function zeroDraftText(live: ProseMirrorJson): ProseMirrorJson {
  const doc = rev1Text(live);
  doc.content![0] = { type: 'title', content: [text('International Objectives Framework — zero draft')] };
  // The first plenary added the clause on selection rules …
  removeClause(doc, '1.2');
  // … moved the anti-corruption clause from objective 1 to objective 2 …
  objectiveOf(doc, '1').content!.push(removeClause(doc, '2.4'));
  // … bracketed the debt relief clause and offered alternatives on transitional mandates …
  setClause(doc, '3.4', [
    text('Debt relief should be considered for states whose recovery is constrained by obligations incurred during the crisis.'),
  ]);
  setClause(doc, '1.3', [
    text('Where a transitional authority is established, its mandate shall include a timetable for broadening participation, reviewed annually.'),
  ]);
  // … and dropped a clause on the duration of truth commissions.
  objectiveOf(doc, '4').content!.push({
    type: 'clause',
    attrs: { id: 'c-demo-zero-truth' },
    content: [text('Truth commissions shall complete their work within two years of their establishment.')],
  });
  return doc;
}

const day = 24 * 3600_000;

/** Stores the demo's "Zero draft" and "Rev.1" (inside the demo seed's transaction). */
export async function seedDemoVersions(store: Store, input: DemoVersionsInput, now = Date.now()): Promise<void> {
  const versions = new Versions(store);
  const stages = [
    {
      label: 'Zero draft',
      meeting: 'First plenary session, Veloria',
      note: 'Tabled for a first reading; brackets reflect the national consultations.',
      frozenAt: new Date(now - 30 * day).toISOString(),
      frozenBy: input.secretariat,
      json: zeroDraftText(input.live),
    },
    {
      label: 'Rev.1',
      meeting: 'Second plenary session, Kestrania',
      note: 'Reflects the first reading; new clause 1.2, clause 2.4 moved from objective 1.',
      frozenAt: new Date(now - 9 * day).toISOString(),
      frozenBy: input.cochair,
      json: rev1Text(input.live),
    },
  ];
  const created: string[] = [];
  for (const stage of stages) {
    const { row } = await composeVersion({
      document: { id: input.documentId, title: input.title },
      label: stage.label,
      meeting: stage.meeting,
      note: stage.note,
      frozenAt: stage.frozenAt,
      frozenBy: stage.frozenBy,
      doc: schema.nodeFromJSON(stage.json),
      state: proseMirrorJsonToUpdate(stage.json),
      parts: {},
    });
    created.push((await versions.create(row)).id);
  }

  // A validation round on the Zero draft, held between the two plenaries and now closed. Its
  // validators and their feedback are seeded by `demoFeedback.ts`.
  const rounds = new Rounds(store, () => now - 28 * day);
  const round = await rounds.create({
    documentId: input.documentId,
    versionId: created[0]!,
    title: 'Regional validation — West',
    closesAt: new Date(now - 14 * day).toISOString(),
    createdBy: input.secretariat.id,
  });
  await new Rounds(store, () => now - 14 * day).close(round.id, input.secretariat.id);
}

/** The versions seed's input from what the demo seed made (keeps the call in demo.ts to one line). */
export function demoVersionsInput(
  documentId: string,
  live: ProseMirrorJson,
  userIds: Record<string, string>,
): DemoVersionsInput {
  return {
    documentId,
    title: live.content?.[0]?.content?.[0]?.text ?? 'Framework',
    live,
    secretariat: { id: userIds.secretariat ?? '', name: 'Amara Okonkwo-Hale' },
    cochair: { id: userIds.co_chair ?? '', name: 'Lucía Brennan' },
  };
}
