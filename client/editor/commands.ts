import { schema } from '@shared/schema';
import { toggleMark } from 'prosemirror-commands';
import type { Node, ResolvedPos } from 'prosemirror-model';
import { type Command, Selection, TextSelection } from 'prosemirror-state';

const { clause, objective, objective_heading, preamble, paragraph } = schema.nodes;

/** Toggles the bold mark on the selection. */
export const toggleBold: Command = toggleMark(schema.marks.bold);

/** Toggles the italic mark on the selection. */
export const toggleItalic: Command = toggleMark(schema.marks.italic);

/** Toggles [square brackets] (contested wording) on the selection. */
export const toggleBracket: Command = toggleMark(schema.marks.bracket);

/** The depth of the nearest ancestor of `$pos` of type `name`, or -1. */
function depthOf($pos: ResolvedPos, name: string): number {
  for (let d = $pos.depth; d > 0; d--) {
    if ($pos.node(d).type.name === name) return d;
  }
  return -1;
}

/** The position inside objective `objectiveNode` (starting at `objectivePos`) where its clauses begin. */
function clausesStart(objectiveNode: Node, objectivePos: number): number {
  let pos = objectivePos + 1;
  objectiveNode.forEach((child) => {
    if (child.type !== clause) pos += child.nodeSize;
  });
  return pos;
}

/**
 * Enter inside a clause: splits it in two at the cursor. The text before the cursor keeps the clause
 * (and its id); the new clause after it gets no id, which `clauseIdPlugin` fills with a fresh one. At
 * the very start of a non-empty clause, an empty clause is inserted before it instead, so the text
 * keeps its id.
 */
