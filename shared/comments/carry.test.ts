import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Anchor, Comment, RangeAnchor, Thread } from '../api/threads';
import { docToYDoc } from '../collab/ydoc';
import { BODY_FRAGMENT } from '../schema';
import { anchorContextOf, createClauseAnchor, createRangeAnchor, findClause, resolveAnchor } from './anchor';
import { carriedBody, carriedWording, carryAnchor } from './carry';

const frozen = doc(
  title('Framework'),
  objective(
    { id: 'o-1' },
    heading('Inclusive politics'),
    clause({ id: 'c-1' }, 'States shall include women and young people in every dialogue.'),
    clause({ id: 'c-2' }, 'Budgets are published within thirty days.'),
  ),
);

/** A range anchor on `words` of clause `clauseId` in `ydoc`. */
function rangeOn(ydoc: Y.Doc, clauseId: string, words: string): RangeAnchor {
  const ctx = anchorContextOf(ydoc);
  const found = findClause(ctx.doc, clauseId);
  if (!found) throw new Error('no clause');
  const from = found.pos + 1 + found.node.textContent.indexOf(words);
  const anchor = createRangeAnchor(ctx, from, from + words.length);
  if (!anchor) throw new Error('no anchor');
  return { ...anchor, clauseNumber: '1.1' };
}

/** The Y.XmlText of clause `id`. */
function clauseText(ydoc: Y.Doc, id: string): Y.XmlText {
  for (const objective of ydoc.getXmlFragment(BODY_FRAGMENT).toArray()) {
    if (!(objective instanceof Y.XmlElement)) continue;
    for (const child of objective.toArray()) {
      if (child instanceof Y.XmlElement && child.getAttribute('id') === id) {
        const text = child.toArray().find((c): c is Y.XmlText => c instanceof Y.XmlText);
        if (text) return text;
      }
    }
  }
  throw new Error(`no clause ${id}`);
}

/** The words a carried anchor covers in the live text. */
function wordsAt(anchor: Anchor, live: Y.Doc): string {
  const resolved = resolveAnchor(anchor, anchorContextOf(live));
  return resolved.status === 'anchored' ? resolved.text : '(orphaned)';
}

describe('carrying feedback to the live draft', () => {
  it('keeps the very characters when the version was frozen from this draft and they still hold the words', () => {
    const live = docToYDoc(frozen);
    // The version is the draft's state at the freeze: same Yjs items.
    const version = new Y.Doc();
    Y.applyUpdate(version, Y.encodeStateAsUpdate(live));
    const feedback = rangeOn(version, 'c-1', 'young people');
    // The draft moved on: words before the range and inside other clauses.
    clauseText(live, 'c-1').insert(0, 'All ');
    clauseText(live, 'c-2').insert(0, 'Annual ');
    const { anchor, placement } = carryAnchor(feedback, anchorContextOf(live));
    expect(placement).toBe('range');
    expect(anchor).toMatchObject({ kind: 'range', from: feedback.from, to: feedback.to, clauseId: 'c-1', clauseNumber: '1.1' });
    expect(wordsAt(anchor, live)).toBe('young people');
  });

  it('finds the quoted words again in the clause of the same id when the texts share no history', () => {
    // Like the demo: the version was stored from its own text, not frozen from the draft.
    const version = docToYDoc(frozen);
    const live = docToYDoc(
      doc(
        title('Framework'),
        objective(
          { id: 'o-2' },
          heading('Moved'),
          clause({ id: 'c-1' }, 'Participating states shall include women and young people in every national dialogue.'),
        ),
      ),
    );
    const feedback = rangeOn(version, 'c-1', 'young people');
    const { anchor, placement } = carryAnchor(feedback, anchorContextOf(live));
    expect(placement).toBe('range');
    expect(anchor).toMatchObject({ kind: 'range', clauseId: 'c-1', objectiveId: 'o-2', quote: 'young people' });
    expect(wordsAt(anchor, live)).toBe('young people');
  });

  it('anchors to the whole clause when the words were changed, and to the whole document when the clause is gone', () => {
    const version = docToYDoc(frozen);
    const feedback = rangeOn(version, 'c-1', 'young people');
    const reworded = docToYDoc(
      doc(title('F'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'States shall include youth in every dialogue.'))),
    );
    const onClause = carryAnchor(feedback, anchorContextOf(reworded));
    expect(onClause.placement).toBe('clause');
    expect(onClause.anchor).toMatchObject({ kind: 'clause', clauseId: 'c-1', quote: 'States shall include youth in every dialogue.' });

    const without = docToYDoc(doc(title('F'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-9' }, 'Other.'))));
    expect(carryAnchor(feedback, anchorContextOf(without))).toEqual({ anchor: { kind: 'document' }, placement: 'document' });
  });

  it('carries a clause anchor to the clause with the same id, and a whole-document anchor as such', () => {
    const live = anchorContextOf(docToYDoc(frozen));
    const onClause = createClauseAnchor(frozen, 'c-2');
    if (!onClause) throw new Error('no clause');
    expect(carryAnchor({ ...onClause, clauseNumber: '1.2' }, live)).toMatchObject({
      placement: 'clause',
      anchor: { kind: 'clause', clauseId: 'c-2', clauseNumber: '1.2' },
    });
    expect(carryAnchor({ kind: 'document' }, live).placement).toBe('document');
  });
});

describe('the first comment of a carried thread', () => {
  const person = (id: string, name: string): Comment['author'] => ({ id, name, role: 'validator' });
  const comment = (id: string, author: Comment['author'], body: string, extra: Partial<Comment> = {}): Comment => ({
    id,
    threadId: 't-1',
    author,
    body,
    mentions: [],
    proposedWording: null,
    applied: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    editedAt: null,
    deleted: false,
    ...extra,
  });
  const ana = person('u-ana', 'Ana Ruiz');
  const bo: Comment['author'] = { id: 'u-bo', name: 'Bo Lind', role: 'drafter' };
  const thread: Thread = {
    id: 't-1',
    documentId: 'd-1',
    versionId: 'v-1',
    roundId: 'r-1',
    anchor: { kind: 'clause', clauseId: 'c-1', objectiveId: 'o-1', quote: 'x', clauseNumber: '1.3' },
    visibility: 'everyone',
    status: 'open',
    createdBy: ana,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    resolvedBy: null,
    resolvedAt: null,
    comments: [
      comment('m-1', ana, 'Please ask <@u-bo> about youth councils.', { proposedWording: 'youth councils' }),
      comment('m-2', bo, 'Noted.'),
      comment('m-3', ana, '', { deleted: true }),
    ],
  };

  it('says who gave the feedback, from where, in which round, on which version and clause, with every reply', () => {
    const body = carriedBody({
      thread,
      roundTitle: 'Regional validation — West',
      versionLabel: 'Zero draft',
      affiliations: { 'u-ana': 'Kestrania', 'u-bo': null },
      members: [{ userId: 'u-bo', name: 'Bo Lind' }],
      note: 'For the next reading.',
    });
    expect(body).toBe(
      [
        'For the next reading.',
        '',
        'Validation feedback from Ana Ruiz (Kestrania) on Zero draft, clause 1.3 (Regional validation — West):',
        '“Please ask @Bo Lind about youth councils.”',
        'Proposed wording: “youth councils”',
        '— Bo Lind: “Noted.”',
      ].join('\n'),
    );
    expect(body).not.toContain('<@');
  });

  it('carries the latest proposed wording only onto the same words', () => {
    expect(carriedWording(thread, 'range')).toBe('youth councils');
    expect(carriedWording(thread, 'clause')).toBeNull();
  });
});
