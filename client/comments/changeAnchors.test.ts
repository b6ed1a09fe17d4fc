import type { Thread } from '@shared/api/threads';
import { type Decision, decideChanges, listChanges, suggestTransaction } from '@shared/changes';
import { docToYDoc } from '@shared/collab/ydoc';
import { anchorContextOf, createRangeAnchor, findClause, resolveAnchor } from '@shared/comments/anchor';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import type { Node } from 'prosemirror-model';
import { EditorState } from 'prosemirror-state';
import { updateYFragment } from 'y-prosemirror';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorOnChange, changeLabel, changeQuote, threadsOnChange } from './changeAnchors';

const drafter = { id: 'u-drafter', name: 'Tomas' };

/** A replica of a small framework, with helpers to edit it as an editor would (through its fragment). */
function replica() {
  const ydoc = docToYDoc(doc(title('T'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'Include young people now.'))));
  const write = (next: Node) => {
    const ctx = anchorContextOf(ydoc);
    updateYFragment(ydoc, ctx.fragment, next, { mapping: ctx.mapping, isOMark: new Map() } as never);
  };
  const state = () => EditorState.create({ doc: anchorContextOf(ydoc).doc });
  const at = (words: string) => {
    const c = findClause(state().doc, 'c-1');
    if (!c) throw new Error('no clause');
    const from = c.pos + 1 + c.node.textContent.indexOf(words);
    return [from, from + words.length] as const;
  };
  const suggest = (make: (s: EditorState) => ReturnType<EditorState['tr']['insertText']>, id: string) => {
    const s = state();
    const out = suggestTransaction(s, make(s), drafter, { freshId: () => id });
    if (!out.ok) throw new Error(out.reason);
    write(out.tr.doc);
  };
  const decide = (id: string, decision: Decision) => {
    const tr = decideChanges(state(), [id], decision);
    if (!tr) throw new Error('not pending');
    write(tr.doc);
  };
  return { ydoc, state, at, suggest, decide };
}

function threadOn(changeId: string | null, status: 'open' | 'resolved', createdAt: string): Thread {
  return {
    id: `t-${changeId}-${createdAt}`,
    documentId: 'd',
    versionId: null,
    anchor: {
      kind: 'range',
      from: 'AAAA',
      to: 'AAAA',
      quote: 'x',
      prefix: '',
      suffix: '',
      clauseId: 'c-1',
      objectiveId: 'o-1',
      clauseNumber: null,
      ...(changeId ? { change: { id: changeId, decision: null } } : {}),
    },
    visibility: 'everyone',
    status,
    createdBy: { id: 'u', name: 'U', role: 'panel' },
    createdAt,
    updatedAt: createdAt,
    resolvedBy: null,
    resolvedAt: null,
    comments: [],
  };
}

describe('threads on tracked changes', () => {
  it('finds the threads on a change, open ones first, oldest first', () => {
    const threads = [threadOn('s-1', 'resolved', '1'), threadOn('s-2', 'open', '2'), threadOn('s-1', 'open', '3'), threadOn(null, 'open', '4'), threadOn('s-1', 'open', '0')];
    expect(threadsOnChange(threads, 's-1').map((t) => [t.status, t.createdAt])).toEqual([
      ['open', '0'],
      ['open', '3'],
      ['resolved', '1'],
    ]);
    expect(threadsOnChange(threads, 's-9')).toEqual([]);
  });

  it('quotes what a change proposes, or for a deletion the words it removes, and labels it by author and clause', () => {
    expect(changeQuote({ inserted: 'youth', deleted: 'young people' })).toBe('youth');
    expect(changeQuote({ inserted: '', deleted: 'young people' })).toBe('young people');
    expect(changeLabel({ authorName: 'Tomas' }, '5.3')).toBe('Change by Tomas · Clause 5.3');
    expect(changeLabel({ authorName: null }, null)).toBe('Change by an unknown author');
  });

  it('anchors a new thread on the whole change, linked to it, and says when the change is gone', () => {
    const r = replica();
    const [from, to] = r.at('young people');
    r.suggest((s) => s.tr.insertText('youth', from, to), 's-repl');
    const ctx = anchorContextOf(r.ydoc);
    const found = anchorOnChange(r.state(), 's-repl', (a, b) => createRangeAnchor(ctx, a, b));
    if ('problem' in found) throw new Error(found.problem);
    expect(found.anchor).toMatchObject({ kind: 'range', quote: 'youth', clauseId: 'c-1', change: { id: 's-repl', decision: null } });
    expect(resolveAnchor(found.anchor, anchorContextOf(r.ydoc))).toMatchObject({ status: 'anchored', text: 'young peopleyouth' });
    expect(anchorOnChange(r.state(), 's-none', () => null)).toEqual({ problem: expect.stringContaining('no longer pending') });
  });

  it.each([
    ['a replacement', 'accept', { status: 'anchored', text: 'youth' }],
    ['a replacement', 'reject', { status: 'anchored', text: 'young people' }],
    ['an insertion', 'accept', { status: 'anchored', text: 'brave ' }],
    ['an insertion', 'reject', { status: 'orphaned', quote: 'brave ' }],
    ['a deletion', 'accept', { status: 'orphaned', quote: 'young ' }],
    ['a deletion', 'reject', { status: 'anchored', text: 'young ' }],
  ] as const)('keeps a thread on %s that is %sed on the words that remain, or on deleted text with its quote', (kind, decision, expected) => {
    const r = replica();
    if (kind === 'a replacement') {
      const [from, to] = r.at('young people');
      r.suggest((s) => s.tr.insertText('youth', from, to), 's-1');
    } else if (kind === 'an insertion') {
      const [at] = r.at('people');
      r.suggest((s) => s.tr.insertText('brave ', at), 's-1');
    } else {
      const [from, to] = r.at('young ');
      r.suggest((s) => s.tr.delete(from, to), 's-1');
    }
    const ctx = anchorContextOf(r.ydoc);
    const found = anchorOnChange(r.state(), 's-1', (a, b) => createRangeAnchor(ctx, a, b));
    if ('problem' in found) throw new Error(found.problem);
    // Another replica decides; this one receives the decision as a remote update.
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(r.ydoc));
    r.decide('s-1', decision);
    Y.applyUpdate(other, Y.encodeStateAsUpdate(r.ydoc));
    expect(listChanges(anchorContextOf(other).doc)).toEqual([]);
    expect(resolveAnchor(found.anchor, anchorContextOf(other))).toMatchObject(expected);
  });
});
