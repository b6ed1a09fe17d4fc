const droppedElements = 'script, style, iframe, object, embed, link, meta, base, form, template, noscript';

/**
 * Strips scripts, style sheets, embedded frames and event-handler attributes from pasted HTML before
 * ProseMirror parses it. The schema already keeps only what it knows (and drops unsafe link hrefs);
 * this is a second, defensive layer. The HTML is parsed into an inert document, so nothing runs.
 * Inline `style` attributes stay: the schema reads bold and italic from them (Google Docs, Word).
 */
export function sanitizePastedHtml(html: string): string {
  const parsed = new DOMParser().parseFromString(html, 'text/html');
  for (const element of parsed.querySelectorAll(droppedElements)) element.remove();
  for (const element of parsed.body.querySelectorAll('*')) {
    for (const attribute of [...element.attributes]) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith('on') || name === 'srcdoc') element.removeAttribute(attribute.name);
      else if (
        (name === 'href' || name === 'src') &&
        /^\s*(javascript|data|vbscript):/i.test(attribute.value)
      ) {
        element.removeAttribute(attribute.name);
      }
    }
  }
  return parsed.body.innerHTML;
}
