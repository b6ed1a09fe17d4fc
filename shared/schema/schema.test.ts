import { DOMParser } from 'prosemirror-model';
import { bracket, clause, doc, heading, link, objective, title } from '@tests/helpers/builders';
import type { Mark } from 'prosemirror-model';
import { describe, expect, it } from 'vitest';
import { safeHref, schema } from './index';

/**
 * A stand-in for a parsed DOM element: the parse rules only call getAttribute. ProseMirror types the
 * argument as `HTMLElement & string` (one type for tag and style rules), hence the cast.
 */
function fakeElement(attrs: Record<string, string>): HTMLElement & string {
  return { getAttribute: (name: string) => attrs[name] ?? null } as unknown as HTMLElement & string;
}

/** Runs the link mark's own parse rule on an `<a>` with the given href, without a DOM. */
function parseLinkHref(href: string): unknown {
  const rule = schema.marks.link.spec.parseDOM?.[0];
  return rule?.getAttrs?.(fakeElement({ href }));
}

/** The attributes the link mark renders for `href`. */
function renderedLinkAttrs(href: string): unknown {
  const mark: Mark = schema.marks.link.create({ href });
  const spec = schema.marks.link.spec.toDOM?.(mark, true) as readonly unknown[];
  return spec[1];
}

describe('safeHref', () => {
  it.each([
    ['https://example.org/report', 'https://example.org/report'],
    ['http://example.org', 'http://example.org/'],
    ['  https://example.org/a b  ', 'https://example.org/a%20b'],
    ['mailto:secretariat@demo.accord', 'mailto:secretariat@demo.accord'],
  ])('keeps the safe link %j as %j', (href, expected) => {
    expect(safeHref(href)).toBe(expected);
  });

  it.each([
    'javascript:alert(1)',
    '  javascript:alert(1)',
    'JavaScript:alert(1)',
    'java\tscript:alert(1)',
    '\njavascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'file:///etc/passwd',
    '/relative/path',
    'relative',
    '//example.org/protocol-relative',
    '',
    '   ',
    `https://example.org/${'a'.repeat(2100)}`,
  ])('refuses %j', (href) => {
    expect(safeHref(href)).toBeNull();
  });

  it('refuses values that are not strings', () => {
    expect(safeHref(null)).toBeNull();
    expect(safeHref(42)).toBeNull();
    expect(safeHref({ toString: () => 'https://example.org' })).toBeNull();
  });
});

describe('link mark', () => {
  it('parses a pasted safe link and drops an unsafe one', () => {
    expect(parseLinkHref('https://example.org')).toEqual({ href: 'https://example.org/' });
    expect(parseLinkHref(' javascript:alert(1)')).toBe(false);
    expect(parseLinkHref('data:text/html,x')).toBe(false);
  });

  it('renders a safe link with rel and target, and an unsafe stored href as no href at all', () => {
    expect(renderedLinkAttrs('https://example.org')).toEqual({
      href: 'https://example.org/',
      rel: 'noopener noreferrer nofollow',
      target: '_blank',
    });
    expect(renderedLinkAttrs('javascript:alert(1)')).toEqual({});
  });
});

describe('bracket mark', () => {
  it('parses its group and alternative number, and none when absent', () => {
    const rule = schema.marks.bracket.spec.parseDOM?.[0];
    expect(rule?.getAttrs?.(fakeElement({ 'data-group': 'g1', 'data-alt': '2' }))).toEqual({
      group: 'g1',
      alt: 2,
    });
    expect(rule?.getAttrs?.(fakeElement({}))).toEqual({ group: null, alt: null });
  });

  it('allows two brackets on the same text', () => {
    const [node] = bracket(bracket('x', { group: 'a' }), { group: 'b' });
    expect(node?.marks).toHaveLength(2);
  });
});

describe('document structure', () => {
  const titleJSON = { type: 'title', content: [{ type: 'text', text: 'T' }] };
  const clauseJSON = { type: 'clause', attrs: { id: 'c1' }, content: [{ type: 'text', text: 'x' }] };
  const objectiveJSON = {
    type: 'objective',
    attrs: { id: 'o1' },
    content: [{ type: 'objective_heading', content: [{ type: 'text', text: 'H' }] }, clauseJSON],
  };

  it('accepts a title, a preamble and objectives with clauses', () => {
    const node = schema.nodeFromJSON({
      type: 'doc',
      content: [titleJSON, { type: 'preamble', content: [{ type: 'paragraph' }] }, objectiveJSON],
    });
    expect(() => node.check()).not.toThrow();
    expect(
      node.eq(
        doc(title('T'), node.child(1), objective({ id: 'o1' }, heading('H'), clause({ id: 'c1' }, 'x'))),
      ),
    ).toBe(true);
  });

  it('rejects a clause outside an objective', () => {
    const node = schema.nodeFromJSON({ type: 'doc', content: [titleJSON, clauseJSON] });
    expect(() => node.check()).toThrow(RangeError);
  });

  it('rejects an objective without a heading, and a document without a title', () => {
    const headless = { type: 'objective', content: [clauseJSON] };
    expect(() => schema.nodeFromJSON({ type: 'doc', content: [titleJSON, headless] }).check()).toThrow(
      RangeError,
    );
    expect(() => schema.nodeFromJSON({ type: 'doc', content: [objectiveJSON] }).check()).toThrow(RangeError);
  });

  it('rejects marks in the title and unknown node types', () => {
    const boldTitle = { type: 'title', content: [{ type: 'text', text: 'T', marks: [{ type: 'bold' }] }] };
    expect(() => schema.nodeFromJSON({ type: 'doc', content: [boldTitle] }).check()).toThrow(RangeError);
    expect(() => schema.nodeFromJSON({ type: 'doc', content: [titleJSON, { type: 'script' }] })).toThrow(
      RangeError,
    );
  });

  it('keeps an unsafe href in the model but never renders it', () => {
    const node = doc(title('T'), objective(heading('H'), clause(link('javascript:alert(1)', 'click'))));
    const mark = node.child(1).child(1).child(0).marks[0]!;
    expect(renderedLinkAttrs(mark.attrs.href as string)).toEqual({});
  });
});

describe('parsing pasted HTML', () => {
  it('reads a copied clause and rationale as themselves, not as plain paragraphs (same <p> tag)', () => {
    const tags = DOMParser.fromSchema(schema).rules.flatMap((rule) => ('tag' in rule && rule.tag ? [rule] : []));
    const first = (selector: string) => tags.findIndex((rule) => rule.tag === selector);
    expect(first('p.accord-clause')).toBeGreaterThanOrEqual(0);
    expect(first('p.accord-clause')).toBeLessThan(first('p'));
    expect(first('p.accord-rationale')).toBeLessThan(first('p'));
  });
});
