import { bold, bracket, clause, del, doc, heading, ins, link, objective, p, preamble, rationale, title } from '@tests/helpers/builders';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { AKN_NAMESPACE } from './akomaNtoso';
import { buildExportModel, type ExportModel } from './model';
import { renderExport } from './render';

const text = doc(
  title('Framework on Coastal Futures'),
  preamble(p('Recalling the consultations in Veloria & Kestrania,'), p('# not a heading <b>nor HTML</b>')),
  objective(
    { id: 'o-1' },
    heading('Inclusive settlements'),
    rationale('Broad participation lasts.'),
    clause({ id: 'c-1' }, 'States include women ', bracket('at every stage', { group: 'g1' }), '.'),
    clause({ id: 'c-2' }, 'Mandates ', bracket('shall', { group: 'g2', alt: 1 }), ' ', bracket('should', { group: 'g2', alt: 2 }), ' include a ', bold('timetable'), '.'),
  ),
  objective(
    { id: 'o-2' },
    heading('Institutions'),
    clause({ id: 'c-3' }, 'Budgets are published in an ', del({ id: 1 }, 'accessible'), ins({ id: 1 }, 'open'), ' format; see ', link('https://example.org/b', 'the guide'), '.'),
    clause({ id: 'c-4' }, 'Lucía’s clause — with “quotes” and Ελληνικά * _ [x].'),
  ),
);

const parts = {
  clauseStatus: { 'c-1': 'bracketed', 'c-2': 'agreed', 'c-3': 'draft', 'c-4': 'proposed' },
  openThreads: [
    { id: 't1', clauseId: 'c-1', quote: 'at every stage', messages: [{ author: 'Dr. Nadia Ferrant', affiliation: 'Orlandia', at: '2030-03-01T10:00:00.000Z', text: 'Too broad?' }] },
    { id: 't2', clauseId: null, messages: [{ author: 'Jonas', at: '2030-03-02T10:00:00.000Z', text: 'General remark.' }] },
  ],
  consultationAnnex: { title: 'Record of consultation', sections: [{ heading: 'Veloria', paragraphs: ['Consulted 12 groups.'] }] },
};

function model(options = { status: true, annex: true, threads: true }, version = true): ExportModel {
  return buildExportModel({
    documentId: 'doc-1',
    dialogue: 'Dialogue on Coastal Futures',
    doc: text,
    baseline: null,
    parts,
    version: version
      ? { label: 'Rev.1', meeting: 'Second plenary', note: null, frozenAt: '2030-03-04T09:30:00.000Z', frozenBy: 'Amara', hash: 'f'.repeat(64) }
      : null,
    options,
    now: new Date('2030-03-05T12:00:00.000Z'),
  });
}

const clauseNumbers = ['1.1', '1.2', '2.1', '2.2'];

