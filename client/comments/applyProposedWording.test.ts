import type { ApplyCancelBody, ApplyConfirmBody, Comment, RangeAnchor, Thread, WordingApplication } from '@shared/api/threads';
import { listChanges } from '@shared/changes';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { EditorState, type Transaction } from 'prosemirror-state';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { trackChangesPlugins } from '../editor/plugins/trackChanges';
import type { EditorLike } from '../editor/suggestReplacement';
import { type ApplyDeps, ApplyWordingError, applyProposedWording } from './applyProposedWording';

const proposer = { id: 'u-panel', name: 'Dr. Nadia Ferrant', role: 'panel' as const };
const ORIGINAL = 'Include young people now.';

function editor(locked: { id: string | null } = { id: null }): EditorLike & { text(): string } {
  let state = EditorState.create({
    doc: doc(title('T'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, ORIGINAL))),
    plugins: trackChangesPlugins({
      initial: { mode: 'suggesting', forced: false },
      isLocked: (id) => id === locked.id,
      onBlocked: () => {},
      roleOf: () => null,
    }),
  });
  return {
    get state() {
      return state;
    },
    dispatch(tr: Transaction) {
      state = state.apply(tr);
    },
    text: () => state.doc.textBetween(0, state.doc.content.size, '\n'),
  };
}

/** Where `words` are in the clause now (the first occurrence), or null. */
function find(view: EditorLike, words: string): { from: number; to: number } | null {
  let found: { from: number; to: number } | null = null;
  view.state.doc.descendants((node, pos) => {
    if (found || node.type.name !== 'clause') return !found;
    const at = node.textContent.indexOf(words);
    if (at >= 0) found = { from: pos + 1 + at, to: pos + 1 + at + words.length };
    return false;
  });
  return found;
}

const anchor: RangeAnchor = {
  kind: 'range',
  from: 'AAAA',
  to: 'AAAA',
  quote: 'young people',
  prefix: 'Include ',
  suffix: ' now.',
  clauseId: 'c-1',
  objectiveId: 'o-1',
  clauseNumber: '1.1',
};

const comment: Comment = {
  id: 'm-1',
  threadId: 't-1',
  author: proposer,
  body: 'Broader.',
  mentions: [],
  proposedWording: 'young people of every background',
  applied: null,
  createdAt: '2024-01-01T00:00:00.000Z',
  editedAt: null,
  deleted: false,
};

const thread: Thread = {
  id: 't-1',
  documentId: 'd-1',
  versionId: null,
  anchor,
  visibility: 'everyone',
  status: 'open',
  createdBy: proposer,
  createdAt: comment.createdAt,
  updatedAt: comment.createdAt,
  resolvedBy: null,
  resolvedAt: null,
  comments: [comment],
};

const application: WordingApplication = {
  changeId: 's-granted00001',
  author: { id: proposer.id, name: proposer.name },
  wording: 'young people of every background',
  expiresAt: '2099-01-01T00:00:00.000Z',
};

/** A fake server and surroundings that record every call, in order. */
function harness(opts: { confirm?: (n: number) => Thread | Error; onStart?: () => void } = {}) {
  const calls: string[] = [];
  const bodies: { confirm: ApplyConfirmBody[]; cancel: ApplyCancelBody[] } = { confirm: [], cancel: [] };
  const applied: Thread = { ...thread, comments: [{ ...comment, applied: { by: { id: 'u-drafter', name: 'Tomas', role: 'drafter' }, at: 'now' } }] };
  let confirms = 0;
  const deps: ApplyDeps = {
    api: {
      startApplying: async () => {
        calls.push('start');
        opts.onStart?.();
        return { thread, application };
      },
      confirmApplying: async (_d, _t, _c, body) => {
        calls.push('confirm');
        bodies.confirm.push(body);
        const outcome = opts.confirm?.(++confirms) ?? applied;
        if (outcome instanceof Error) throw outcome;
        return outcome;
      },
      cancelApplying: async (_d, _t, _c, body) => {
        calls.push(`cancel:${body.reason}`);
        bodies.cancel.push(body);
        return thread;
      },
    },
    locate: (view, t) => (t.anchor.kind === 'range' ? find(view, t.anchor.quote) : null),
    anchorFor: (view, from, to) => ({ ...anchor, quote: view.state.doc.textBetween(from, to), from: `F${from}`, to: `T${to}` }),
    whenStored: async () => {
      calls.push('stored');
      return true;
    },
    pause: async () => {
      calls.push('pause');
    },
    onThread: () => {
      calls.push('thread');
    },
  };
  return { deps, calls, bodies, applied };
}

async function refusal(run: Promise<unknown>): Promise<ApplyWordingError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof ApplyWordingError) return error;
    throw error;
  }
  throw new Error('expected the application to be refused');
}

