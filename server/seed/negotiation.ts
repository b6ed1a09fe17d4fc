/**
 * The negotiation part of the demo dialogue: pending suggestions from several members in the text,
 * clauses in every status with their history, and a drafter's pending proposal. Brackets with
 * alternatives are part of the demo text itself (`demoContent.ts`).
 */
import { suggestTransaction } from '@shared/changes';
import type { ClauseStatus } from '@shared/permissions';
import { schema } from '@shared/schema';
import type { Node } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import type { ServerContext } from '../context';
import { ClauseStatuses } from '../store/clauseStatuses';
import type { ProseMirrorJson } from './content';
import { demoClauseIds } from './demoContent';

/** Demo members by role, as the seed created them. */
export interface DemoMembers {
  secretariat: { id: string; name: string };
  co_chair: { id: string; name: string };
  drafter: { id: string; name: string };
}

const day = 24 * 3600_000;
const ago = (days: number, hours = 0) => new Date(Date.now() - days * day - hours * 3600_000).toISOString();

function clauseRange(doc: Node, clauseId: string): { start: number; end: number; text: string } {
  let found: { start: number; end: number; text: string } | null = null;
  doc.descendants((node, pos) => {
    if (found) return false;
    if (node.type.name === 'clause' && node.attrs.id === clauseId) {
      found = { start: pos + 1, end: pos + node.nodeSize - 1, text: node.textContent };
    }
    return node.type.name !== 'clause';
  });
  if (!found) throw new Error(`demo clause ${clauseId} not found`);
  return found;
}

type Edit = { clause: string; find: string; insert?: string; remove?: boolean };

/**
 * Adds pending tracked changes by several members to the demo text, made the way the editor makes
 * them (suggesting mode with authorship), so accepting and rejecting them in the demo works as usual.
 */
export function withDemoSuggestions(content: ProseMirrorJson, members: DemoMembers): ProseMirrorJson {
  let state = EditorState.create({ doc: schema.nodeFromJSON(content) });
  const edits: [DemoMembers[keyof DemoMembers], string, Edit][] = [
    [members.co_chair, ago(1, 5), { clause: '1.2', find: '.', insert: ', and in accessible formats' }],
    [members.secretariat, ago(1, 2), { clause: '3.3', find: ' and to record their commitments in a common registry', remove: true }],
    [members.drafter, ago(0, 20), { clause: '5.2', find: 'public synthesis', insert: ' within six months of each meeting' }],
    [members.co_chair, ago(0, 3), { clause: '2.3', find: 'essential', insert: 'basic', remove: true }],
  ];
  for (const [author, at, edit] of edits) {
    const { start, text } = clauseRange(state.doc, demoClauseIds[edit.clause]!);
    const index = edit.find === '.' ? text.lastIndexOf('.') : text.indexOf(edit.find);
    if (index < 0) throw new Error(`"${edit.find}" not in demo clause ${edit.clause}`);
    const from = start + index;
    const tr = state.tr;
    if (edit.remove && edit.insert) tr.insertText(edit.insert, from, from + edit.find.length);
    else if (edit.remove) tr.delete(from, from + edit.find.length);
    else if (edit.insert) tr.insertText(edit.insert, edit.find === '.' ? from : from + edit.find.length);
    const out = suggestTransaction(state, tr, author, { now: at });
    if (!out.ok) throw new Error(`demo suggestion refused: ${out.reason}`);
    state = state.apply(out.tr);
  }
  return state.doc.toJSON() as ProseMirrorJson;
}

/** Seeds clause statuses in every status, with history and one pending proposal. */
export async function seedClauseStatuses(ctx: ServerContext, documentId: string, members: DemoMembers): Promise<void> {
  const statuses = new ClauseStatuses(ctx.store);
  const { secretariat, co_chair: chair, drafter } = members;
  type Step = { kind: 'set' | 'proposed' | 'confirmed' | 'declined'; to: ClauseStatus; actorId: string; note?: string; at: string };
  const plan: Record<string, Step[]> = {
    '1.1': [
      { kind: 'set', to: 'proposed', actorId: drafter.id, at: ago(6) },
      { kind: 'set', to: 'bracketed', actorId: chair.id, note: 'Kestrania and Marisca differ on "every stage".', at: ago(4) },
    ],
    '1.3': [{ kind: 'set', to: 'bracketed', actorId: drafter.id, at: ago(5) }],
    '1.4': [
      { kind: 'set', to: 'proposed', actorId: drafter.id, at: ago(6) },
      { kind: 'proposed', to: 'agreed', actorId: drafter.id, note: 'No objection at the second plenary.', at: ago(4) },
      { kind: 'confirmed', to: 'agreed', actorId: chair.id, at: ago(3) },
    ],
    '2.1': [{ kind: 'set', to: 'bracketed', actorId: chair.id, at: ago(4) }],
    '2.2': [{ kind: 'set', to: 'proposed', actorId: drafter.id, at: ago(2) }],
    '2.4': [
      { kind: 'set', to: 'proposed', actorId: drafter.id, at: ago(5) },
      { kind: 'set', to: 'agreed', actorId: chair.id, note: 'Agreed at the second plenary.', at: ago(3) },
    ],
    '3.1': [{ kind: 'set', to: 'bracketed', actorId: chair.id, at: ago(3) }],
    '3.5': [
      { kind: 'set', to: 'proposed', actorId: drafter.id, at: ago(7) },
      { kind: 'proposed', to: 'withdrawn', actorId: drafter.id, note: 'Covered by national programmes.', at: ago(3) },
      { kind: 'confirmed', to: 'withdrawn', actorId: secretariat.id, at: ago(2) },
    ],
    '4.1': [{ kind: 'set', to: 'proposed', actorId: drafter.id, at: ago(8) }],
    '4.3': [{ kind: 'set', to: 'bracketed', actorId: chair.id, at: ago(2) }],
    '4.4': [
      { kind: 'set', to: 'proposed', actorId: drafter.id, at: ago(3) },
      { kind: 'proposed', to: 'agreed', actorId: drafter.id, note: 'Only editorial comments remain.', at: ago(0, 6) },
    ],
    '5.1': [
      { kind: 'proposed', to: 'agreed', actorId: drafter.id, at: ago(3) },
      { kind: 'declined', to: 'agreed', actorId: chair.id, note: 'The review cycle is still bracketed.', at: ago(2) },
      { kind: 'set', to: 'bracketed', actorId: chair.id, at: ago(2) },
    ],
  };
  for (const [number, steps] of Object.entries(plan)) {
    await statuses.seedHistory(documentId, demoClauseIds[number]!, steps);
  }
}
