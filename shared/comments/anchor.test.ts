import { bracket, clause, doc, heading, objective, title } from '@tests/helpers/builders';
import type { Node } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { anchorSchema, type RangeAnchor } from '../api/threads';
import { BODY_FRAGMENT } from '../schema';
import { docToYDoc } from '../collab/ydoc';
import {
  anchorContextOf,
  createClauseAnchor,
  createRangeAnchor,
  findClause,
  isRelativePosition,
  resolveAnchor,
} from './anchor';

const framework = doc(
  title('Framework'),
  objective(
    { id: 'o-1' },
    heading('Inclusive politics'),
    clause({ id: 'c-1' }, 'States shall include women and young people in every dialogue.'),
    clause({ id: 'c-2' }, 'Budgets are published ', bracket('within thirty days', { group: 'g1' }), '.'),
  ),
  objective({ id: 'o-2' }, heading('Institutions'), clause({ id: 'c-3' }, 'Courts stay independent.')),
);

/** The Y.XmlText of the clause with `id`. */
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

/** The document positions of the first occurrence of `words` in clause `id`. */
function rangeOf(node: Node, id: string, words: string): { from: number; to: number } {
  const found = findClause(node, id);
  if (!found) throw new Error(`no clause ${id}`);
  const index = found.node.textContent.indexOf(words);
  if (index < 0) throw new Error(`"${words}" is not in clause ${id}`);
  return { from: found.pos + 1 + index, to: found.pos + 1 + index + words.length };
}

function anchorOn(ydoc: Y.Doc, id: string, words: string): RangeAnchor {
  const ctx = anchorContextOf(ydoc);
  const { from, to } = rangeOf(ctx.doc, id, words);
  const anchor = createRangeAnchor(ctx, from, to);
  if (!anchor) throw new Error('no anchor');
  return anchor;
}

function textNow(ydoc: Y.Doc, anchor: RangeAnchor): string | { orphaned: string } {
  const resolved = resolveAnchor(anchor, anchorContextOf(ydoc));
  return resolved.status === 'anchored' ? resolved.text : { orphaned: resolved.quote };
}

