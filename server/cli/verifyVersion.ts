/**
 * Checks a version content file (`<label>.accord.json`, downloaded from Accord) against the hash
 * that was published when the version was tabled:
 *
 *   npm run verify-version -- Rev.1.accord.json 9f86d081…
 *
 * Prints what the file is (document, label, when and by whom it was frozen) and its SHA-256, and exits
 * 0 when it matches the expected hash (or when none is given and the file is a version), 1 otherwise.
 * The file is re-canonicalised first, so re-indenting it does not matter; changing any value does.
 */
import { readFile } from 'node:fs/promises';
import { verifyVersionText } from '@shared/versions/content';

async function main(argv: string[]): Promise<number> {
  const [file, expected] = argv;
  if (!file || file === '--help' || file === '-h') {
    process.stdout.write('Usage: npm run verify-version -- <version.accord.json> [expected-sha256]\n');
    return file ? 0 : 2;
  }
  if (expected !== undefined && !/^[0-9a-fA-F]{64}$/.test(expected.trim())) {
    process.stderr.write('The expected hash must be 64 hexadecimal characters (a SHA-256).\n');
    return 2;
  }
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    process.stderr.write(`Cannot read ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  const result = await verifyVersionText(text, expected);
  if (!result.ok) {
    process.stdout.write(`${result.message}\n${result.hash ? `SHA-256 of the file: ${result.hash}\n` : ''}`);
    return 1;
  }
  const c = result.content;
  process.stdout.write(
    [
      `Document: ${c.document.title} (${c.document.id})`,
      `Version:  ${c.label}${c.meeting ? ` — ${c.meeting}` : ''}`,
      `Frozen:   ${c.frozenAt} by ${c.frozenBy.name}`,
      `SHA-256:  ${result.hash}`,
      expected ? 'OK: the file is exactly the text that was tabled.' : 'Compare this SHA-256 with the one published for the version.',
      '',
    ].join('\n'),
  );
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
