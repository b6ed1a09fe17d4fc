import { clause, doc, heading, objective, p, preamble, rationale, title } from '@tests/helpers/builders';
import type { Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import {
  baselineFromOutline,
  clauseLabel,
  computeOutline,
  latinSuffix,
  type NumberingBaseline,
  numberingBaselineSchema,
} from './numbering';

/** The numbers of an outline as one string per objective, e.g. "1: 1.1 1.2". */
function numbers(node: Node, baseline?: NumberingBaseline): string[] {
  return computeOutline(node, { baseline }).objectives.map((o) =>
    `${o.number}: ${o.clauses.map((c) => c.number).join(' ')}`.trimEnd(),
  );
}

const framework = doc(
  title('Framework'),
  preamble(p('Recalling the consultations.')),
  objective(
    { id: 'o1' },
    heading('Inclusive politics'),
    rationale('Why.'),
    clause({ id: 'c1' }, 'First'),
    clause({ id: 'c2' }, 'Second'),
  ),
  objective({ id: 'o2' }, heading('Security'), clause({ id: 'c3' }, 'Third')),
  objective({ id: 'o3' }, heading('Justice')),
);

describe('plain numbering', () => {
  it('numbers objectives 1, 2, 3 and clauses n.1, n.2 within each objective', () => {
    expect(numbers(framework)).toEqual(['1: 1.1 1.2', '2: 2.1', '3:']);
  });

  it('records ids, positions, headings, texts and 0-based indexes', () => {
    const outline = computeOutline(framework);
    const c2 = outline.clauseById.get('c2')!;
    expect(c2).toMatchObject({
      number: '1.2',
      objectiveId: 'o1',
      objectiveNumber: '1',
      index: 1,
      text: 'Second',
    });
    expect(framework.nodeAt(c2.pos)?.attrs.id).toBe('c2');
    expect(outline.objectives[1]).toMatchObject({ id: 'o2', heading: 'Security' });
    expect(framework.nodeAt(outline.objectives[1]!.pos)?.attrs.id).toBe('o2');
    expect(outline.clauses.map((c) => c.id)).toEqual(['c1', 'c2', 'c3']);
  });

  it('renumbers a clause moved to another objective', () => {
    const moved = doc(
      title('Framework'),
      objective({ id: 'o1' }, heading('A'), clause({ id: 'c1' }, 'First')),
      objective({ id: 'o2' }, heading('B'), clause({ id: 'c2' }, 'Second'), clause({ id: 'c3' }, 'Third')),
    );
    expect(numbers(moved)).toEqual(['1: 1.1', '2: 2.1 2.2']);
    expect(computeOutline(moved).clauseById.get('c2')).toMatchObject({ number: '2.1', objectiveId: 'o2' });
  });

  it('numbers clauses without ids and keeps the first of two clauses with the same id in clauseById', () => {
    const outline = computeOutline(
      doc(
        title(),
        objective(heading('A'), clause('x'), clause({ id: 'd' }, 'one'), clause({ id: 'd' }, 'two')),
      ),
    );
    expect(outline.clauses.map((c) => [c.id, c.number])).toEqual([
      [null, '1.1'],
      ['d', '1.2'],
      ['d', '1.3'],
    ]);
    expect(outline.clauseById.get('d')?.text).toBe('one');
  });
});

describe('numbering against a baseline', () => {
  const baseline = baselineFromOutline(computeOutline(framework));

  it('builds a baseline of numbers by id', () => {
    expect(baseline).toEqual({
      objectives: { o1: '1', o2: '2', o3: '3' },
      clauses: { c1: '1.1', c2: '1.2', c3: '2.1' },
    });
    expect(numberingBaselineSchema.parse(baseline)).toEqual(baseline);
  });

  it('gives a clause inserted after a frozen clause the number with "bis"', () => {
    const edited = doc(
      title('Framework'),
      objective(
        { id: 'o1' },
        heading('A'),
        clause({ id: 'c1' }, 'First'),
        clause({ id: 'n1' }, 'New'),
        clause({ id: 'c2' }, 'Second'),
      ),
      objective({ id: 'o2' }, heading('B'), clause({ id: 'c3' }, 'Third')),
    );
    expect(numbers(edited, baseline)).toEqual(['1: 1.1 1.1 bis 1.2', '2: 2.1']);
  });

  it('numbers several inserted clauses bis, ter, quater after the same frozen clause', () => {
    const edited = doc(
      title('Framework'),
      objective(
        { id: 'o1' },
        heading('A'),
        clause({ id: 'c1' }, 'First'),
        clause({ id: 'c2' }, 'Second'),
        clause({ id: 'n1' }, 'New 1'),
        clause({ id: 'n2' }, 'New 2'),
        clause({ id: 'n3' }, 'New 3'),
      ),
    );
    expect(numbers(edited, baseline)).toEqual(['1: 1.1 1.2 1.2 bis 1.2 ter 1.2 quater']);
  });

  it('numbers a clause inserted before the first frozen clause of its objective "n.0 bis"', () => {
    const edited = doc(
      title('Framework'),
      objective(
        { id: 'o1' },
        heading('A'),
        clause({ id: 'n1' }, 'New'),
        clause({ id: 'c1' }, 'First'),
        clause({ id: 'c2' }, 'Second'),
      ),
    );
    expect(numbers(edited, baseline)).toEqual(['1: 1.0 bis 1.1 1.2']);
  });

  it('leaves a gap where a frozen clause was deleted', () => {
    const edited = doc(
      title('Framework'),
      objective({ id: 'o1' }, heading('A'), clause({ id: 'c2' }, 'Second')),
      objective({ id: 'o2' }, heading('B'), clause({ id: 'c3' }, 'Third')),
    );
    expect(numbers(edited, baseline)).toEqual(['1: 1.2', '2: 2.1']);
  });

  it('numbers an inserted objective "bis" and its new clauses plainly within it', () => {
    const edited = doc(
      title('Framework'),
      objective({ id: 'o1' }, heading('A'), clause({ id: 'c1' }, 'First'), clause({ id: 'c2' }, 'Second')),
      objective({ id: 'n' }, heading('New'), clause({ id: 'n1' }, 'New 1'), clause({ id: 'n2' }, 'New 2')),
      objective({ id: 'o2' }, heading('B'), clause({ id: 'c3' }, 'Third')),
      objective({ id: 'o3' }, heading('C')),
    );
    expect(numbers(edited, baseline)).toEqual(['1: 1.1 1.2', '1 bis: 1 bis.1 1 bis.2', '2: 2.1', '3:']);
  });

  it('numbers an objective inserted before the first one "0 bis"', () => {
    const edited = doc(
      title(),
      objective({ id: 'n' }, heading('New')),
      objective({ id: 'o1' }, heading('A')),
    );
    expect(numbers(edited, baseline)).toEqual(['0 bis:', '1:']);
  });

  it('keeps the frozen number of a clause moved to another objective and does not anchor on it there', () => {
    const edited = doc(
      title('Framework'),
      objective({ id: 'o1' }, heading('A'), clause({ id: 'c2' }, 'Second')),
      objective(
        { id: 'o2' },
        heading('B'),
        clause({ id: 'c3' }, 'Third'),
        clause({ id: 'c1' }, 'First'),
        clause({ id: 'n1' }, 'New'),
      ),
    );
    expect(numbers(edited, baseline)).toEqual(['1: 1.2', '2: 2.1 1.1 2.1 bis']);
  });

  it('continues after a frozen "bis" with "ter" and never reuses a label frozen elsewhere', () => {
    const later: NumberingBaseline = {
      objectives: { o1: '1' },
      clauses: { c1: '1.1', b: '1.1 bis', t: '1.1 ter' },
    };
    const edited = doc(
      title(),
      objective(
        { id: 'o1' },
        heading('A'),
        clause({ id: 'c1' }, 'one'),
        clause({ id: 'b' }, 'bis'),
        clause({ id: 'n1' }, 'new'),
        clause({ id: 't' }, 'ter'),
      ),
    );
    expect(numbers(edited, later)).toEqual(['1: 1.1 1.1 bis 1.1 quater 1.1 ter']);
  });

  it('numbers a new clause in an objective that had no clauses at the freeze plainly', () => {
    const edited = doc(
      title(),
      objective({ id: 'o3' }, heading('Justice'), clause({ id: 'n1' }, 'New'), clause({ id: 'n2' }, 'New')),
    );
    expect(numbers(edited, baseline)).toEqual(['3: 3.1 3.2']);
  });

  it('treats objectives and clauses without ids as inserted', () => {
    const edited = doc(
      title(),
      objective({ id: 'o1' }, heading('A'), clause({ id: 'c1' }, 'x'), clause('y')),
      objective(heading('B')),
    );
    expect(numbers(edited, baseline)).toEqual(['1: 1.1 1.1 bis', '1 bis:']);
  });
});

describe('labels', () => {
  it('names the Latin multiplicatives from bis to vicies, then counts', () => {
    expect([2, 3, 4, 5, 6, 20, 21].map(latinSuffix)).toEqual([
      'bis',
      'ter',
      'quater',
      'quinquies',
      'sexies',
      'vicies',
      '(21)',
    ]);
  });

  it('names a clause for lists and references', () => {
    expect(clauseLabel({ number: '1.4 bis' })).toBe('Clause 1.4 bis');
  });

  it('rejects a malformed baseline', () => {
    expect(numberingBaselineSchema.safeParse({ objectives: { o1: 1 }, clauses: {} }).success).toBe(false);
  });
});
