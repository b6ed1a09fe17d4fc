import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalVersionText, sha256Hex, VERSION_FORMAT, type VersionContent, versionContentHash, verifyVersionText } from './content';

const content: VersionContent = {
  format: VERSION_FORMAT,
  document: { id: 'd1', title: 'Framework' },
  label: 'Rev.1',
  meeting: 'Second plenary',
  note: null,
  frozenAt: '2030-03-04T09:30:00.000Z',
  frozenBy: { id: 'u1', name: 'Amara' },
  doc: { type: 'doc', content: [{ type: 'title', content: [{ type: 'text', text: 'Framework' }] }] },
  numbering: { objectives: {}, clauses: {} },
  yjsStateSha256: 'a'.repeat(64),
  parts: { clauseStatus: { c1: 'agreed' } },
};

describe('version content hash', () => {
  it('is the SHA-256 of the canonical text, the same as Node computes over the file bytes', async () => {
    const text = canonicalVersionText(content);
    expect(await versionContentHash(content)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    expect(await sha256Hex(new TextEncoder().encode(text))).toBe(await versionContentHash(content));
  });

  it('does not depend on the order of keys', async () => {
    const reordered = Object.fromEntries(Object.entries(content).reverse()) as unknown as VersionContent;
    expect(await versionContentHash(reordered)).toBe(await versionContentHash(content));
  });

  it('verifies a re-indented file and rejects any changed or added value', async () => {
    const hash = await versionContentHash(content);
    const text = canonicalVersionText(content);
    expect(await verifyVersionText(JSON.stringify(JSON.parse(text), null, 2), hash)).toMatchObject({ ok: true, hash });
    expect(await verifyVersionText(text.replace('agreed', 'bracketed'), hash)).toMatchObject({ ok: false, reason: 'mismatch' });
    const added = JSON.stringify({ ...content, extra: 1 });
    expect(await verifyVersionText(added, hash)).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('says when a file is not JSON or not a version', async () => {
    expect(await verifyVersionText('{nope')).toMatchObject({ ok: false, reason: 'not_json' });
    expect(await verifyVersionText('{"format":"other"}')).toMatchObject({ ok: false, reason: 'not_version' });
  });
});