/** Two replicas of one document, kept in sync by hand. */
function replicas(): [Y.Doc, Y.Doc] {
  const a = docToYDoc(framework);
  const b = new Y.Doc();
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
  return [a, b];
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

describe('range anchors', () => {
  it('records the quote, some context on each side, and the clause and objective it is in', () => {
    const ydoc = docToYDoc(framework);
    const anchor = anchorOn(ydoc, 'c-1', 'women and young people');
    expect(anchor).toMatchObject({
      kind: 'range',
      quote: 'women and young people',
      prefix: 'States shall include ',
      suffix: ' in every dialogue.',
      clauseId: 'c-1',
      objectiveId: 'o-1',
    });
    expect(isRelativePosition(anchor.from)).toBe(true);
    expect(anchorSchema.parse(anchor)).toEqual(anchor);
  });

  it('refuses a range that holds no text', () => {
    const ctx = anchorContextOf(docToYDoc(framework));
    const { from } = rangeOf(ctx.doc, 'c-1', 'women');
    expect(createRangeAnchor(ctx, from, from)).toBeNull();
  });

  it('resolves to the same words after another replica edits before, inside and after the range', () => {
    const [a, b] = replicas();
    const anchor = anchorOn(a, 'c-1', 'women and young people');
    const text = clauseText(b, 'c-1');
    b.transact(() => {
      text.insert(0, 'All '); // before
      text.insert(text.toString().indexOf('young'), 'older and '); // inside
      text.insert(text.toString().indexOf(' in every'), ' alike'); // right after the range
      text.insert(text.length - 1, ' held'); // near the end
    });
    sync(a, b);
    expect(textNow(a, anchor)).toBe('women and older and young people');
    expect(textNow(b, anchor)).toBe('women and older and young people');
  });

  it('does not grow when text is typed right before or right after the range', () => {
    const [a, b] = replicas();
    const anchor = anchorOn(a, 'c-3', 'stay');
    const text = clauseText(b, 'c-3');
    const at = text.toString().indexOf('stay');
    text.insert(at + 'stay'.length, ' fully');
    text.insert(at, 'must ');
    sync(a, b);
    expect(textNow(a, anchor)).toBe('stay');
  });

  it('follows text inside a bracket and survives formatting changes', () => {
    const [a, b] = replicas();
    const anchor = anchorOn(a, 'c-2', 'thirty days');
    const text = clauseText(b, 'c-2');
    text.format(0, text.length, { bold: {} });
    text.insert(0, 'Annual ');
    sync(a, b);
    expect(textNow(a, anchor)).toBe('thirty days');
  });

  it('is reported orphaned with its quote once the words are deleted', () => {
    const [a, b] = replicas();
    const anchor = anchorOn(a, 'c-1', 'women and young people');
    const text = clauseText(b, 'c-1');
    const at = text.toString().indexOf('women and young people');
    text.delete(at, 'women and young people'.length);
    sync(a, b);
    expect(textNow(a, anchor)).toEqual({ orphaned: 'women and young people' });
  });

  it('keeps what is left when only part of the range is deleted', () => {
    const [a, b] = replicas();
    const anchor = anchorOn(a, 'c-1', 'women and young people');
    const text = clauseText(b, 'c-1');
    text.delete(text.toString().indexOf('women and '), 'women and '.length);
    sync(a, b);
    expect(textNow(a, anchor)).toBe('young people');
  });

  it('is reported orphaned when its whole clause is deleted', () => {
    const [a, b] = replicas();
    const anchor = anchorOn(a, 'c-3', 'independent');
    const objective = b.getXmlFragment(BODY_FRAGMENT).get(2) as Y.XmlElement;
    objective.delete(1, 1);
    sync(a, b);
    expect(textNow(a, anchor)).toEqual({ orphaned: 'independent' });
  });

  it('finds the words again when their clause is moved (deleted and re-inserted with the same id)', () => {
    const ydoc = docToYDoc(framework);
    const anchor = anchorOn(ydoc, 'c-1', 'young people');
    const fragment = ydoc.getXmlFragment(BODY_FRAGMENT);
    const first = fragment.get(1) as Y.XmlElement;
    const second = fragment.get(2) as Y.XmlElement;
    ydoc.transact(() => {
      // What a cut and paste of clause c-1 into objective 2 looks like to Yjs.
      const moved = new Y.XmlElement('clause');
      moved.setAttribute('id', 'c-1');
      moved.insert(0, [new Y.XmlText('States shall include women and young people in every dialogue.')]);
      first.delete(1, 1);
      second.insert(second.length, [moved]);
    });
    const resolved = resolveAnchor(anchor, anchorContextOf(ydoc));
    expect(resolved).toMatchObject({ status: 'anchored', text: 'young people', relocated: true, objectiveId: 'o-2' });
  });

  it('does not re-attach deleted words to the same words elsewhere in the clause', () => {
    const ydoc = docToYDoc(
      doc(title('T'), objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'shall do; shall not.'))),
    );
    const anchor = anchorOn(ydoc, 'c-1', 'shall');
    const text = clauseText(ydoc, 'c-1');
    text.delete(0, 'shall '.length);
    expect(textNow(ydoc, anchor)).toEqual({ orphaned: 'shall' });
  });
});

describe('clause and document anchors', () => {
  it('follows a clause by its id and is orphaned when the clause goes', () => {
    const ydoc = docToYDoc(framework);
    const anchor = createClauseAnchor(anchorContextOf(ydoc).doc, 'c-3');
    expect(anchor).toMatchObject({ kind: 'clause', clauseId: 'c-3', objectiveId: 'o-2', quote: 'Courts stay independent.' });
    if (!anchor) return;
    expect(resolveAnchor(anchor, anchorContextOf(ydoc))).toMatchObject({ status: 'anchored', text: 'Courts stay independent.' });
    (ydoc.getXmlFragment(BODY_FRAGMENT).get(2) as Y.XmlElement).delete(1, 1);
    expect(resolveAnchor(anchor, anchorContextOf(ydoc))).toEqual({ status: 'orphaned', quote: 'Courts stay independent.' });
  });

  it('has no clause anchor for an unknown clause', () => {
    expect(createClauseAnchor(anchorContextOf(docToYDoc(framework)).doc, 'c-none')).toBeNull();
  });

  it('always places a document anchor', () => {
    expect(resolveAnchor({ kind: 'document' }, anchorContextOf(docToYDoc(framework)))).toMatchObject({
      status: 'anchored',
      from: 0,
    });
  });

  it('orphans a range whose positions are not Yjs positions at all', () => {
    const anchor: RangeAnchor = { ...anchorOn(docToYDoc(framework), 'c-1', 'women'), from: 'AAAA', to: 'AAAA' };
    const elsewhere = docToYDoc(doc(title('Other'), objective({ id: 'o-9' }, heading('X'))));
    expect(resolveAnchor(anchor, anchorContextOf(elsewhere))).toEqual({ status: 'orphaned', quote: 'women' });
  });
});