export const splitClause: Command = (state, dispatch) => {
  const { $from, $to } = state.selection;
  if ($from.parent.type !== clause || !$from.sameParent($to)) return false;
  if (dispatch) {
    const tr = state.tr;
    if (!state.selection.empty) tr.deleteSelection();
    const $pos = tr.selection.$from;
    if ($pos.parentOffset === 0 && $pos.parent.content.size > 0) {
      tr.insert($pos.before(), clause.create());
    } else {
      const marks = tr.storedMarks ?? $pos.marks();
      tr.split($pos.pos, 1, [{ type: clause, attrs: { id: null } }]);
      if (marks.length > 0) tr.setStoredMarks(marks.filter((m) => m.type.spec.inclusive !== false));
    }
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/**
 * Inserts an empty clause after the current clause, or, from an objective's heading or rationale, as
 * the objective's first clause; the cursor moves into it.
 */
export const insertClauseAfter: Command = (state, dispatch) => {
  const { $head } = state.selection;
  let insertAt: number;
  const clauseDepth = depthOf($head, 'clause');
  if (clauseDepth > 0) {
    insertAt = $head.after(clauseDepth);
  } else {
    const objectiveDepth = depthOf($head, 'objective');
    if (objectiveDepth < 0) return false;
    insertAt = clausesStart($head.node(objectiveDepth), $head.before(objectiveDepth));
  }
  if (dispatch) {
    const tr = state.tr.insert(insertAt, clause.create());
    tr.setSelection(TextSelection.create(tr.doc, insertAt + 1));
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/**
 * Enter in an objective's heading or rationale: starts the objective's first clause, or moves into it
 * when it is still empty.
 */
export const enterFromObjectiveText: Command = (state, dispatch) => {
  const { $head, empty } = state.selection;
  const parent = $head.parent.type.name;
  if (!empty || (parent !== 'objective_heading' && parent !== 'rationale')) return false;
  const objectiveDepth = depthOf($head, 'objective');
  if (objectiveDepth < 0) return false;
  const start = clausesStart($head.node(objectiveDepth), $head.before(objectiveDepth));
  const first = state.doc.nodeAt(start);
  if (first?.type === clause && first.content.size === 0) {
    // A new objective comes with an empty clause: go there rather than adding a second one.
    if (dispatch)
      dispatch(state.tr.setSelection(TextSelection.create(state.doc, start + 1)).scrollIntoView());
    return true;
  }
  return insertClauseAfter(state, dispatch);
};

/**
 * Enter in the title: moves to the text after it, or starts a preamble when the title stands alone.
 */
export const enterFromTitle: Command = (state, dispatch) => {
  const { $head } = state.selection;
  if ($head.parent.type.name !== 'title') return false;
  if (dispatch) {
    const after = $head.after(1);
    const tr = state.tr;
    if (after < state.doc.content.size) {
      tr.setSelection(Selection.near(tr.doc.resolve(after + 1)));
    } else {
      tr.insert(after, preamble.create(null, paragraph.create()));
      tr.setSelection(TextSelection.create(tr.doc, after + 2));
    }
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/**
 * Inserts a new objective (an empty heading and one empty clause) after the current objective, or
 * before the first objective when the cursor is in the title or preamble; the cursor moves into its
 * heading. Ids are left empty for `clauseIdPlugin` to fill.
 */
export const insertObjective: Command = (state, dispatch) => {
  const { $head } = state.selection;
  const objectiveDepth = depthOf($head, 'objective');
  let insertAt: number;
  if (objectiveDepth > 0) {
    insertAt = $head.after(objectiveDepth);
  } else {
    insertAt = 0;
    state.doc.forEach((child, offset) => {
      if (child.type !== objective) insertAt = offset + child.nodeSize;
    });
  }
  if (dispatch) {
    const node = objective.create(null, [objective_heading.create(), clause.create()]);
    const tr = state.tr.insert(insertAt, node);
    tr.setSelection(TextSelection.create(tr.doc, insertAt + 2));
    dispatch(tr.scrollIntoView());
  }
  return true;
};

/**
 * Moves the clause holding the cursor one place up (`-1`) or down (`1`), keeping its id, text and
 * the cursor's place in it. At the edge of an objective the clause crosses into the neighbouring
 * objective (last of the previous one, or first of the next one). Numbers follow by themselves:
 * they are computed from the order.
 */
export function moveClause(dir: -1 | 1): Command {
  return (state, dispatch) => {
    const { $head } = state.selection;
    const clauseDepth = depthOf($head, 'clause');
    if (clauseDepth < 0) return false;
    const objectiveDepth = clauseDepth - 1;
    const node = $head.node(clauseDepth);
    const from = $head.before(clauseDepth);
    const offset = $head.pos - from;
    const objectiveNode = $head.node(objectiveDepth);
    const objectivePos = $head.before(objectiveDepth);
    const index = $head.index(objectiveDepth);

    // Where the clause goes, as a position in the document before it is removed.
    let target: number | null = null;
    if (dir === -1) {
      const previous = index > 0 ? objectiveNode.child(index - 1) : null;
      if (previous?.type === clause) {
        target = from - previous.nodeSize;
      } else {
        const $objective = state.doc.resolve(objectivePos);
        const before = $objective.nodeBefore;
        if (before?.type === objective) target = objectivePos - 1; // the end of the previous objective
      }
    } else {
      const next = index + 1 < objectiveNode.childCount ? objectiveNode.child(index + 1) : null;
      if (next?.type === clause) {
        target = from + node.nodeSize + next.nodeSize;
      } else {
        const after = objectivePos + objectiveNode.nodeSize;
        const following = state.doc.nodeAt(after);
        if (following?.type === objective) target = clausesStart(following, after);
      }
    }
    if (target === null) return false;
    if (dispatch) {
      const tr = state.tr.delete(from, from + node.nodeSize);
      const at = tr.mapping.map(target, dir);
      tr.insert(at, node);
      tr.setSelection(TextSelection.create(tr.doc, at + offset));
      dispatch(tr.scrollIntoView());
    }
    return true;
  };
}

/** Moves the clause holding the cursor up one place (into the previous objective at its top). */
export const moveClauseUp: Command = moveClause(-1);

/** Moves the clause holding the cursor down one place (into the next objective at its end). */
export const moveClauseDown: Command = moveClause(1);
