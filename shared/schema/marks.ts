import { deletion, insertion, modification } from '@handlewithcare/prosemirror-suggest-changes';
import type { DOMOutputSpec, MarkSpec } from 'prosemirror-model';

/** URL schemes a link may use. Anything else (javascript:, data:, vbscript: …) is dropped. */
export const allowedLinkSchemes = ['http:', 'https:', 'mailto:'] as const;

/**
 * Returns `href` if it is an absolute http, https or mailto URL, otherwise null. Used when parsing
 * pasted HTML and when rendering, so an unsafe href can neither enter nor leave the document.
 */
export function safeHref(href: unknown): string | null {
  if (typeof href !== 'string') return null;
  const trimmed = href.trim();
  if (trimmed.length === 0 || trimmed.length > 2048) return null;
  try {
    const url = new URL(trimmed);
    return (allowedLinkSchemes as readonly string[]).includes(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/** Attributes added to the suggest-changes marks so every tracked change names its author and time. */
const authorship = {
  authorId: { default: null },
  authorName: { default: null },
  at: { default: null },
};

export const marks = {
  bold: {
    parseDOM: [
      { tag: 'strong' },
      { tag: 'b', getAttrs: (node) => (node as HTMLElement).style.fontWeight !== 'normal' && null },
      { style: 'font-weight=bold' },
      { style: 'font-weight=700' },
    ],
    toDOM: (): DOMOutputSpec => ['strong', 0],
  },

  italic: {
    parseDOM: [{ tag: 'em' }, { tag: 'i' }, { style: 'font-style=italic' }],
    toDOM: (): DOMOutputSpec => ['em', 0],
  },

  link: {
    attrs: { href: {} },
    inclusive: false,
    parseDOM: [
      {
        tag: 'a[href]',
        getAttrs: (dom) => {
          const href = safeHref((dom as HTMLElement).getAttribute('href'));
          // An unsafe link keeps its text but loses the link.
          return href ? { href } : false;
        },
      },
    ],
    toDOM: (mark): DOMOutputSpec => {
      const href = safeHref(mark.attrs.href);
      return ['a', href ? { href, rel: 'noopener noreferrer nofollow', target: '_blank' } : {}, 0];
    },
  },

  /**
   * Contested wording, shown in [square brackets]. Brackets that belong together as alternatives
   * share a `group`; `alt` numbers the alternative within it (1, 2 …), null for a plain bracket.
   */
  bracket: {
    attrs: { group: { default: null }, alt: { default: null } },
    inclusive: false,
    excludes: '',
    parseDOM: [
      {
        tag: 'span.accord-bracket',
        getAttrs: (dom) => {
          const el = dom as HTMLElement;
          const alt = Number.parseInt(el.getAttribute('data-alt') ?? '', 10);
          return { group: el.getAttribute('data-group'), alt: Number.isFinite(alt) ? alt : null };
        },
      },
    ],
    toDOM: (mark): DOMOutputSpec => [
      'span',
      {
        class: 'accord-bracket',
        'data-group': mark.attrs.group as string | null,
        'data-alt': mark.attrs.alt === null ? null : String(mark.attrs.alt),
      },
      0,
    ],
  },

  // Tracked changes (suggesting mode), from @handlewithcare/prosemirror-suggest-changes, with authorship.
  insertion: { ...insertion, attrs: { ...insertion.attrs, ...authorship } },
  deletion: { ...deletion, attrs: { ...deletion.attrs, ...authorship } },
  modification: { ...modification, attrs: { ...modification.attrs, ...authorship } },
} satisfies Record<string, MarkSpec>;
