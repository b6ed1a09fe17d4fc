/**
 * Files for import tests, made by the project in the test itself: a DOCX written with the `docx`
 * library (the project's DOCX writer) and a small PDF written by hand, object by object, with a
 * correct cross-reference table, so that no binary fixture of unknown origin is needed.
 *
 * ```ts
 * const docx = await docxFile({ title: 'Consultation', paragraphs: ['First.', 'Second.'] });
 * const pdf = pdfFile({ title: 'Consultation', pages: [['Line one', 'Line two'], ['Page two']] });
 * ```
 */
import { Document, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';

/** A Word document with a heading and paragraphs. */
export async function docxFile(content: { title: string; paragraphs: string[] }): Promise<Uint8Array> {
  const document = new Document({
    creator: 'Accord tests',
    title: content.title,
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(content.title)] }),
          ...content.paragraphs.map((text) => new Paragraph({ children: [new TextRun(text)] })),
        ],
      },
    ],
  });
  return new Uint8Array(await Packer.toBuffer(document));
}

/** Escapes a string for a PDF literal string (ASCII text only). */
function pdfString(text: string): string {
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/**
 * A PDF with one page per entry of `pages`, each line of a page drawn in Helvetica 12 pt, and
 * `title` in the document information dictionary. Text must be ASCII.
 */
export function pdfFile(content: { title?: string; pages: string[][] }): Uint8Array {
  const objects: string[] = [];
  const pageCount = content.pages.length;
  // 1 catalog, 2 pages, 3 font, 4 info, then per page: page object and content stream.
  const pageIds = content.pages.map((_, i) => 5 + i * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pageCount} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>';
  objects[4] = `<< /Title ${pdfString(content.title ?? '')} /Producer (Accord tests) >>`;
  content.pages.forEach((lines, i) => {
    const pageId = pageIds[i] as number;
    const stream = ['BT', '/F1 12 Tf', '72 720 Td', ...lines.flatMap((line, j) => [...(j > 0 ? ['0 -18 Td'] : []), `${pdfString(line)} Tj`]), 'ET'].join('\n');
    objects[pageId] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents ${pageId + 1} 0 R >>`;
    objects[pageId + 1] = `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`;
  });

  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = Buffer.byteLength(out, 'latin1');
    out += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xrefAt = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) out += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length} /Root 1 0 R /Info 4 0 R >>\nstartxref\n${xrefAt}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}
