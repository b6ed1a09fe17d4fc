import { docxFile, pdfFile } from '@tests/helpers/fileFixtures';
import { describe, expect, it } from 'vitest';
import { extractTextInWorker, parseInWorker } from './extractInWorker';
import { detectFormat, extractText, ImportError, markdownToText, normalizeText } from './extractText';

const utf8 = (text: string) => new TextEncoder().encode(text);

async function refusal(promise: Promise<unknown>): Promise<ImportError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof ImportError) return err;
    throw err;
  }
  throw new Error('expected the extraction to be refused');
}

describe('extractText', () => {
  it('reads UTF-8 plain text and takes its first line as the title', async () => {
    const result = await extractText(utf8('Kestrania consultation\r\n\r\n\r\nWe met in Sélmar.  \n'), {
      filename: 'k.txt',
      mediaType: 'text/plain',
    });
    expect(result).toEqual({ format: 'text', text: 'Kestrania consultation\n\nWe met in Sélmar.', title: 'Kestrania consultation' });
  });

  it('turns Markdown into readable text and takes its first heading as the title', async () => {
    const md = '# Orlandia *regional* validation\n\nParticipants asked for **local** hiring; see [the annex](http://x.test).\n\n- one\n- two\n\n```\ncode stays\n```\n';
    const result = await extractText(utf8(md), { filename: 'o.md', mediaType: '' });
    expect(result.format).toBe('markdown');
    expect(result.title).toBe('Orlandia regional validation');
    expect(result.text).toBe(
      'Orlandia regional validation\n\nParticipants asked for local hiring; see the annex.\n\n• one\n• two\n\ncode stays',
    );
  });

  it('extracts the paragraphs of a DOCX written by the docx library', async () => {
    const bytes = await docxFile({ title: 'Marisca thematic meeting', paragraphs: ['Victims asked for redress.', 'Archives must be kept.'] });
    const result = await extractText(bytes, { filename: 'marisca.docx', mediaType: '' });
    expect(result.format).toBe('docx');
    expect(result.title).toBe('Marisca thematic meeting');
    expect(result.text).toBe('Marisca thematic meeting\n\nVictims asked for redress.\n\nArchives must be kept.');
  });

  it('extracts every page of a PDF, reports page progress and reads its title', async () => {
    const bytes = pdfFile({ title: 'Tavaro summary', pages: [['Informal workers lost all income.', 'Markets closed.'], ['A common register was proposed.']] });
    const progress: string[] = [];
    const result = await extractText(bytes, { filename: 'tavaro.pdf', mediaType: 'application/pdf' }, (p) =>
      progress.push(`${p.done}/${p.total}`),
    );
    expect(result.format).toBe('pdf');
    expect(result.title).toBe('Tavaro summary');
    expect(result.text).toContain('Informal workers lost all income.');
    expect(result.text).toContain('Markets closed.');
    expect(result.text.indexOf('A common register was proposed.')).toBeGreaterThan(result.text.indexOf('Markets closed.'));
    expect(progress).toEqual(['0/2', '1/2', '2/2']);
  });

  it('refuses a damaged DOCX, a damaged PDF and a PDF without text as unreadable (422)', async () => {
    const docx = await docxFile({ title: 'T', paragraphs: ['x'] });
    for (const [bytes, filename] of [
      [docx.slice(0, docx.length / 2), 'half.docx'],
      [utf8('this is not a zip'), 'fake.docx'],
      [utf8('%PDF-1.4\nnothing else'), 'broken.pdf'],
      [pdfFile({ pages: [[]] }), 'scan.pdf'],
    ] as const) {
      const err = await refusal(extractText(bytes, { filename, mediaType: '' }));
      expect(err.status, filename).toBe(422);
      expect(err.code).toBe('unreadable_file');
    }
  });

  it('refuses binary data posing as text, and unknown formats with 415', async () => {
    expect((await refusal(extractText(new Uint8Array([104, 0, 105]), { filename: 'a.txt', mediaType: '' }))).status).toBe(422);
    expect((await refusal(extractText(new Uint8Array([0xff, 0xd8, 0xff]), { filename: 'photo.jpg', mediaType: 'image/jpeg' }))).status).toBe(415);
  });

  it('recognises formats by their bytes before their names', () => {
    expect(detectFormat('report', '', utf8('%PDF-1.7'))).toBe('pdf');
    expect(detectFormat('report.bin', 'application/pdf', utf8('x'))).toBe('pdf');
    expect(detectFormat('notes.markdown', '', utf8('# x'))).toBe('markdown');
    expect(() => detectFormat('sheet.xlsx', '', utf8('x'))).toThrow(ImportError);
  });

  it('normalises line ends, control characters and runs of empty lines', () => {
    expect(normalizeText('  a\u0002b\r\nc \t\n\n\n\nd\u00a0e  ')).toBe('ab\nc\n\nd e');
    expect(markdownToText('## Title ##\n| a | b |\n|---|---|\n| 1 | 2 |').text).toBe('Title\na  b\n1  2');
  });
});

describe('extraction in a worker thread', () => {
  it('reads a PDF off the event loop, reporting progress, with the same result as in process', async () => {
    const bytes = pdfFile({ title: 'Worker', pages: [['First page.'], ['Second page.'], ['Third page.']] });
    const pages: number[] = [];
    const result = await extractTextInWorker(bytes, { filename: 'w.pdf', mediaType: '' }, (p) => pages.push(p.done));
    expect(result).toEqual(await extractText(bytes, { filename: 'w.pdf', mediaType: '' }));
    expect(pages).toEqual([0, 1, 2, 3]);
  });

  it('refuses a damaged Word file with the same sentence as in process', async () => {
    const err = await refusal(extractTextInWorker(utf8('not a zip'), { filename: 'x.docx', mediaType: '' }));
    expect(err).toMatchObject({ status: 422, code: 'unreadable_file', message: expect.stringContaining('Word file') });
  });

  it('stops a worker that takes too long and refuses the file', async () => {
    const slow = parseInWorker({ timeoutMs: 1 });
    const err = await refusal(extractText(pdfFile({ pages: [['x']] }), { filename: 'slow.pdf', mediaType: '' }, undefined, slow));
    expect(err).toMatchObject({ status: 422, message: expect.stringContaining('took too long') });
  });
});
