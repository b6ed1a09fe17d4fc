/**
 * What a frozen version is: its canonical content, and the SHA-256 that identifies it. The same code
 * runs on the server (when freezing and when verifying a stored version), in the browser (checking a
 * downloaded file) and in the command-line verifier, so the three always agree.
 *
 * The hash is SHA-256 over the UTF-8 bytes of `canonicalJson(content)`; the version's content file
 * (`<label>.accord.json`) is exactly those bytes, so `sha256sum` on the file gives the hash too.
 */
import { z } from 'zod';
import { canonicalJson } from '../canonicalJson';
import { numberingBaselineSchema, type NumberingBaseline } from '../numbering';

/** Format tag of version content; changes only if the meaning of the fields changes. */
export const VERSION_FORMAT = 'accord.version/1';

/** A ProseMirror node as JSON (`Node.toJSON()`): the form a version keeps its text in. */
export interface ProseMirrorJson {
  type: string;
  attrs?: Record<string, unknown>;
  content?: ProseMirrorJson[];
  marks?: { type: string; attrs?: Record<string, unknown> }[];
  text?: string;
}

/** Validates ProseMirror JSON structurally (the schema check happens when it is turned into a node). */
export const proseMirrorJsonSchema: z.ZodType<ProseMirrorJson> = z.lazy(() =>
  z.object({
    type: z.string().min(1).max(64),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(proseMirrorJsonSchema).optional(),
    marks: z
      .array(z.object({ type: z.string().min(1).max(64), attrs: z.record(z.string(), z.unknown()).optional() }))
      .optional(),
    text: z.string().optional(),
  }),
);

/** The canonical content of a version: everything its hash covers. */
export interface VersionContent {
  format: typeof VERSION_FORMAT;
  document: { id: string; title: string };
  /** "Zero draft", "Rev.1" … */
  label: string;
  /** The meeting the version is tabled for, if any. */
  meeting: string | null;
  note: string | null;
  /** ISO-8601 time of the freeze. */
  frozenAt: string;
  frozenBy: { id: string; name: string };
  /** The text, as ProseMirror JSON of the shared schema. */
  doc: ProseMirrorJson;
  /** The numbers of objectives and clauses as at the freeze, by id. */
  numbering: NumberingBaseline;
  /** SHA-256 (hex) of the encoded Yjs state stored with the version, binding it to this content. */
  yjsStateSha256: string;
  /**
   * Records of other features as at the freeze, by part key (clause statuses, evidence links, open
   * threads …; see `parts.ts`). Each is whatever JSON its provider collected.
   */
  parts: Record<string, unknown>;
}

/** Validates version content read from a file (the verifier) or from storage. */
export const versionContentSchema = z.object({
  format: z.literal(VERSION_FORMAT),
  document: z.object({ id: z.string(), title: z.string() }),
  label: z.string(),
  meeting: z.string().nullable(),
  note: z.string().nullable(),
  frozenAt: z.string(),
  frozenBy: z.object({ id: z.string(), name: z.string() }),
  doc: proseMirrorJsonSchema,
  numbering: numberingBaselineSchema,
  yjsStateSha256: z.string().regex(/^[0-9a-f]{64}$/),
  parts: z.record(z.string(), z.unknown()),
}) satisfies z.ZodType<VersionContent>;

/** The exact text whose SHA-256 is the version's hash (and the bytes of its content file). */
export function canonicalVersionText(content: VersionContent): string {
  return canonicalJson(content);
}

/** Lowercase hex SHA-256 of a string (as UTF-8) or of bytes, with Web Crypto (browser and Node alike). */
export async function sha256Hex(input: string | Uint8Array): Promise<string> {
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  // Copied into a plain ArrayBuffer: digest() refuses views over shared or resizable buffers.
  const digest = await crypto.subtle.digest('SHA-256', bytes.slice().buffer as ArrayBuffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The hash of version content: SHA-256 of its canonical text. */
export function versionContentHash(content: VersionContent): Promise<string> {
  return sha256Hex(canonicalVersionText(content));
}

/** The result of checking a file or a stored version against a hash. */
export type VerifyResult =
  | { ok: true; hash: string; content: VersionContent }
  | { ok: false; reason: 'not_json' | 'not_version' | 'mismatch'; hash?: string; message: string };

/**
 * Checks that `text` (a version's content file, possibly re-indented) is version content and, when
 * `expectedHash` is given, that it hashes to it. Re-canonicalising first means a file that was
 * pretty-printed or re-saved still verifies, while any change to a value does not.
 */
export async function verifyVersionText(text: string, expectedHash?: string): Promise<VerifyResult> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not_json', message: 'The file is not JSON.' };
  }
  const parsed = versionContentSchema.safeParse(raw);
  if (!parsed.success) {
    return { ok: false, reason: 'not_version', message: 'The file is not the content of an Accord version.' };
  }
  // Hash what the file holds (not the parsed copy, which drops unknown keys): any addition counts.
  const hash = await sha256Hex(canonicalJson(raw));
  if (expectedHash !== undefined && hash !== expectedHash.trim().toLowerCase()) {
    return {
      ok: false,
      reason: 'mismatch',
      hash,
      message: 'The file does not match: its text differs from the text that was tabled.',
    };
  }
  return { ok: true, hash, content: parsed.data };
}
