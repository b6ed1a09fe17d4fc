// Raw text of Word (.docx) and PDF files, with mammoth and pdf.js. Plain JavaScript (typed by
// `binaryText.d.mts`) so that the extraction worker can load it without a TypeScript loader.
import mammoth from 'mammoth';

/** Most PDF pages read from one file. */
export const MAX_PDF_PAGES = 2000;

/** A file the parsers could not read, and why. */
export class BinaryTextError extends Error {
  /** @param {'damaged' | 'password' | 'too_many_pages'} reason @param {string} message */
  constructor(reason, message) {
    super(message);
    this.name = 'BinaryTextError';
    this.reason = reason;
  }
}

/** The paragraphs of a .docx file as text, separated by blank lines. */
export async function docxToRawText(bytes) {
  try {
    const result = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    return result.value;
  } catch {
    throw new BinaryTextError('damaged', 'not a readable .docx file');
  }
}

/**
 * The text of every page of a PDF (pages separated by blank lines) and its title, reporting pages
 * read through `onProgress({ done, total })`. Stops early once `maxChars` is far exceeded.
 */
export async function pdfToRawText(bytes, onProgress, maxChars = Number.POSITIVE_INFINITY) {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  });
  let doc;
  try {
    doc = await task.promise;
  } catch (err) {
    if (err && err.name === 'PasswordException') throw new BinaryTextError('password', 'password protected');
    throw new BinaryTextError('damaged', 'not a readable PDF');
  }
  try {
    if (doc.numPages > MAX_PDF_PAGES) throw new BinaryTextError('too_many_pages', String(doc.numPages));
    let title = null;
    try {
      const meta = await doc.getMetadata();
      const t = meta.info && meta.info.Title;
      if (typeof t === 'string' && t.trim()) title = t.trim();
    } catch {
      // Metadata is optional; a file without readable metadata still has text.
    }
    const pages = [];
    let length = 0;
    onProgress?.({ done: 0, total: doc.numPages });
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      let text = '';
      for (const item of content.items) {
        text += item.str ?? '';
        if (item.hasEOL) text += '\n';
      }
      page.cleanup();
      pages.push(text);
      length += text.length;
      onProgress?.({ done: n, total: doc.numPages });
      if (length > maxChars * 2) break;
    }
    // Words hyphenated across a line end are joined again ("recon-\nciliation").
    return { text: pages.join('\n\n').replace(/(\p{Ll})-\n(\p{Ll})/gu, '$1$2'), title, pages: doc.numPages };
  } catch (err) {
    if (err instanceof BinaryTextError) throw err;
    throw new BinaryTextError('damaged', 'a page could not be read');
  } finally {
    await doc.destroy();
  }
}
