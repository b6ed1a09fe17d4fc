import { schema } from '@shared/schema';
import { Fragment, type Node as PmNode, Slice } from 'prosemirror-model';

/**
 * Takes the objective wrapper off a slice that lies inside one objective. ProseMirror copies a
 * selection with its parents: clauses copied from within one objective travel wrapped in that
 * objective, open on both sides, and on paste the wrapper (whose heading is required) would split
 * the objective the text lands in and turn a clause into a heading. Without the wrapper, copied
 * clauses paste as clauses wherever they land.
 */
export function unwrapObjectiveSlice(slice: Slice): Slice {
  let current = slice;
  while (
    current.openStart >= 2 &&
    current.openEnd >= 2 &&
    current.content.childCount === 1 &&
    current.content.firstChild?.type === schema.nodes.objective
  ) {
    const objective = current.content.firstChild;
    current = new Slice(objective.content, current.openStart - 1, current.openEnd - 1);
  }
  return current;
}

/**
 * Pasted text becomes the paster's own: text a pending suggestion deletes is left out, and the marks
 * of pending insertions are dropped (the words stay). Otherwise a paste would carry other members'
 * suggestions — under their names, or under no name at all — into new places of the text.
 */
export function stripTrackedChanges(slice: Slice): Slice {
  const { insertion, deletion, modification } = schema.marks;
  const strip = (fragment: Fragment): Fragment => {
    const children: PmNode[] = [];
    fragment.forEach((child) => {
      if (child.isText) {
        if (deletion.isInSet(child.marks)) return;
        children.push(child.mark(child.marks.filter((m) => m.type !== insertion && m.type !== modification)));
      } else {
        children.push(child.copy(strip(child.content)));
      }
    });
    return Fragment.fromArray(children);
  };
  return new Slice(strip(slice.content), slice.openStart, slice.openEnd);
}

/** What a paste goes through: clauses unwrapped from their objective, tracked changes taken off. */
export function preparePastedSlice(slice: Slice): Slice {
  return stripTrackedChanges(unwrapObjectiveSlice(slice));
}
