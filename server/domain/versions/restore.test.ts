import { clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { BODY_FRAGMENT } from '@shared/schema';
import { decodeDocState, docToYDoc } from '@shared/collab/ydoc';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { updateToMatch } from './restore';

const frozen = doc(
  title('T'),
  objective({ id: 'o-1' }, heading('H'), clause({ id: 'c-1' }, 'Kept as it is.'), clause({ id: 'c-2' }, 'Frozen wording.')),
);
const edited = doc(
  title('T'),
  objective(
    { id: 'o-1' },
    heading('H'),
    clause({ id: 'c-1' }, 'Kept as it is.'),
    clause({ id: 'c-2' }, 'Wording changed after the freeze.'),
    clause({ id: 'c-3' }, 'Added after the freeze.'),
  ),
);

/** The text node inside the first clause of a Y.Doc's body. */
function firstClauseText(ydoc: Y.Doc): Y.XmlText {
  const objectiveEl = ydoc.getXmlFragment(BODY_FRAGMENT).get(1) as Y.XmlElement;
  const clauseEl = objectiveEl.toArray().find((n) => n instanceof Y.XmlElement && n.nodeName === 'clause') as Y.XmlElement;
  return clauseEl.get(0) as Y.XmlText;
}

describe('updateToMatch (restore)', () => {
  it('turns the current text into the frozen one as a forward update', () => {
    const live = docToYDoc(edited);
    const update = updateToMatch(Y.encodeStateAsUpdate(live), frozen);
    Y.applyUpdate(live, update);
    expect(decodeDocState(Y.encodeStateAsUpdate(live)).eq(frozen)).toBe(true);
  });

  it('leaves unchanged clauses untouched, so positions anchored in them (threads, cursors) survive', () => {
    const live = docToYDoc(edited);
    const anchor = Y.createRelativePositionFromTypeIndex(firstClauseText(live), 5);
    Y.applyUpdate(live, updateToMatch(Y.encodeStateAsUpdate(live), frozen));
    const resolved = Y.createAbsolutePositionFromRelativePosition(anchor, live);
    expect(resolved?.type).toBe(firstClauseText(live));
    expect(resolved?.index).toBe(5);
  });

  it('merges with an edit made concurrently elsewhere in the text', () => {
    const live = docToYDoc(edited);
    const peer = new Y.Doc();
    Y.applyUpdate(peer, Y.encodeStateAsUpdate(live));
    const update = updateToMatch(Y.encodeStateAsUpdate(live), frozen);
    firstClauseText(peer).insert(0, 'Concurrent: ');
    Y.applyUpdate(live, Y.encodeStateAsUpdate(peer));
    Y.applyUpdate(live, update);
    const text = decodeDocState(Y.encodeStateAsUpdate(live)).textContent;
    expect(text).toContain('Concurrent: Kept as it is.');
    expect(text).toContain('Frozen wording.');
    expect(text).not.toContain('Added after the freeze.');
  });
});
