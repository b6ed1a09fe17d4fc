import {
  applySuggestion,
  applySuggestions,
  revertSuggestion,
  revertSuggestions,
  suggestChangesKey,
} from '@handlewithcare/prosemirror-suggest-changes';
import type { Node } from 'prosemirror-model';
import { type Command, EditorState, type Transaction } from 'prosemirror-state';
import { changeAttrs, changeKey, changeMarkOf } from './marks';

/** What a Co-Chair decides about a change: keep it (accept) or drop it (reject). */
export type Decision = 'accept' | 'reject';

/** Meta set on transactions that apply decisions, so suggesting mode never turns them into suggestions. */
export const DECISION_META = 'accord-decision';

/** The raw ids (number or string, as stored in the marks) of the changes in `doc`, by string key. */
function rawIds(doc: Node): Map<string, string | number> {
  const ids = new Map<string, string | number>();
  doc.descendants((node) => {
    if (!node.isText) return true;
    const mark = changeMarkOf(node);
    if (mark) {
      const { id } = changeAttrs(mark);
      ids.set(changeKey(id), id);
    }
    return false;
  });
  return ids;
}

/**
 * A transaction on `state` that accepts or rejects the changes with ids `ids` (string keys), one after
 * the other, with the library's commands; null when none of them is in the document. Accepting an
 * insertion keeps its text and drops the mark; accepting a deletion removes the text; rejecting does
 * the opposite. The transaction carries meta that keeps suggesting mode from tracking it.
 */
export function decideChanges(
  state: EditorState,
  ids: readonly string[],
  decision: Decision,
): Transaction | null {
  const raw = rawIds(state.doc);
  const tr = state.tr;
  let current = state;
  for (const key of ids) {
    const id = raw.get(key);
    if (id === undefined) continue;
    const command: Command = decision === 'accept' ? applySuggestion(id) : revertSuggestion(id);
    command(current, (step) => {
      for (const s of step.steps) tr.step(s);
      current = current.apply(step);
    });
  }
  if (!tr.docChanged) return null;
  return tr.setMeta(suggestChangesKey, { skip: true }).setMeta(DECISION_META, decision);
}

function runOnDoc(doc: Node, command: Command): Node {
  const state = EditorState.create({ doc });
  let out = doc;
  command(state, (tr) => {
    out = tr.doc;
  });
  return out;
}

/** The document as it would read with every pending change accepted (the "final" preview). */
export function finalDoc(doc: Node): Node {
  return runOnDoc(doc, applySuggestions);
}

/** The document as it read before any pending change (the "original" preview: all rejected). */
export function originalDoc(doc: Node): Node {
  return runOnDoc(doc, revertSuggestions);
}
