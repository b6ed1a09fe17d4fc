import { Document, Footer, HeadingLevel, Packer, PageNumber, Paragraph, TextRun } from 'docx';
import type { FeedbackReport, FeedbackThread } from '@shared/rounds/feedback';
import { clauseHeading } from '@shared/rounds/feedback';
import { carriedLine, formatTime, personLabel, placeOf, reportProvenance, summaryLine } from './text';

const MUTED = '57606A';
const GREEN = '1A7F37';

function threadParagraphs(t: FeedbackThread, withPlace: boolean): Paragraph[] {
  const [first, ...replies] = t.comments;
  const out: Paragraph[] = [
    new Paragraph({
      spacing: { before: 120, after: 40 },
      children: [
        ...(withPlace ? [new TextRun({ text: `${placeOf(t)} · `, color: MUTED })] : []),
        new TextRun({ text: personLabel(t.givenBy), bold: true }),
        new TextRun({ text: `, ${formatTime(t.givenAt)}${t.status === 'resolved' ? ' (resolved)' : ''}`, color: MUTED }),
      ],
    }),
  ];
  if (t.quote) out.push(new Paragraph({ indent: { left: 567 }, children: [new TextRun({ text: `“${t.quote}”`, italics: true, color: MUTED })] }));
  if (first) {
    out.push(new Paragraph({ indent: { left: 567 }, children: [new TextRun(first.text)] }));
    if (first.proposedWording !== null) {
      out.push(new Paragraph({ indent: { left: 567 }, children: [new TextRun({ text: 'Proposed wording: ', bold: true }), new TextRun({ text: first.proposedWording, color: GREEN })] }));
    }
  }
  for (const r of replies) {
    out.push(
      new Paragraph({
        indent: { left: 1134 },
        children: [
          new TextRun({ text: `${personLabel(r.author)}, ${formatTime(r.at)}: `, bold: true, color: MUTED }),
          new TextRun(r.text),
          ...(r.proposedWording !== null ? [new TextRun({ text: ` Proposed wording: ${r.proposedWording}`, color: GREEN })] : []),
        ],
      }),
    );
  }
  const carried = carriedLine(t);
  if (carried) out.push(new Paragraph({ indent: { left: 567 }, children: [new TextRun({ text: `✓ ${carried}`, color: GREEN, size: 18 })] }));
  return out;
}

/** The feedback report as a Word file, made with the `docx` library like the text's own exports. */
export async function renderFeedbackDocx(report: FeedbackReport): Promise<Buffer> {
  const body: Paragraph[] = [
    new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(`Feedback report — ${report.round.title}`)] }),
    ...reportProvenance(report).map((line) => new Paragraph({ spacing: { after: 40 }, children: [new TextRun({ text: line, size: 18, color: MUTED })] })),
    new Paragraph({ spacing: { before: 160, after: 160 }, children: [new TextRun({ text: summaryLine(report), bold: true })] }),
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('By clause')] }),
  ];
  if (report.byClause.length === 0) body.push(new Paragraph('No feedback.'));
  for (const group of report.byClause) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(clauseHeading(group.number, group.clauseId))] }));
    if (group.text) body.push(new Paragraph({ children: [new TextRun({ text: group.text, italics: true, color: MUTED })] }));
    for (const t of group.threads) body.push(...threadParagraphs(t, false));
  }
  body.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun('By country')] }));
  if (report.byCountry.length === 0) body.push(new Paragraph('No validators yet.'));
  for (const group of report.byCountry) {
    body.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun(group.country)] }));
    body.push(
      new Paragraph({
        children: [new TextRun({ text: `Validators: ${group.validators.map((v) => `${v.name} (${v.threads})`).join(', ')}`, color: MUTED })],
      }),
    );
    if (group.threads.length === 0) body.push(new Paragraph('No feedback from this country.'));
    for (const t of group.threads) body.push(...threadParagraphs(t, true));
  }
  const doc = new Document({
    creator: 'Accord',
    title: `Feedback report — ${report.round.title}`,
    sections: [
      {
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                children: [
                  new TextRun({ text: `${report.version.label} · SHA-256 ${report.version.hash} · page `, size: 14, color: MUTED }),
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
  return Packer.toBuffer(doc);
}
