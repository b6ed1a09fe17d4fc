import { anchorContextOf, createRangeAnchor, findClause } from '@shared/comments/anchor';
import { encodeDocState } from '@shared/collab/ydoc';
import { type OpenThreadsPart, openThreadsPartSchema, partKeys } from '@shared/versions/parts';
import * as Y from 'yjs';
import { Threads } from '../../../store/threads';
import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDialogueWithMembers } from '../../../seed/fixtures';
import { ClauseStatuses } from '../../../store/clauseStatuses';
import { createTestApp, type TestApp } from '../../../http/testHarness';
import { collectSnapshotParts } from '../snapshotParts';
import './index';
import { recordToAnnex } from './evidence';

describe('snapshot parts of statuses and evidence', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const text = doc(
    title('Framework'),
    objective({ id: 'o1' }, heading('Participation'), clause({ id: 'c1' }, 'First.'), clause({ id: 'c2' }, 'Second.')),
  );

  it('records every clause of the frozen text with its status, draft when it has none, and no deleted clause', async () => {
    const created = await createDialogueWithMembers(t.ctx, {
      members: [{ key: 'chair', role: 'co_chair' }],
      document: { title: 'Framework' },
    });
    const documentId = created.documentId as string;
    const statuses = new ClauseStatuses(t.ctx.store);
    await statuses.set(documentId, 'c1', 'agreed', created.users.chair!.id, null);
    await statuses.set(documentId, 'gone', 'bracketed', created.users.chair!.id, null);

    const parts = await collectSnapshotParts(t.ctx, documentId, text);
    expect(parts[partKeys.clauseStatus]).toEqual({ c1: 'agreed', c2: 'draft' });
    expect(parts[partKeys.evidenceLinks]).toEqual([]);
    const annex = parts[partKeys.consultationAnnex] as ReturnType<typeof recordToAnnex>;
    expect(annex.sections.map((s) => s.heading)).toEqual(['Clause 1.1', 'Clause 1.2']);
    expect(annex.sections[0]?.paragraphs).toEqual(['No consultation is cited for this clause.']);
  });

  it('writes each cited consultation of a clause as an annex paragraph', () => {
    const source = {
      reportId: 'r1',
      country: 'Veloria',
      kind: 'national_consultation' as const,
      reportTitle: 'Voices of the coast',
      date: '2026-03-02',
      focalPoint: 'A. Focal',
      quote: 'Women must sit at every table.',
      note: 'central to 1.1',
    };
    const annex = recordToAnnex({
      documentTitle: 'Framework',
      generatedAt: '2026-01-01T00:00:00.000Z',
      objectives: [
        {
          number: '1',
          heading: 'Participation',
          clauses: [{ id: 'c1', number: '1.1', text: 'First.', informedBy: [source], challengedBy: [] }],
        },
      ],
      consultations: [],
    });
    expect(annex.sections).toHaveLength(1);
    expect(annex.sections[0]?.paragraphs[0]).toMatch(/^Informed by: Veloria, .*“Voices of the coast” \(2026-03-02\): “Women must sit at every table\.” — central to 1\.1$/);
  });

  it('puts the open threads of the live draft into the part, placed in the text, never an internal note nor feedback', async () => {
    const created = await createDialogueWithMembers(t.ctx, {
      members: [
        { key: 'chair', role: 'co_chair', name: 'Chris Chair', affiliation: 'Veloria' },
        { key: 'panel', role: 'panel', name: 'Pat Panel' },
        { key: 'validator', role: 'validator', name: 'Val Idator' },
      ],
      document: { title: 'Framework' },
    });
    const documentId = created.documentId as string;
    // Thread anchors name clauses by ids of the form "c-…".
    const text = doc(
      title('Framework'),
      objective({ id: 'o-1' }, heading('Participation'), clause({ id: 'c-1' }, 'First.'), clause({ id: 'c-2' }, 'Second.')),
    );
    const state = encodeDocState(text);
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, state);
    const ctx = anchorContextOf(ydoc);
    const second = findClause(ctx.doc, 'c-2')!;
    const range = createRangeAnchor(ctx, second.pos + 1, second.pos + 1 + 'Second'.length)!;
    const threads = new Threads(t.ctx.store);
    const base = { documentId, dialogueId: created.dialogue.id, proposedWording: null };
    const open = await threads.create({
      ...base,
      anchor: range,
      visibility: 'everyone',
      authorId: created.users.panel!.id,
      authorRole: 'panel',
      body: `Too vague, <@${created.users.chair!.id}>?`,
    });
    await threads.addComment({ threadId: open.threadId, authorId: created.users.chair!.id, authorRole: 'co_chair', body: 'Agreed.', proposedWording: 'Second, in full' });
    await threads.create({ ...base, anchor: { kind: 'document' }, visibility: 'internal', authorId: created.users.chair!.id, authorRole: 'co_chair', body: 'INTERNAL: hold this back' });
    const resolved = await threads.create({ ...base, anchor: { kind: 'document' }, visibility: 'everyone', authorId: created.users.panel!.id, authorRole: 'panel', body: 'Settled point' });
    await threads.setStatus(resolved.threadId, 'resolved', created.users.chair!.id, 'co_chair');
    await threads.create({
      ...base,
      versionId: 'v-some',
      roundId: 'r-some',
      anchor: { kind: 'document' },
      visibility: 'everyone',
      authorId: created.users.validator!.id,
      authorRole: 'validator',
      body: 'FEEDBACK: from a round',
    });

    const parts = await collectSnapshotParts(t.ctx, documentId, text, state);
    const part = openThreadsPartSchema.parse(parts[partKeys.openThreads]) satisfies OpenThreadsPart;
    expect(part).toEqual([
      {
        id: open.threadId,
        clauseId: 'c-2',
        quote: 'Second',
        messages: [
          { author: 'Pat Panel', affiliation: null, at: expect.any(String), text: 'Too vague, @Chris Chair?' },
          { author: 'Chris Chair', affiliation: 'Veloria', at: expect.any(String), text: 'Agreed.\nProposed wording: “Second, in full”' },
        ],
      },
    ]);
    expect(JSON.stringify(parts)).not.toMatch(/INTERNAL|FEEDBACK|Settled/);
    // Without the Yjs state (a caller that has only the text), the words are found again in their clause.
    const withoutState = openThreadsPartSchema.parse((await collectSnapshotParts(t.ctx, documentId, text))[partKeys.openThreads]);
    expect(withoutState[0]).toMatchObject({ clauseId: 'c-2', quote: 'Second' });
  });
});