describe('exports', () => {
  it('makes a DOCX that opens as a zip with the text, numbers, label and hash in word/document.xml', async () => {
    const file = await renderExport('docx', model());
    const entries = unzipSync(file.body);
    expect(Object.keys(entries)).toContain('[Content_Types].xml');
    const xml = strFromU8(entries['word/document.xml']!);
    expect(XMLValidator.validate(xml)).toBe(true);
    const visible = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
    for (const expected of ['Framework on Coastal Futures', 'Rev.1 — Second plenary', 'Frozen 4 March 2030, 09:30 UTC by Amara', `SHA-256 ${'f'.repeat(64)}`, 'Inclusive settlements', '[at every stage]', '[Alt 1 shall]', '[Alt 2 should]', 'Lucía’s clause', 'Agreed', 'Too broad?', 'Record of consultation']) {
      expect(visible).toContain(expected.replace('[Alt 1 shall]', '[Alt 1 shall]'));
    }
    for (const number of clauseNumbers) expect(visible).toContain(`${number}\t`.trim());
  });

  it('makes Akoma Ntoso that parses as XML, with one clause element per clause carrying its eId', async () => {
    const file = await renderExport('akn', model());
    const xml = new TextDecoder().decode(file.body);
    expect(XMLValidator.validate(xml)).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['hcontainer', 'clause', 'inline'].includes(name) }).parse(xml) as {
      akomaNtoso: { '@xmlns': string; doc: { '@name': string; mainBody: { hcontainer: { '@eId': string; num: string; clause: { '@eId': string; '@GUID': string; '@refersTo'?: string; num: string; content: { p: { inline?: { '@eId': string; '@alternativeTo'?: string }[] } } }[] }[] } } };
    };
    expect(parsed.akomaNtoso['@xmlns']).toBe(AKN_NAMESPACE);
    const objectives = parsed.akomaNtoso.doc.mainBody.hcontainer;
    expect(objectives.map((o) => o['@eId'])).toEqual(['objective_o-1', 'objective_o-2']);
    const clauses = objectives.flatMap((o) => o.clause);
    expect(clauses.map((c) => c['@eId'])).toEqual(['clause_c-1', 'clause_c-2', 'clause_c-3', 'clause_c-4']);
    expect(clauses.map((c) => String(c.num))).toEqual(clauseNumbers);
    expect(clauses[1]!['@refersTo']).toBe('#status-agreed');
    // The second alternative points at the first.
    const [first, second] = clauses[1]!.content.p.inline!;
    expect(second!['@alternativeTo']).toBe(first!['@eId']);
    expect(xml).toContain(`sha256="${'f'.repeat(64)}"`);
    expect((xml.match(/<clause /g) ?? []).length).toBe(4);
  });

  it('makes Akoma Ntoso whose elements come in the order the 3.0 schema requires', async () => {
    // The sequences of akomantoso30.xsd that this export uses: `doc` (openStructure), the FRBR groups
    // (coreProperties, workProperties, exprProperties) and `hierarchy`, which holds either a lone
    // content or intro?, sub-levels*, wrapUp? — never intro and content together.
    const withEmptyObjectives = doc(
      title('Framework'),
      objective({ id: 'o-1' }, heading('Has clauses'), rationale('Why.'), clause({ id: 'c-1' }, 'Text.')),
      objective({ id: 'o-2' }, heading('Only a rationale'), rationale('Clauses to come.')),
      objective({ id: 'o-3' }, heading('Nothing yet')),
    );
    const built = (version: boolean) =>
      buildExportModel({
        documentId: 'd',
        dialogue: 'D',
        doc: withEmptyObjectives,
        baseline: null,
        parts,
        version: version ? { label: 'Rev.1', meeting: null, note: null, frozenAt: '2030-03-04T09:30:00.000Z', frozenBy: 'A', hash: 'f'.repeat(64) } : null,
        options: { status: true, annex: true, threads: true },
      });
    for (const version of [true, false]) {
      const xml = new TextDecoder().decode((await renderExport('akn', built(version))).body);
      const root = new XMLParser({ preserveOrder: true, ignoreAttributes: false }).parse(xml) as OrderedNode[];
      const akn = only(root, 'akomaNtoso');
      const docNode = only(akn, 'doc');
      expect(inOrder(names(docNode), ['meta', 'preface', 'preamble', 'mainBody', 'conclusions']), names(docNode).join()).toBe(true);
      const identification = only(only(docNode, 'meta'), 'identification');
      const core = ['FRBRthis', 'FRBRuri', 'FRBRdate', 'FRBRauthor'];
      expect(names(only(identification, 'FRBRWork'))).toEqual([...core, 'FRBRcountry']);
      expect(names(only(identification, 'FRBRExpression'))).toEqual([...core, ...(version ? ['FRBRversionNumber'] : []), 'FRBRlanguage']);
      expect(names(only(identification, 'FRBRManifestation'))).toEqual(core);
      const objectives = children(only(docNode, 'mainBody')).filter((n) => nameOf(n) === 'hcontainer');
      expect(objectives.map((o) => names(children(o)))).toEqual([
        ['num', 'heading', 'intro', 'clause'],
        ['num', 'heading', 'intro'],
        ['num', 'heading', 'content'],
      ]);
      const clauseNode = children(objectives[0]!).find((n) => nameOf(n) === 'clause')!;
      expect(names(children(clauseNode))).toEqual(['num', 'content']);
    }
  });

  it('makes Markdown and HTML that contain every clause number, with text escaped', async () => {
    const md = new TextDecoder().decode((await renderExport('md', model())).body);
    const html = new TextDecoder().decode((await renderExport('html', model())).body);
    for (const number of clauseNumbers) {
      expect(md).toContain(`**${number}**`);
      expect(html).toContain(`<span class="num">${number}</span>`);
    }
    expect(md).toContain('\\[Alt 1 shall\\]');
    expect(md).toContain('\\# not a heading \\<b\\>nor HTML\\</b\\>');
    expect(md).toContain(`SHA-256 ${'f'.repeat(64)}`);
    // A version's export carries its label, freeze date and hash.
    for (const text of [md, html]) {
      expect(text).toContain('Rev.1 — Second plenary');
      expect(text).toContain('Frozen 4 March 2030, 09:30 UTC by Amara');
      expect(text).toContain(`SHA-256 ${'f'.repeat(64)}`);
    }
    expect(html).toContain('&lt;b&gt;nor HTML&lt;/b&gt;');
    expect(html).not.toContain('<b>nor HTML</b>');
    expect(html).toContain('<del>accessible</del><ins>open</ins>');
    expect(html).toContain('<span class="status">Agreed</span>');
  });

  it('makes a PDF document', async () => {
    const file = await renderExport('pdf', model());
    const head = new TextDecoder().decode(file.body.slice(0, 8));
    const tail = new TextDecoder().decode(file.body.slice(-8));
    expect(head.startsWith('%PDF-')).toBe(true);
    expect(tail).toContain('%%EOF');
    expect(file.body.byteLength).toBeGreaterThan(2000);
  });

  it('leaves out statuses, threads and the annex unless asked, and says when the text is the live draft', async () => {
    const plain = model({ status: false, annex: false, threads: false }, false);
    const md = new TextDecoder().decode((await renderExport('md', plain)).body);
    expect(md).not.toContain('Agreed');
    expect(md).not.toContain('Too broad?');
    expect(md).not.toContain('Record of consultation');
    expect(md).toContain('Live draft as of 5 March 2030, 12:00 UTC');
  });

  it('turns an option off when its part is missing or malformed', () => {
    const built = buildExportModel({
      documentId: 'd',
      dialogue: 'D',
      doc: text,
      baseline: null,
      parts: { clauseStatus: { 'c-1': 'not-a-status' } },
      version: null,
      options: { status: true, annex: true, threads: true },
    });
    expect(built.options).toEqual({ status: false, annex: false, threads: false });
    expect(built.objectives[0]!.clauses[0]!.status).toBeNull();
  });
});

/** A node of fast-xml-parser's `preserveOrder` output: one element name mapped to its children. */
type OrderedNode = Record<string, unknown>;

function nameOf(node: OrderedNode): string {
  return Object.keys(node).find((k) => k !== ':@') ?? '';
}

function children(node: OrderedNode | OrderedNode[]): OrderedNode[] {
  const list = Array.isArray(node) ? node : ((node[nameOf(node)] ?? []) as OrderedNode[]);
  // Text nodes are `#text`; only elements matter for the content model.
  return list.filter((n) => !nameOf(n).startsWith('#'));
}

function names(node: OrderedNode | OrderedNode[]): string[] {
  return children(node).map(nameOf);
}

function only(node: OrderedNode | OrderedNode[], name: string): OrderedNode {
  const found = children(node).filter((n) => nameOf(n) === name);
  if (found.length !== 1) throw new Error(`expected one <${name}>, found ${found.length}`);
  return found[0]!;
}

/** Whether `actual` lists elements of `order`, each at most once, in that order. */
function inOrder(actual: string[], order: string[]): boolean {
  const positions = actual.map((n) => order.indexOf(n));
  return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!));
}
