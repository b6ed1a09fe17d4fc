/** Most PDF pages read from one file. */
export declare const MAX_PDF_PAGES: number;

/** A file the parsers could not read, and why. */
export declare class BinaryTextError extends Error {
  constructor(reason: 'damaged' | 'password' | 'too_many_pages', message: string);
  readonly reason: 'damaged' | 'password' | 'too_many_pages';
}

/** The paragraphs of a .docx file as text, separated by blank lines. */
export declare function docxToRawText(bytes: Uint8Array): Promise<string>;

/** The text of every page of a PDF and its title; progress in pages. */
export declare function pdfToRawText(
  bytes: Uint8Array,
  onProgress?: (pages: { done: number; total: number }) => void,
  maxChars?: number,
): Promise<{ text: string; title: string | null; pages: number }>;
