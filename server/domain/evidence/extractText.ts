/**
 * Text extraction for imported consultation reports: plain text, Markdown, DOCX (mammoth) and PDF
 * (pdfjs-dist, legacy build, which runs in Node; both in `binaryText.mjs`). Every failure is an {@link ImportError} with an HTTP
 * status and a sentence a person can act on; nothing here writes anywhere.
 */
import { MAX_REPORT_CHARS } from '@shared/api/evidence';
import { BinaryTextError, docxToRawText, MAX_PDF_PAGES, pdfToRawText } from './binaryText.mjs';

/** The formats an import understands. */
export type ImportFormat = 'text' | 'markdown' | 'docx' | 'pdf';

/** Why a file could not be imported; `status` is the answer's HTTP status. */
export class ImportError extends Error {
  constructor(
    readonly status: 413 | 415 | 422,
    readonly code: 'payload_too_large' | 'unsupported_file' | 'unreadable_file',
    message: string,
  ) {
    super(message);
    this.name = 'ImportError';
  }
}

/** The text of a file, normalised, with a title when the file names one. */
export interface ExtractedText {
  format: ImportFormat;
  text: string;
  title: string | null;
}

/** Progress of a long extraction (PDF pages). */
export type ExtractProgress = (pages: { done: number; total: number }) => void;

const extensionFormats: Record<string, ImportFormat> = {
  txt: 'text',
  text: 'text',
  md: 'markdown',
  markdown: 'markdown',
  docx: 'docx',
  pdf: 'pdf',
};

function extension(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot >= 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, signature: number[]): boolean {
  return signature.every((b, i) => bytes[i] === b);
}

/**
 * The format of a file: by its first bytes for PDF and DOCX (a ZIP), otherwise by its extension or
 * media type. A file whose bytes contradict its name (a `.pdf` that is not one) keeps the format its
 * name claims, so that extraction fails with a clear "unreadable" rather than "unsupported".
 */
export function detectFormat(filename: string, mediaType: string, bytes: Uint8Array): ImportFormat {
  const ext = extension(filename);
  const byName = extensionFormats[ext];
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'pdf'; // %PDF-
  if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04]) && (byName === 'docx' || byName === undefined)) return 'docx';
  if (byName) return byName;
  const type = mediaType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/pdf') return 'pdf';
  if (type === 'application/vnd.openxmlformats-officedocument.wordprocessingml.document') return 'docx';
  if (type === 'text/markdown' || type === 'text/x-markdown') return 'markdown';
  if (type === 'text/plain') return 'text';
  const shown = ext ? `.${ext} files` : 'files without an extension';
  throw new ImportError(
    415,
    'unsupported_file',
    `Accord cannot import ${shown}. Import plain text (.txt), Markdown (.md), Word (.docx) or PDF (.pdf).`,
  );
}

/**
 * Normalises extracted text: Unix line ends, no control characters, no trailing spaces, at most one
 * empty line in a row, trimmed. Excerpt offsets point into this form.
 */
