import {
  bold,
  bracket,
  clause,
  doc,
  heading,
  ins,
  italic,
  link,
  objective,
  p,
  preamble,
  rationale,
  title,
} from '@tests/helpers/builders';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { BODY_FRAGMENT } from '../schema';
import { decodeDocState, docToYDoc, encodeDocState, yDocToDoc } from './ydoc';

const framework = doc(
  title('Framework'),
  preamble(p('Recalling ', italic('the consultations'), '.'), p('Second paragraph.')),
  objective(
    { id: 'o-1' },
    heading('Inclusive ', bold('politics')),
    rationale('See ', link('https://example.org/report', 'the report'), '.'),
    clause(
      { id: 'c-1' },
      'States shall ',
      bracket('ensure', { group: 'g1', alt: 1 }),
      bracket('promote', { group: 'g1', alt: 2 }),
      ' access.',
    ),
    clause({ id: 'c-2' }, bold(bracket(['contested ', italic('and emphasised')]))),
    clause({ id: 'c-3' }),
  ),
  objective(
    { id: 'o-2' },
    heading('Security'),
    clause(
      { id: 'c-4' },
      'Text ',
      ins({ id: 1, authorId: 'u1', authorName: 'Ana', at: '2026-01-01T00:00:00Z' }, 'added'),
    ),
  ),
  objective(heading('No id yet'), clause('Neither')),
);

describe('docToYDoc and yDocToDoc', () => {
  it('round-trips a document with node ids, marks with attributes and empty nodes', () => {
    const back = yDocToDoc(docToYDoc(framework));
    back.check();
    expect(back.toJSON()).toEqual(framework.toJSON());
    expect(back.eq(framework)).toBe(true);
  });

  it('keeps overlapping brackets of the same type apart', () => {
    const overlapping = doc(
      title('T'),
      objective(
        { id: 'o' },
        heading('H'),
        clause({ id: 'c' }, bracket(bracket('inner', { group: 'b', alt: 2 }), { group: 'a', alt: 1 })),
      ),
    );
    const marks = yDocToDoc(docToYDoc(overlapping)).child(1).child(1).child(0).marks;
    // ProseMirror does not define an order between marks of one type, so compare them sorted.
    const attrs = marks.map((m) => m.attrs as { group: string; alt: number });
    expect(attrs.sort((x, y) => x.group.localeCompare(y.group))).toEqual([
      { group: 'a', alt: 1 },
      { group: 'b', alt: 2 },
    ]);
  });

  it('stores the text in the fragment named body', () => {
    const ydoc = docToYDoc(framework);
    expect(ydoc.getXmlFragment(BODY_FRAGMENT).length).toBe(framework.childCount);
    expect(ydoc.getXmlFragment(BODY_FRAGMENT).toString()).toContain('c-1');
  });

  it('reads an empty Y.Doc as a valid document with an empty title', () => {
    const empty = yDocToDoc(new Y.Doc());
    empty.check();
    expect(empty.toJSON()).toEqual(doc(title()).toJSON());
  });
});

describe('encodeDocState', () => {
  it('encodes one update that another Y.Doc can apply', () => {
    const update = encodeDocState(framework);
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, update);
    expect(yDocToDoc(ydoc).eq(framework)).toBe(true);
    expect(decodeDocState(update).eq(framework)).toBe(true);
  });

  it('decodes a stored update followed by later edits', () => {
    const stored = encodeDocState(framework);
    const ydoc = new Y.Doc();
    Y.applyUpdate(ydoc, stored);
    const before = Y.encodeStateVector(ydoc);
    const titleElement = ydoc.getXmlFragment(BODY_FRAGMENT).get(0) as Y.XmlElement;
    (titleElement.get(0) as Y.XmlText).insert(0, 'Draft ');
    const edit = Y.encodeStateAsUpdate(ydoc, before);
    expect(decodeDocState(stored, edit).child(0).textContent).toBe('Draft Framework');
  });
});
