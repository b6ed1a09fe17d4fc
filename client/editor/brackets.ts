/**
 * Editor commands for bracketed text with alternatives: bracket a selection, add an alternative to a
 * bracket, and resolve a bracket by choosing one alternative (the others are removed).
 */
import { listBrackets, type OpenBracket } from '@shared/brackets';
import { newChangeId } from '@shared/changes';
import { schema } from '@shared/schema';
import { type Command, TextSelection } from 'prosemirror-state';
import { suggestChangesKey } from '@handlewithcare/prosemirror-suggest-changes';

/** Meta set on transactions that resolve a bracket (a decision, never tracked as a suggestion). */
export const BRACKET_RESOLUTION_META = 'accord-bracket-resolution';

/** A fresh bracket group id. */
export function newBracketGroup(): string {
  return `g-${newChangeId().slice(2)}`;
}

/** The open bracket with key `key` (its group, or "pos:<from>"), or null. */
export function bracketByKey(doc: Parameters<typeof listBrackets>[0], key: string): OpenBracket | null {
  return listBrackets(doc).find((b) => b.key === key) ?? null;
}

/** The open bracket around position `pos`, or null. */
export function bracketAt(doc: Parameters<typeof listBrackets>[0], pos: number): OpenBracket | null {
  return listBrackets(doc).find((b) => b.from <= pos && pos <= b.to) ?? null;
}

/** Brackets the selection as contested wording (a new bracket group without alternatives yet). */
export function bracketSelection(group: string = newBracketGroup()): Command {
  return (state, dispatch) => {
    const { from, to, empty } = state.selection;
    if (empty) return false;
    if (dispatch) dispatch(state.tr.addMark(from, to, schema.marks.bracket.create({ group, alt: null })));
    return true;
  };
}

/**
 * Adds an alternative after the last one of bracket `key`: a space and `text` in brackets, numbered
 * next; the new wording is selected so typing replaces it. A bracket without alternatives first
 * becomes "Alt 1" (and gets a group if it had none).
 */
export function addAlternative(key: string, text = 'alternative wording'): Command {
  return (state, dispatch) => {
    const bracket = bracketByKey(state.doc, key);
    if (!bracket || text.length === 0) return false;
    if (!dispatch) return true;
    const group = bracket.group ?? newBracketGroup();
    const tr = state.tr;
    let highest = 0;
    for (const alt of bracket.alternatives) {
      const number = alt.alt ?? ++highest;
      highest = Math.max(highest, number);
      if (alt.alt === null || bracket.group === null) {
        tr.removeMark(alt.from, alt.to, schema.marks.bracket);
        tr.addMark(alt.from, alt.to, schema.marks.bracket.create({ group, alt: number }));
      }
    }
    const last = bracket.alternatives.reduce((a, b) => (b.to > a.to ? b : a));
    const at = last.to;
    const mark = schema.marks.bracket.create({ group, alt: highest + 1 });
    tr.insert(at, [schema.text(' '), schema.text(text, [mark])]);
    tr.setSelection(TextSelection.create(tr.doc, at + 1, at + 1 + text.length));
    dispatch(tr.setMeta(suggestChangesKey, { skip: true }).scrollIntoView());
    return true;
  };
}

/** What resolving a bracket did, for the record (API and audit). */
export interface BracketResolution {
  group: string | null;
  clauseId: string | null;
  chosen: { alt: number | null; text: string };
  removed: { alt: number | null; text: string }[];
}

const separator = /^[\s/|,;]*$|^\s*or\s*$/i;

/**
 * Resolves bracket `key` by keeping alternative `alt` (null for a bracket without alternatives): its
 * text stays, without brackets; the other alternatives and the separators between them are removed.
 * Calls `onResolved` with what was kept and removed before dispatching.
 */
export function chooseAlternative(
  key: string,
  alt: number | null,
  onResolved?: (resolution: BracketResolution) => void,
): Command {
  return (state, dispatch) => {
    const bracket = bracketByKey(state.doc, key);
    const chosen = bracket?.alternatives.find((a) => a.alt === alt);
    if (!bracket || !chosen) return false;
    if (!dispatch) return true;
    const others = bracket.alternatives.filter((a) => a !== chosen).sort((a, b) => b.from - a.from);
    const sorted = [...bracket.alternatives].sort((a, b) => a.from - b.from);
    const gaps = sorted.slice(1).map((a, i) => state.doc.textBetween(sorted[i]!.to, a.from));
    const tr = state.tr;
    // The chosen wording's own bracket marks, removed wherever that wording ends up.
    const chosenMarks = bracketMarksIn(state.doc, chosen.from, chosen.to, bracket.group);
    const unmark = (from: number, to: number) => {
      for (const mark of chosenMarks) tr.removeMark(from, to, mark);
    };
    if (gaps.every((g) => separator.test(g))) {
      // Alternatives side by side: the whole run becomes the chosen wording.
      const first = sorted[0]!;
      const last = sorted.at(-1)!;
      const slice = state.doc.slice(chosen.from, chosen.to);
      tr.replace(first.from, last.to, slice);
      unmark(first.from, first.from + (chosen.to - chosen.from));
    } else {
      unmark(chosen.from, chosen.to);
      for (const other of others) tr.delete(tr.mapping.map(other.from), tr.mapping.map(other.to));
    }
    onResolved?.({
      group: bracket.group,
      clauseId: bracket.clauseId,
      chosen: { alt: chosen.alt, text: chosen.text },
      removed: others.map((o) => ({ alt: o.alt, text: o.text })).reverse(),
    });
    dispatch(
      tr.setMeta(suggestChangesKey, { skip: true }).setMeta(BRACKET_RESOLUTION_META, true).scrollIntoView(),
    );
    return true;
  };
}

function bracketMarksIn(
  doc: Parameters<typeof listBrackets>[0],
  from: number,
  to: number,
  group: string | null,
) {
  const marks = new Set<ReturnType<typeof schema.marks.bracket.create>>();
  doc.nodesBetween(from, to, (node) => {
    for (const m of node.marks) if (m.type === schema.marks.bracket && m.attrs.group === group) marks.add(m);
  });
  return [...marks];
}