describe('applying proposed wording', () => {
  it('makes a tracked change by the proposer under the granted id, then records it with the change\'s range', async () => {
    const view = editor();
    const { deps, calls, bodies, applied } = harness();
    expect(await applyProposedWording(view, 'd-1', thread, comment, deps)).toBe(applied);
    expect(calls).toEqual(['start', 'stored', 'confirm', 'thread']);
    expect(listChanges(view.state.doc)).toEqual([
      expect.objectContaining({
        id: application.changeId,
        kind: 'replacement',
        deleted: 'young people',
        inserted: 'young people of every background',
        authorId: proposer.id,
        authorName: proposer.name,
      }),
    ]);
    const change = listChanges(view.state.doc)[0]!;
    // The thread moves onto the whole change (old and new words), keeping the words it was about.
    expect(bodies.confirm[0]).toEqual({
      changeId: application.changeId,
      anchor: expect.objectContaining({ from: `F${change.from}`, to: `T${change.to}`, quote: 'young people', clauseNumber: '1.1' }),
    });
  });

  it('refuses before asking the server when the clause is locked', async () => {
    const view = editor({ id: 'c-1' });
    const { deps, calls } = harness();
    const error = await refusal(applyProposedWording(view, 'd-1', thread, comment, deps));
    expect(error.message).toContain('agreed and locked');
    expect(calls).toEqual([]);
    expect(view.text()).toContain(ORIGINAL);
  });

  it('refuses before asking the server when the words hold a pending suggestion', async () => {
    const view = editor();
    const { deps } = harness();
    await applyProposedWording(view, 'd-1', thread, comment, deps);
    // A second wording on the same words, before a Co-Chair decided the first.
    const second = { ...comment, id: 'm-2', proposedWording: 'youth' };
    const onChange: Thread = { ...thread, anchor: { ...anchor, quote: 'young peopleyoung people of every background' } };
    const again = harness();
    const error = await refusal(applyProposedWording(view, 'd-1', onChange, second, again.deps));
    expect(error.message).toContain('pending suggestion');
    expect(again.calls).toEqual([]);
  });

  it('cancels, changing nothing, when the editor refuses after the server granted the change', async () => {
    const locked = { id: null as string | null };
    const view = editor(locked);
    // The clause is agreed while the request is under way.
    const { deps, calls, bodies } = harness({ onStart: () => (locked.id = 'c-1') });
    const error = await refusal(applyProposedWording(view, 'd-1', thread, comment, deps));
    expect(error.message).toContain('agreed and locked');
    expect(calls).toEqual(['start', 'cancel:locked']);
    expect(bodies.cancel).toEqual([{ changeId: application.changeId, reason: 'locked' }]);
    expect(listChanges(view.state.doc)).toEqual([]);
  });

  it('tries the confirmation again while the change is on its way to the server', async () => {
    const view = editor();
    const notYet = () => new ApiError(409, 'change_not_found', 'The tracked change has not reached the server yet.');
    const { deps, calls } = harness({ confirm: (n) => (n < 3 ? notYet() : harness().applied) });
    await applyProposedWording(view, 'd-1', thread, comment, deps);
    expect(calls).toEqual(['start', 'stored', 'confirm', 'pause', 'stored', 'confirm', 'pause', 'stored', 'confirm', 'thread']);
    expect(listChanges(view.state.doc)).toHaveLength(1);
  });

  it('takes the change back and cancels when the server refuses to record it', async () => {
    const view = editor();
    const { deps, calls } = harness({ confirm: () => new ApiError(409, 'conflict', 'Ana Ruiz has already applied this wording.') });
    const error = await refusal(applyProposedWording(view, 'd-1', thread, comment, deps));
    expect(error.message).toBe('Ana Ruiz has already applied this wording. The change was taken back.');
    expect(calls).toEqual(['start', 'stored', 'confirm', 'stored', 'cancel:not-recorded']);
    expect(listChanges(view.state.doc)).toEqual([]);
    expect(view.text()).toContain(ORIGINAL);
  });

  it('leaves the change and its reservation when it cannot be taken back either (the clause was locked meanwhile)', async () => {
    const locked = { id: null as string | null };
    const view = editor(locked);
    const { deps, calls } = harness({
      confirm: () => {
        locked.id = 'c-1';
        return new ApiError(409, 'conflict', 'Refused.');
      },
    });
    const error = await refusal(applyProposedWording(view, 'd-1', thread, comment, deps));
    expect(error.message).toContain('could not be taken back');
    expect(calls.some((c) => c.startsWith('cancel'))).toBe(false);
    expect(listChanges(view.state.doc)).toHaveLength(1);
  });

  it('keeps the change, and says so, when the server cannot be reached to record it', async () => {
    const view = editor();
    const { deps, calls } = harness({ confirm: () => new ApiError(0, 'network', 'The server cannot be reached.') });
    const error = await refusal(applyProposedWording(view, 'd-1', thread, comment, deps));
    expect(error.message).toContain('could not be reached');
    expect(calls.filter((c) => c === 'confirm')).toHaveLength(4);
    expect(calls.some((c) => c.startsWith('cancel'))).toBe(false);
    expect(listChanges(view.state.doc)).toHaveLength(1);
  });

  it('refuses wording that was already applied, or a thread whose words are gone, without a request', async () => {
    const view = editor();
    const { deps, calls } = harness();
    const done = { ...comment, applied: { by: { id: 'u-x', name: 'Ana Ruiz', role: 'drafter' as const }, at: 'now' } };
    expect((await refusal(applyProposedWording(view, 'd-1', thread, done, deps))).message).toBe('Ana Ruiz has already applied this wording.');
    const gone = { ...thread, anchor: { ...anchor, quote: 'words that are not there' } };
    expect((await refusal(applyProposedWording(view, 'd-1', gone, comment, deps))).message).toContain('deleted');
    expect(calls).toEqual([]);
  });
});
