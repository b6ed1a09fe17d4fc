/**
 * Fixture builders that make a test read like the document it builds:
 *
 * ```ts
 * doc(
 *   title('Framework'),
 *   preamble(p('Recalling …')),
 *   objective({ id: 'o1' }, heading('Inclusive politics'), rationale('Why.'),
 *     clause({ id: 'c1' }, 'text ', bold('x'), bracket('contested', { group: 'g1', alt: 1 }))),
 * )
 * ```
 *
 * Every builder returns a node of the shared schema; string children become text nodes, mark helpers
 * return marked text nodes and may be nested (`bold(italic('x'))`). Ids are optional (null when omitted),
 * which is what a freshly typed objective or clause looks like before `clauseIdPlugin` repairs it.
 */
import { schema } from '@shared/schema';
import type { Mark, Node } from 'prosemirror-model';

/** Inline content as a builder accepts it: plain strings, text nodes, or lists of them. */
export type Inline = string | Node | readonly Inline[];

/** Attributes of an objective or a clause; the id is optional. */
export interface IdAttrs {
  id?: string | null;
}

function inline(children: readonly Inline[]): Node[] {
  const out: Node[] = [];
  for (const child of children) {
    if (typeof child === 'string') {
      // ProseMirror forbids empty text nodes; an empty string simply contributes nothing.
      if (child.length > 0) out.push(schema.text(child));
    } else if (Array.isArray(child)) {
      out.push(...inline(child));
    } else {
      out.push(child as Node);
    }
  }
  return out;
}

function isAttrs(value: unknown): value is IdAttrs {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !('type' in (value as object))
  );
}

function withMark(mark: Mark, children: readonly Inline[]): Node[] {
  return inline(children).map((node) => node.mark(mark.addToSet(node.marks)));
}

/** A whole document. Checked against the schema, so a malformed fixture fails loudly. */
export function doc(...children: Node[]): Node {
  const node = schema.nodes.doc.create(null, children);
  node.check();
  return node;
}

/** The document title. */
export function title(text = ''): Node {
  return schema.nodes.title.create(null, text ? schema.text(text) : null);
}

/** The preamble: unnumbered paragraphs. */
export function preamble(...paragraphs: Node[]): Node {
  return schema.nodes.preamble.create(null, paragraphs);
}

/** A preamble paragraph. */
export function p(...children: Inline[]): Node {
  return schema.nodes.paragraph.create(null, inline(children));
}

/** An objective; pass `{ id }` first to give it an id. Its heading comes first among the children. */
export function objective(attrsOrChild?: IdAttrs | Node, ...children: Node[]): Node {
  const attrs = isAttrs(attrsOrChild) ? attrsOrChild : {};
  const content =
    isAttrs(attrsOrChild) || attrsOrChild === undefined ? children : [attrsOrChild, ...children];
  return schema.nodes.objective.create({ id: attrs.id ?? null }, content);
}

/** The heading of an objective. */
export function heading(...children: Inline[]): Node {
  return schema.nodes.objective_heading.create(null, inline(children));
}

/** The rationale of an objective. */
export function rationale(...children: Inline[]): Node {
  return schema.nodes.rationale.create(null, inline(children));
}

/** A clause; pass `{ id }` first to give it an id. */
export function clause(attrsOrChild?: IdAttrs | Inline, ...children: Inline[]): Node {
  const attrs = isAttrs(attrsOrChild) ? attrsOrChild : {};
  const content =
    isAttrs(attrsOrChild) || attrsOrChild === undefined ? children : [attrsOrChild, ...children];
  return schema.nodes.clause.create({ id: attrs.id ?? null }, inline(content));
}

/** Bold text. */
export function bold(...children: Inline[]): Node[] {
  return withMark(schema.marks.bold.create(), children);
}

/** Italic text. */
export function italic(...children: Inline[]): Node[] {
  return withMark(schema.marks.italic.create(), children);
}

/** Bracketed (contested) text; alternatives share a `group` and are numbered by `alt`. */
export function bracket(text: Inline, attrs: { group?: string | null; alt?: number | null } = {}): Node[] {
  return withMark(schema.marks.bracket.create({ group: attrs.group ?? null, alt: attrs.alt ?? null }), [
    text,
  ]);
}

/** A link. The href is stored as given, so tests can also build unsafe links on purpose. */
export function link(href: string, text: Inline): Node[] {
  return withMark(schema.marks.link.create({ href }), [text]);
}

/** Attributes of a tracked change (suggest-changes id plus Accord's authorship). */
export interface ChangeAttrs {
  id: string | number;
  authorId?: string | null;
  authorName?: string | null;
  at?: string | null;
}

function changeAttrs(attrs: ChangeAttrs): Record<string, unknown> {
  return {
    id: attrs.id,
    authorId: attrs.authorId ?? null,
    authorName: attrs.authorName ?? null,
    at: attrs.at ?? null,
  };
}

/** Text inserted in suggesting mode. */
export function ins(attrs: ChangeAttrs, ...children: Inline[]): Node[] {
  return withMark(schema.marks.insertion.create(changeAttrs(attrs)), children);
}

/** Text deleted in suggesting mode (still in the document until the change is accepted). */
export function del(attrs: ChangeAttrs, ...children: Inline[]): Node[] {
  return withMark(schema.marks.deletion.create(changeAttrs(attrs)), children);
}
