/**
 * `node --import tsx tests/bench/exports.ts [--clauses 500]`: how long each export format and a
 * comparison take on a large framework (20 objectives; clauses with brackets and alternatives).
 * Prints one line per format: median and max of 5 runs after a warm-up, and the file size.
 */
import { parseArgs } from 'node:util';
import { compareDocuments } from '@shared/diff';
import { bracket, clause, doc, heading, objective, title } from '@tests/helpers/builders';
import { buildExportModel } from '../../server/domain/export/model';
import { renderExport } from '../../server/domain/export/render';

const { values } = parseArgs({ options: { clauses: { type: 'string', default: '500' } } });
const clauseCount = Number(values.clauses);
const objectives = 20;
const perObjective = Math.max(1, Math.round(clauseCount / objectives));

function framework(variant: number) {
  return doc(
    title('Large framework'),
    ...Array.from({ length: objectives }, (_, o) =>
      objective(
        { id: `o-${o}` },
        heading(`Objective ${o + 1}`),
        ...Array.from({ length: perObjective }, (_, c) =>
          clause(
            { id: `c-${o}-${c}` },
            `Participating states will strengthen the independence of oversight body ${o}.${c}${variant && c % 7 === 0 ? ' without delay' : ''} and protect those who report `,
            bracket('wrongdoing', { group: `g-${o}-${c}`, alt: 1 }),
            ' ',
            bracket('misconduct', { group: `g-${o}-${c}`, alt: 2 }),
            ' from retaliation.',
          ),
        ),
      ),
    ),
  );
}

async function time(run: () => Promise<unknown> | unknown): Promise<{ median: number; max: number }> {
  await run();
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
  }
  samples.sort((a, b) => a - b);
  return { median: samples[2]!, max: samples[4]! };
}

const text = framework(0);
const model = buildExportModel({
  documentId: 'bench',
  dialogue: 'Bench dialogue',
  doc: text,
  baseline: null,
  parts: {},
  version: { label: 'Rev.1', meeting: null, note: null, frozenAt: new Date().toISOString(), frozenBy: 'Bench', hash: 'f'.repeat(64) },
  options: { status: false, annex: false, threads: false },
});
process.stdout.write(`${objectives * perObjective} clauses, ${text.textContent.length} characters\n`);
for (const format of ['docx', 'pdf', 'md', 'html', 'akn'] as const) {
  let size = 0;
  const t = await time(async () => {
    size = (await renderExport(format, model)).body.byteLength;
  });
  process.stdout.write(`${format.padEnd(5)} median ${t.median.toFixed(0)} ms, max ${t.max.toFixed(0)} ms, ${Math.round(size / 1024)} KB\n`);
}
const changed = framework(1);
const t = await time(() => compareDocuments({ doc: text }, { doc: changed }));
process.stdout.write(`compare median ${t.median.toFixed(0)} ms, max ${t.max.toFixed(0)} ms\n`);
