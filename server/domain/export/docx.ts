import {
  AlignmentType,
  Document,
  ExternalHyperlink,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  ShadingType,
  TabStopType,
  TextRun,
} from 'docx';
import { bracketText, type Segment } from './inline';
import { type ExportModel, type ExportThread, formatTime, provenanceLines, statusLabels } from './model';

const BRACKET_FILL = 'FFF4D6';
const BRACKET_INK = '9A6700';
const MUTED = '57606A';

/** Word runs for inline content: brackets in bold ink on a tinted background, tracked changes kept visible. */
function runs(segments: readonly Segment[]): ParagraphChild[] {
  const out: ParagraphChild[] = [];
  let depth = 0;
  for (const s of segments) {
    if (s.kind !== 'text') {
      if (s.kind === 'open') depth++;
      out.push(new TextRun({ text: bracketText(s), bold: true, color: BRACKET_INK }));
      if (s.kind === 'close') depth--;
      continue;
    }
    const run = new TextRun({
      text: s.text,
      bold: s.bold,
      italics: s.italic,
      ...(depth > 0 ? { shading: { type: ShadingType.CLEAR, fill: BRACKET_FILL, color: 'auto' } } : {}),
      ...(s.change === 'inserted' ? { underline: {}, color: '1A7F37' } : {}),
      ...(s.change === 'deleted' ? { strike: true, color: 'CF222E' } : {}),
      ...(s.href ? { style: 'Hyperlink' } : {}),
    });
    out.push(s.href ? new ExternalHyperlink({ link: s.href, children: [run] }) : run);
  }
  return out;
}

function threadParagraphs(threads: readonly ExportThread[]): Paragraph[] {
  return threads.flatMap((t) => [
    ...(t.quote
      ? [new Paragraph({ indent: { left: 1134 }, children: [new TextRun({ text: `“${t.quote}”`, italics: true, color: MUTED, size: 18 })] })]
      : []),
    ...t.messages.map(
      (m, i) =>
        new Paragraph({
          indent: { left: i === 0 ? 1134 : 1418 },
          spacing: { after: 60 },
          children: [
            new TextRun({ text: `${m.author}${m.affiliation ? ` (${m.affiliation})` : ''}, ${formatTime(m.at)}: `, bold: true, size: 18, color: MUTED }),
            new TextRun({ text: m.text, size: 18, color: MUTED }),
          ],
        }),
    ),
  ]);
}

/** The document as a Word file (Office Open XML), made with the `docx` library. */
export async function renderDocx(model: ExportModel): Promise<Buffer> {
  const body: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(model.title)] }),
    ...provenanceLines(model).map(
      (line) => new Paragraph({ spacing: { after: 40 }, children: [new TextRun({ text: line, size: 18, color: MUTED })] }),
    ),
    new Paragraph({ text: '' }),
    ...model.preamble.map((p) => new Paragraph({ spacing: { after: 160 }, children: runs(p) })),
  ];
  for (const o of model.objectives) {
    body.push(
      new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun(`${o.number}. `), ...runs(o.heading)] }),
    );
    if (o.rationale) {
      body.push(new Paragraph({ spacing: { after: 160 }, children: runs(o.rationale), style: 'Rationale' }));
    }
    for (const c of o.clauses) {
      const status = c.status
        ? [new TextRun({ text: `  [${statusLabels[c.status] ?? c.status}]`, smallCaps: true, size: 18, color: MUTED })]
        : [];
      body.push(
        new Paragraph({
          spacing: { after: 140 },
          indent: { left: 850, hanging: 850 },
          tabStops: [{ type: TabStopType.LEFT, position: 850 }],
          children: [new TextRun({ text: `${c.number}\t`, bold: true }), ...runs(c.content), ...status],
        }),
        ...threadParagraphs(c.threads),
      );
    }
  }
  if (model.documentThreads.length > 0) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, text: 'Open comments on the whole document' }), ...threadParagraphs(model.documentThreads));
  }
  if (model.annex) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, pageBreakBefore: true, text: `Annex: ${model.annex.title}` }));
    for (const s of model.annex.sections) {
      body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, text: s.heading }), ...s.paragraphs.map((p) => new Paragraph({ text: p, spacing: { after: 120 } })));
    }
  }
  const footerText = model.version ? `${model.version.label} — SHA-256 ${model.version.hash}` : 'Live draft — not a tabled version';
  const document = new Document({
    title: model.title,
    creator: 'Accord',
    description: provenanceLines(model).join(' · '),
    styles: {
      default: { document: { run: { font: 'Georgia', size: 22 } } },
      paragraphStyles: [
        { id: 'Rationale', name: 'Rationale', basedOn: 'Normal', run: { italics: true, color: MUTED } },
      ],
    },
    sections: [
      {
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [
                  new TextRun({ text: `${footerText} — page `, size: 14, color: MUTED }),
                  new TextRun({ children: [PageNumber.CURRENT], size: 14, color: MUTED }),
                ],
              }),
            ],
          }),
        },
        children: body,
      },
    ],
  });
  return Packer.toBuffer(document);
}
