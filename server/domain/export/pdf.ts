import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import PDFDocument from 'pdfkit';
import { bracketText, type Segment } from './inline';
import { type ExportModel, type ExportThread, formatTime, provenanceLines, statusLabels } from './model';

/**
 * Fonts: DejaVu Serif from the `dejavu-fonts-ttf` package, embedded (subset) so that every Latin,
 * Greek and Cyrillic name prints correctly; PDF's standard Times fonts only cover Western European
 * text. Falls back to Times when the package's files are missing.
 */
function fontFiles(): { regular: string; bold: string; italic: string; boldItalic: string } | null {
  try {
    const require = createRequire(import.meta.url);
    const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
    const files = {
      regular: join(dir, 'DejaVuSerif.ttf'),
      bold: join(dir, 'DejaVuSerif-Bold.ttf'),
      italic: join(dir, 'DejaVuSerif-Italic.ttf'),
      boldItalic: join(dir, 'DejaVuSerif-BoldItalic.ttf'),
    };
    return Object.values(files).every((f) => existsSync(f)) ? files : null;
  } catch {
    return null;
  }
}

const fonts = fontFiles();
const FONT = fonts
  ? { regular: fonts.regular, bold: fonts.bold, italic: fonts.italic, boldItalic: fonts.boldItalic }
  : { regular: 'Times-Roman', bold: 'Times-Bold', italic: 'Times-Italic', boldItalic: 'Times-BoldItalic' };

const INK = '#1f2328';
const MUTED = '#57606a';
const BRACKET_INK = '#9a6700';
const MARGIN = 64;
const NUMBER_WIDTH = 44;

function fontFor(bold: boolean, italic: boolean): string {
  if (bold && italic) return FONT.boldItalic;
  if (bold) return FONT.bold;
  if (italic) return FONT.italic;
  return FONT.regular;
}

type Pdf = PDFKit.PDFDocument;

/** Writes inline content as one flowing paragraph starting at (x, current y), `width` wide. */
function writeSegments(doc: Pdf, segments: readonly Segment[], x: number, width: number, size: number, base: { italic?: boolean; color?: string } = {}): void {
  const pieces = segments.length > 0 ? segments : [{ kind: 'text', text: ' ', bold: false, italic: false, href: null, change: null } as Segment];
  pieces.forEach((s, i) => {
    const continued = i < pieces.length - 1;
    let text: string;
    let options: PDFKit.Mixins.TextOptions = { continued, width };
    if (s.kind === 'text') {
      text = s.text;
      doc.font(fontFor(s.bold, s.italic || !!base.italic)).fillColor(
        s.change === 'inserted' ? '#1a7f37' : s.change === 'deleted' ? '#cf222e' : (base.color ?? INK),
      );
      options = {
        ...options,
        underline: s.change === 'inserted' || !!s.href,
        strike: s.change === 'deleted',
        ...(s.href ? { link: s.href } : { link: null }),
      };
    } else {
      text = bracketText(s);
      doc.font(FONT.bold).fillColor(BRACKET_INK);
      options = { ...options, underline: false, strike: false, link: null };
    }
    doc.fontSize(size);
    if (i === 0) doc.text(text, x, doc.y, options);
    else doc.text(text, options);
  });
  doc.fillColor(INK);
}

function writeThreads(doc: Pdf, threads: readonly ExportThread[], x: number, width: number): void {
  for (const t of threads) {
    if (t.quote) {
      doc.font(FONT.italic).fontSize(8.5).fillColor(MUTED).text(`“${t.quote}”`, x, doc.y, { width });
    }
    for (const m of t.messages) {
      doc.font(FONT.bold).fontSize(8.5).fillColor(MUTED)
        .text(`${m.author}${m.affiliation ? ` (${m.affiliation})` : ''}, ${formatTime(m.at)}: `, x, doc.y, { width, continued: true })
        .font(FONT.regular)
        .text(m.text, { width });
    }
    doc.moveDown(0.3);
  }
  doc.fillColor(INK);
}

