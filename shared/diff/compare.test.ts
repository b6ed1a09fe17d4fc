import { bracket, clause, doc, heading, objective, p, preamble, rationale, title } from '@tests/helpers/builders';
import { createRandom, seedFromEnv } from '@tests/helpers/random';
import fc from 'fast-check';
import type { Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { computeOutline, baselineFromOutline } from '../numbering';
import { compareDocuments, isIdentical } from './compare';
import { redlineSide } from './redline';
import type { ClauseComparison } from './types';

/** A small framework: objective o1 with clauses a, b, c; objective o2 with d, e. */
function framework(
  overrides: { o1?: Node[]; o2?: Node[]; heading1?: string; preambleText?: string } = {},
): Node {
  return doc(
    title('Framework'),
    preamble(p(overrides.preambleText ?? 'Recalling the consultations,')),
    objective(
      { id: 'o1' },
      heading(overrides.heading1 ?? 'Inclusive settlements'),
      rationale('Because.'),
      ...(overrides.o1 ?? [
        clause({ id: 'a' }, 'Participating states will include women ', bracket('at every stage', { group: 'g1' }), '.'),
        clause({ id: 'b' }, 'Rules are published.'),
        clause({ id: 'c' }, 'Mandates ', bracket('shall', { group: 'g2', alt: 1 }), ' ', bracket('should', { group: 'g2', alt: 2 }), ' include a timetable.'),
      ]),
    ),
    objective(
      { id: 'o2' },
      heading('Institutions'),
      ...(overrides.o2 ?? [clause({ id: 'd' }, 'Courts are independent.'), clause({ id: 'e' }, 'Budgets are open.')]),
    ),
  );
}

const byId = (clauses: ClauseComparison[]) => Object.fromEntries(clauses.map((c) => [c.id, c.changes]));

describe('compareDocuments', () => {
  it('reports nothing when a text is compared with itself', () => {
    const result = compareDocuments({ doc: framework() }, { doc: framework() });
    expect(isIdentical(result)).toBe(true);
    expect(result.summary).toBe('No changes.');
    expect(result.clauses.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('reports an inserted clause as added and the clauses after it as renumbered', () => {
    const before = framework();
    const after = framework({
      o1: [
        clause({ id: 'a' }, 'Participating states will include women ', bracket('at every stage', { group: 'g1' }), '.'),
        clause({ id: 'new' }, 'A new clause.'),
        clause({ id: 'b' }, 'Rules are published.'),
        clause({ id: 'c' }, 'Mandates ', bracket('shall', { group: 'g2', alt: 1 }), ' ', bracket('should', { group: 'g2', alt: 2 }), ' include a timetable.'),
      ],
    });
    const result = compareDocuments({ doc: before }, { doc: after });
    expect(byId(result.clauses)).toEqual({ a: [], new: ['added'], b: ['renumbered'], c: ['renumbered'], d: [], e: [] });
    expect(result.clauses.find((c) => c.id === 'b')).toMatchObject({ before: { number: '1.2' }, after: { number: '1.3' } });
    expect(result.clauses.find((c) => c.id === 'new')?.redline).toEqual([{ op: 'inserted', text: 'A new clause.' }]);
    expect(result.summary).toBe('1 clause added, 2 renumbered.');
  });

  it('reports a deleted clause as removed, where it stood', () => {
    const after = framework({ o2: [clause({ id: 'e' }, 'Budgets are open.')] });
    const result = compareDocuments({ doc: framework() }, { doc: after });
    expect(result.clauses.map((c) => c.id)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(byId(result.clauses)).toMatchObject({ d: ['removed'], e: ['renumbered'] });
    expect(result.clauses.find((c) => c.id === 'd')).toMatchObject({ before: { number: '2.1' }, after: null });
    expect(result.summary).toBe('1 clause removed, 1 renumbered.');
  });

  it('reports a clause moved to another objective as moved, not as removed and added', () => {
    const after = framework({
      o1: [
        clause({ id: 'a' }, 'Participating states will include women ', bracket('at every stage', { group: 'g1' }), '.'),
        clause({ id: 'c' }, 'Mandates ', bracket('shall', { group: 'g2', alt: 1 }), ' ', bracket('should', { group: 'g2', alt: 2 }), ' include a timetable.'),
      ],
      o2: [clause({ id: 'd' }, 'Courts are independent.'), clause({ id: 'b' }, 'Rules are published.'), clause({ id: 'e' }, 'Budgets are open.')],
    });
    const result = compareDocuments({ doc: framework() }, { doc: after });
    expect(byId(result.clauses)).toEqual({ a: [], c: ['renumbered'], d: [], b: ['moved'], e: ['renumbered'] });
    expect(result.clauses.find((c) => c.id === 'b')).toMatchObject({
      before: { number: '1.2', objectiveId: 'o1' },
      after: { number: '2.2', objectiveId: 'o2' },
    });
  });

  it('reports a clause moved within its objective as moved and its neighbours as renumbered', () => {
    const after = framework({
      o1: [
        clause({ id: 'b' }, 'Rules are published.'),
        clause({ id: 'c' }, 'Mandates ', bracket('shall', { group: 'g2', alt: 1 }), ' ', bracket('should', { group: 'g2', alt: 2 }), ' include a timetable.'),
        clause({ id: 'a' }, 'Participating states will include women ', bracket('at every stage', { group: 'g1' }), '.'),
      ],
    });
    const result = compareDocuments({ doc: framework() }, { doc: after });
    expect(byId(result.clauses)).toEqual({ a: ['moved'], b: ['renumbered'], c: ['renumbered'], d: [], e: [] });
  });

  it('gives a word-level redline inside a changed clause', () => {
    const after = framework({ o2: [clause({ id: 'd' }, 'Courts are fully independent.'), clause({ id: 'e' }, 'Budgets are open.')] });
    const result = compareDocuments({ doc: framework() }, { doc: after });
    const d = result.clauses.find((c) => c.id === 'd');
    expect(d?.changes).toEqual(['changed']);
    expect(d?.redline).toEqual([
      { op: 'equal', text: 'Courts are ' },
      { op: 'inserted', text: 'fully ' },
      { op: 'equal', text: 'independent.' },
    ]);
    expect(result.summary).toBe('1 clause changed.');
  });

  it('shows brackets in the redline, so agreeing bracketed wording is a visible change', () => {
    const after = framework({
      o1: [
        clause({ id: 'a' }, 'Participating states will include women at every stage.'),
        clause({ id: 'b' }, 'Rules are published.'),
        clause({ id: 'c' }, 'Mandates ', bracket('shall', { group: 'g2', alt: 1 }), ' ', bracket('should', { group: 'g2', alt: 2 }), ' include a timetable.'),
      ],
    });
    const result = compareDocuments({ doc: framework() }, { doc: after });
    const a = result.clauses.find((c) => c.id === 'a')!;
    expect(a.changes).toEqual(['changed']);
    expect(redlineSide(a.redline!, 'before')).toBe('Participating states will include women [at every stage].');
    expect(redlineSide(a.redline!, 'after')).toBe('Participating states will include women at every stage.');
    expect(result.clauses.find((c) => c.id === 'c')?.before?.text).toBe(
      'Mandates [Alt 1 shall] [Alt 2 should] include a timetable.',
    );
  });

  it('lists status changes when both texts carry statuses, and only then', () => {
    const statuses = { a: 'draft', b: 'bracketed', c: 'agreed', d: 'draft', e: 'draft' };
    const result = compareDocuments(
      { doc: framework(), statuses },
      { doc: framework(), statuses: { ...statuses, b: 'agreed' } },
    );
    expect(result.statusesCompared).toBe(true);
    expect(result.clauses.find((c) => c.id === 'b')?.status).toEqual({ before: 'bracketed', after: 'agreed' });
    expect(result.summary).toBe('1 status change.');
    const without = compareDocuments({ doc: framework(), statuses }, { doc: framework() });
    expect(without.statusesCompared).toBe(false);
    expect(isIdentical(without)).toBe(true);
  });

  it('reports objective, title and preamble changes', () => {
    const after = doc(
      title('Framework, revised'),
      preamble(p('Recalling the national consultations,')),
      objective({ id: 'o2' }, heading('Institutions'), clause({ id: 'd' }, 'Courts are independent.'), clause({ id: 'e' }, 'Budgets are open.')),
      objective({ id: 'o3' }, heading('Review'), clause({ id: 'f' }, 'Reviews every two years.')),
    );
    const result = compareDocuments({ doc: framework() }, { doc: after });
    expect(Object.fromEntries(result.objectives.map((o) => [o.id, o.changes]))).toEqual({
      o1: ['removed'],
      o2: ['renumbered'],
      o3: ['added'],
    });
    expect(result.title).not.toBeNull();
    expect(result.preamble).not.toBeNull();
    expect(result.summary).toBe(
      '1 clause added, 3 removed, 2 renumbered; 1 objective added, 1 removed, 1 renumbered; title changed; preamble changed.',
    );
  });

  it('numbers each side with its own baseline ("bis" numbering of the live draft)', () => {
    const before = framework();
    const baseline = baselineFromOutline(computeOutline(before));
    const after = framework({
      o1: [
        clause({ id: 'a' }, 'Participating states will include women ', bracket('at every stage', { group: 'g1' }), '.'),
        clause({ id: 'new' }, 'Inserted at the meeting.'),
        clause({ id: 'b' }, 'Rules are published.'),
        clause({ id: 'c' }, 'Mandates ', bracket('shall', { group: 'g2', alt: 1 }), ' ', bracket('should', { group: 'g2', alt: 2 }), ' include a timetable.'),
      ],
    });
    const result = compareDocuments({ doc: before, baseline }, { doc: after, baseline });
    expect(byId(result.clauses)).toEqual({ a: [], new: ['added'], b: [], c: [], d: [], e: [] });
    expect(result.clauses.find((c) => c.id === 'new')?.after?.number).toBe('1.1 bis');
  });
});

/** A random framework from fast-check: objectives with ids, clauses with ids and optional brackets. */
const wordArb = fc.constantFrom('states', 'will', 'the', 'review', 'shall', 'open', 'courts', 'budget', 'women', 'regions');
const textArb = fc.array(wordArb, { minLength: 0, maxLength: 8 }).map((w) => w.join(' '));
const clauseArb = fc
  .record({ text: textArb, contested: fc.option(textArb.filter((t) => t.length > 0), { nil: null }) })
  .map(({ text, contested }) => ({ text, contested }));
const documentArb = fc
  .array(fc.record({ heading: textArb, clauses: fc.array(clauseArb, { maxLength: 5 }) }), { maxLength: 4 })
  .map((objectives) =>
    doc(
      title('Random'),
      ...objectives.map((o, i) =>
        objective(
          { id: `o${i}` },
          heading(o.heading),
          ...o.clauses.map((c, j) => clause({ id: `c${i}-${j}` }, c.text, ...(c.contested ? [' ', bracket(c.contested)] : []))),
        ),
      ),
    ),
  );

describe('compareDocuments properties', () => {
  it('reports nothing when any version is compared with itself', () => {
    fc.assert(
      fc.property(documentArb, (d) => {
        const result = compareDocuments({ doc: d }, { doc: d });
        return isIdentical(result) && result.summary === 'No changes.';
      }),
      { seed: 20300101, numRuns: 200 },
    );
  });

  it('gives redlines whose two sides are exactly the old and the new clause texts', () => {
    fc.assert(
      fc.property(documentArb, documentArb, (a, b) => {
        const result = compareDocuments({ doc: a }, { doc: b });
        return result.clauses.every(
          (c) =>
            c.redline === null ||
            ((c.before === null || redlineSide(c.redline, 'before') === c.before.text) &&
              (c.after === null || redlineSide(c.redline, 'after') === c.after.text)),
        );
      }),
      { seed: 20300102, numRuns: 200 },
    );
  });
});

interface ModelClause {
  id: string;
  text: string;
}

function build(model: ModelClause[][]): Node {
  return doc(
    title('Seeded'),
    ...model.map((clauses, i) =>
      objective({ id: `o${i}` }, heading(`Objective ${i + 1}`), ...clauses.map((c) => clause({ id: c.id }, c.text))),
    ),
  );
}

function numbers(model: ModelClause[][]): Map<string, string> {
  const out = new Map<string, string>();
  model.forEach((clauses, i) => clauses.forEach((c, j) => out.set(c.id, `${i + 1}.${j + 1}`)));
  return out;
}

describe('freeze → edit → compare on a seeded fixture', () => {
  const seed = seedFromEnv('ACCORD_COMPARE_SEED');

  it(`reports exactly the clause changes made (seed ${seed}; replay with ACCORD_COMPARE_SEED)`, () => {
    const random = createRandom(seed);
    for (let round = 0; round < 30; round++) {
      const frozen: ModelClause[][] = Array.from({ length: 2 + random.int(3) }, (_, i) =>
        Array.from({ length: 2 + random.int(5) }, (_, j) => ({ id: `c${i}-${j}`, text: `${random.word()} ${random.word()}.` })),
      );
      const live = frozen.map((clauses) => clauses.map((c) => ({ ...c })));
      const expected = new Map<string, string[]>();
      const touched = new Set<string>();
      const pickUntouched = (): [number, number] | null => {
        for (let tries = 0; tries < 20; tries++) {
          const o = random.int(live.length);
          const list = live[o]!;
          if (list.length === 0) continue;
          const i = random.int(list.length);
          if (!touched.has(list[i]!.id)) return [o, i];
        }
        return null;
      };
      for (let edit = 0; edit < 1 + random.int(5); edit++) {
        const kind = random.pick(['change', 'add', 'remove', 'move'] as const);
        if (kind === 'add') {
          const o = random.int(live.length);
          const id = `new-${round}-${edit}`;
          live[o]!.splice(random.int(live[o]!.length + 1), 0, { id, text: `${random.word()} added.` });
          touched.add(id);
          expected.set(id, ['added']);
          continue;
        }
        const at = pickUntouched();
        if (!at) continue;
        const [o, i] = at;
        const target = live[o]![i]!;
        touched.add(target.id);
        if (kind === 'change') {
          target.text += ` ${random.word()}`;
          expected.set(target.id, ['changed']);
        } else if (kind === 'remove') {
          live[o]!.splice(i, 1);
          expected.set(target.id, ['removed']);
        } else {
          const dest = (o + 1 + random.int(live.length - 1)) % live.length;
          live[o]!.splice(i, 1);
          live[dest]!.splice(random.int(live[dest]!.length + 1), 0, target);
          expected.set(target.id, ['moved']);
        }
      }
      // Clauses nobody touched are renumbered exactly when their number changed.
      const numbersBefore = numbers(frozen);
      const numbersAfter = numbers(live);
      for (const [id, number] of numbersBefore) {
        const renumbered = numbersAfter.get(id) !== number;
        if (!expected.has(id)) expected.set(id, renumbered ? ['renumbered'] : []);
        else if (expected.get(id)?.[0] === 'changed' && renumbered) expected.set(id, ['renumbered', 'changed']);
      }

      const result = compareDocuments({ doc: build(frozen) }, { doc: build(live) });
      expect(byId(result.clauses), `round ${round} of seed ${seed}`).toEqual(Object.fromEntries(expected));
    }
  });
});