export function normalizeText(text: string): string {
  return (
    text
      .replace(/\r\n?/g, '\n')
      .replace(/\u00a0/g, ' ')
      // C0 controls except tab and newline, and DEL (the search snippets use \u0002/\u0003 as markers).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '')
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

function decodeUtf8(bytes: Uint8Array): string {
  if (bytes.includes(0)) {
    throw new ImportError(422, 'unreadable_file', 'This file is not text: it contains binary data.');
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ImportError(422, 'unreadable_file', 'This file is not UTF-8 text. Save it as UTF-8 and import it again.');
  }
}

function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return decodeUtf8(bytes);
}

/**
 * Markdown to readable plain text: headings, emphasis, links, images, code fences, block quotes,
 * tables' rules and HTML tags lose their syntax; list items keep a bullet. The first level-1 or
 * level-2 heading is the title.
 */
export function markdownToText(source: string): { text: string; title: string | null } {
  let title: string | null = null;
  const lines: string[] = [];
  let fenced = false;
  for (const raw of source.replace(/\r\n?/g, '\n').split('\n')) {
    if (/^\s*(```|~~~)/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (fenced) {
      lines.push(raw);
      continue;
    }
    let line = raw;
    if (/^\s*([-*_])(\s*\1){2,}\s*$/.test(line)) {
      lines.push('');
      continue;
    }
    if (/^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line)) continue; // table rule
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      line = heading[2] ?? '';
      if (title === null && (heading[1]?.length ?? 0) <= 2) title = inline(line);
    }
    line = line.replace(/^\s{0,3}>\s?/, '');
    line = line.replace(/^(\s*)[-*+]\s+\[[ xX]\]\s+/, '$1• ').replace(/^(\s*)[-*+]\s+/, '$1• ');
    if (/^\s*\|.*\|\s*$/.test(line)) line = line.trim().slice(1, -1).split('|').map((c) => c.trim()).join('  ');
    lines.push(inline(line));
  }
  return { text: lines.join('\n'), title };
}

function inline(text: string): string {
  return text
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\[[^\]]*\]/g, '$1')
    .replace(/<\/?[A-Za-z][^>]*>/g, '')
    .replace(/`([^`]*)`/g, '$1')
    .replace(/(\*\*|__)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/(\*|_)(?=\S)(.+?)(?<=\S)\1/g, '$2')
    .replace(/~~(.+?)~~/g, '$1')
    .replace(/\\([\\`*_{}[\]()#+\-.!|>~])/g, '$1');
}

/** Parses a Word or PDF file into raw text (in this thread, or in a worker: see `extractInWorker.ts`). */
export type BinaryParser = (
  format: 'docx' | 'pdf',
  bytes: Uint8Array,
  onProgress: ExtractProgress | undefined,
  maxChars: number,
) => Promise<{ text: string; title: string | null }>;

/** Parses in the calling thread (tests, small files); the server uses the worker. */
export const parseInProcess: BinaryParser = async (format, bytes, onProgress, maxChars) =>
  format === 'docx' ? { text: await docxToRawText(bytes), title: null } : pdfToRawText(bytes, onProgress, maxChars);

/** The person-facing refusal of a file the parsers could not read. */
export function refusalOf(format: 'docx' | 'pdf', reason: BinaryTextError['reason'], detail: string): ImportError {
  if (reason === 'password') {
    return new ImportError(422, 'unreadable_file', 'This PDF is protected by a password. Remove the protection and import it again.');
  }
  if (reason === 'too_many_pages') {
    return new ImportError(413, 'payload_too_large', `This PDF has ${detail} pages; Accord imports at most ${MAX_PDF_PAGES}.`);
  }
  return format === 'docx'
    ? new ImportError(
        422,
        'unreadable_file',
        'This Word file could not be read: it is damaged or not a .docx document (old .doc files must be saved as .docx first).',
      )
    : new ImportError(422, 'unreadable_file', 'This PDF could not be read: the file is damaged or not a PDF.');
}

/**
 * Extracts the text of an imported file. Refuses, with an {@link ImportError}: formats it does not
 * know (415), damaged or unreadable files and files without text, such as scanned PDFs (422), and
 * texts longer than the library keeps (413).
 */
export async function extractText(
  bytes: Uint8Array,
  file: { filename: string; mediaType: string },
  onProgress?: ExtractProgress,
  parse: BinaryParser = parseInProcess,
): Promise<ExtractedText> {
  const format = detectFormat(file.filename, file.mediaType, bytes);
  let raw: string;
  let title: string | null = null;
  switch (format) {
    case 'text':
      raw = decodeText(bytes);
      break;
    case 'markdown':
      ({ text: raw, title } = markdownToText(decodeText(bytes)));
      break;
    case 'docx':
    case 'pdf':
      try {
        ({ text: raw, title } = await parse(format, bytes, onProgress, MAX_REPORT_CHARS));
      } catch (err) {
        if (err instanceof BinaryTextError) throw refusalOf(format, err.reason, err.message);
        throw err;
      }
      break;
  }
  const text = normalizeText(raw);
  if (text.length === 0) {
    throw new ImportError(
      422,
      'unreadable_file',
      format === 'pdf'
        ? 'This PDF has no text to import: it is probably a scan. Import a PDF with a text layer, or paste the text by hand.'
        : 'This file has no text to import.',
    );
  }
  if (text.length > MAX_REPORT_CHARS) {
    throw new ImportError(
      413,
      'payload_too_large',
      `This report has ${text.length.toLocaleString('en')} characters; Accord keeps at most ${MAX_REPORT_CHARS.toLocaleString('en')}.`,
    );
  }
  if (title === null && format !== 'pdf') {
    const first = text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? '';
    title = first.length > 0 && first.length <= 160 ? first : null;
  }
  return { format, text, title: title?.slice(0, 300) ?? null };
}