/**
 * The document as PDF, made with pdfkit (pure JavaScript; see docs/versions.md for why). `onPage`
 * is told each page as it is laid out, for progress reports on long documents.
 */
export async function renderPdf(model: ExportModel, onPage?: (page: number) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, bottom: MARGIN, left: MARGIN, right: MARGIN },
    bufferPages: true,
    info: {
      Title: model.version ? `${model.title} — ${model.version.label}` : model.title,
      Author: `Secretariat of ${model.dialogue}`,
      Creator: 'Accord',
      Subject: provenanceLines(model).join(' · '),
      Keywords: model.version ? `sha256:${model.version.hash}` : 'live draft',
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  let pages = 1;
  doc.on('pageAdded', () => onPage?.(++pages));

  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;

  doc.font(FONT.bold).fontSize(18).fillColor(INK).text(model.title, left, MARGIN, { width });
  doc.moveDown(0.3);
  for (const line of provenanceLines(model)) doc.font(FONT.regular).fontSize(8.5).fillColor(MUTED).text(line, { width });
  doc.fillColor(INK).moveDown(1);

  for (const p of model.preamble) {
    writeSegments(doc, p, left, width, 10.5);
    doc.moveDown(0.6);
  }
  for (const o of model.objectives) {
    doc.moveDown(0.6);
    if (doc.y > doc.page.height - MARGIN - 80) doc.addPage();
    writeSegments(doc, [{ kind: 'text', text: `${o.number}. `, bold: true, italic: false, href: null, change: null }, ...o.heading.map((s) => (s.kind === 'text' ? { ...s, bold: true } : s))], left, width, 13);
    doc.moveDown(0.3);
    if (o.rationale) {
      writeSegments(doc, o.rationale, left, width, 10, { italic: true, color: MUTED });
      doc.moveDown(0.5);
    }
    for (const c of o.clauses) {
      if (doc.y > doc.page.height - MARGIN - 40) doc.addPage();
      const top = doc.y;
      doc.font(FONT.bold).fontSize(10.5).fillColor(INK).text(c.number, left, top, { width: NUMBER_WIDTH - 4 });
      doc.y = top;
      const status = c.status
        ? [{ kind: 'text' as const, text: `  (${statusLabels[c.status] ?? c.status})`, bold: false, italic: true, href: null, change: null }]
        : [];
      writeSegments(doc, [...c.content, ...status], left + NUMBER_WIDTH, width - NUMBER_WIDTH, 10.5);
      doc.moveDown(0.5);
      if (c.threads.length > 0) writeThreads(doc, c.threads, left + NUMBER_WIDTH + 14, width - NUMBER_WIDTH - 14);
    }
  }
  if (model.documentThreads.length > 0) {
    doc.moveDown(1).font(FONT.bold).fontSize(13).text('Open comments on the whole document', left, doc.y, { width });
    doc.moveDown(0.4);
    writeThreads(doc, model.documentThreads, left, width);
  }
  if (model.annex) {
    doc.addPage();
    doc.font(FONT.bold).fontSize(15).fillColor(INK).text(`Annex: ${model.annex.title}`, left, MARGIN, { width });
    for (const s of model.annex.sections) {
      doc.moveDown(0.8).font(FONT.bold).fontSize(11.5).text(s.heading, left, doc.y, { width });
      for (const p of s.paragraphs) doc.moveDown(0.3).font(FONT.regular).fontSize(10).text(p, { width });
    }
  }

  // Footers: the version's label and hash (or "live draft") and the page number, on every page.
  const footer = model.version ? `${model.version.label} — SHA-256 ${model.version.hash}` : 'Live draft — not a tabled version';
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font(FONT.regular).fontSize(7).fillColor(MUTED)
      .text(`${footer} — page ${i + 1} of ${range.count}`, left, doc.page.height - MARGIN / 2, { width, align: 'center', lineBreak: false });
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}
