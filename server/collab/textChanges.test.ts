import { createRandom, seedFromEnv } from '@tests/helpers/random';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { summariseTextChanges, type TextChangeSummary } from './textChanges';

/** A clause element with one text, written by `client` (a fixed client id keeps runs repeatable). */
function clauseDoc(client = 1): { doc: Y.Doc; text: Y.XmlText } {
  const doc = new Y.Doc();
  doc.clientID = client;
  const body = doc.getXmlFragment('body');
  const clause = new Y.XmlElement('clause');
  clause.setAttribute('id', 'c1');
  const text = new Y.XmlText();
  clause.insert(0, [text]);
  body.insert(0, [clause]);
  return { doc, text };
}

const mark = (id: string, authorId: string) => ({ id, authorId, authorName: authorId, at: null });

/** Runs `edit` in one transaction and summarises it both ways, as the server sees it and in full. */
function summarise(doc: Y.Doc, writer: string, edit: () => void): { fast: TextChangeSummary; full: TextChangeSummary } {
  let fast: TextChangeSummary | null = null;
  let full: TextChangeSummary | null = null;
  const listen = (tr: Y.Transaction) => {
    fast = summariseTextChanges(tr, writer);
    full = summariseTextChanges(tr, writer, { exhaustive: true });
  };
  doc.on('afterTransaction', listen);
  Y.transact(doc, edit, 'test');
  doc.off('afterTransaction', listen);
  if (!fast || !full) throw new Error('no transaction');
  return { fast, full };
}

describe('reading what an edit did to tracked changes', () => {
  it('sees plain typing before another member’s suggestion as plain, and flags nothing', () => {
    const { doc, text } = clauseDoc();
    text.insert(0, 'States will act. ');
    text.insert(text.length, 'promptly', { insertion: mark('s1', 'alice') });
    const { fast, full } = summarise(doc, 'bob', () => text.insert(7, 'really '));
    expect(fast).toEqual(full);
    expect(fast.plainInserted).toEqual(['really ']);
    expect(fast.foreignAttributed).toEqual([]);
    expect(fast.clauses).toEqual(['c1']);
  });

  it('flags typing inside another member’s suggestion as attributed to them', () => {
    const { doc, text } = clauseDoc();
    text.insert(0, 'Act ');
    text.insert(4, 'promptly', { insertion: mark('s1', 'alice') });
    text.insert(text.length, ' now.');
    const { fast, full } = summarise(doc, 'bob', () => text.insert(6, 'XX'));
    expect(fast).toEqual(full);
    expect(fast.foreignAttributed).toEqual([{ changeId: 's1', authorId: 'alice', clauseId: 'c1' }]);
  });

  it('sees another member’s suggestion resolved when its mark is removed after the edit point', () => {
    const { doc, text } = clauseDoc();
    text.insert(0, 'Act now ');
    text.insert(8, 'and always', { insertion: mark('s1', 'alice') });
    const { fast, full } = summarise(doc, 'bob', () => {
      text.insert(0, 'We ');
      text.format(11, 10, { insertion: null });
    });
    expect(fast).toEqual(full);
    expect(fast.resolvedForeign).toEqual([{ changeId: 's1', authorId: 'alice', clauseId: 'c1' }]);
  });

  it('reads random edits of a long, marked clause the same whether it stops early or not', () => {
    const seed = seedFromEnv('TEXT_CHANGES_SEED');
    const random = createRandom(seed);
    const { doc, text } = clauseDoc();
    text.insert(0, 'Participating states will ensure that national processes include everyone. ');
    const authors = ['alice', 'bob', 'carol'];
    for (let step = 0; step < 300; step++) {
      const writer = random.pick(authors);
      const roll = random.next();
      const at = random.int(text.length + 1);
      const { fast, full } = summarise(doc, writer, () => {
        if (roll < 0.5 || text.length < 5) text.insert(at, random.word());
        else if (roll < 0.7) text.insert(at, random.word(), { insertion: mark(`s${step}`, random.pick(authors)) });
        else if (roll < 0.85) text.delete(Math.min(at, text.length - 1), 1 + random.int(3));
        else text.format(Math.min(at, text.length - 1), 1 + random.int(4), { deletion: mark(`d${step}`, writer) });
      });
      expect(fast, `seed ${seed} (TEXT_CHANGES_SEED=${seed}), step ${step}`).toEqual(full);
    }
  });
});
