/**
 * The seam through which other features put their records into a version. A part is a key and a
 * function that collects, for one document, the JSON to keep at the moment of a freeze (clause
 * statuses, evidence links, open threads, the record-of-consultation annex …). The collected JSON is
 * stored in the version's content and covered by its hash; compare and export read the well-known
 * keys through the schemas in `shared/versions/parts.ts`. The live draft's exports collect the same
 * parts at export time.
 *
 * A feature registers its part once, when its module loads (for example at the top of its route
 * module, which `server/http/app.ts` imports):
 *
 * ```ts
 * registerSnapshotPart({ key: partKeys.clauseStatus, collect: (ctx, documentId) => statusesOf(ctx, documentId) });
 * ```
 */
import type { Node } from 'prosemirror-model';
import type { ServerContext } from '../../context';

/** One feature's contribution to a snapshot. */
export interface SnapshotPart {
  /** Unique key under `parts` in the version content (see `partKeys` in shared/versions/parts.ts). */
  key: string;
  /**
   * Collects the part's JSON for a document, as it stands now. `doc` is the text being frozen or
   * exported (so a part can follow its clauses), `state` its encoded Yjs state when the caller has it
   * (so a part can resolve anchors made of Yjs relative positions). Must be JSON-serialisable.
   */
  collect(ctx: ServerContext, documentId: string, doc: Node, state?: Uint8Array): Promise<unknown>;
}

const registered = new Map<string, SnapshotPart>();

/** Registers a part; registering the same key again replaces it (module reloads in development). */
export function registerSnapshotPart(part: SnapshotPart): void {
  registered.set(part.key, part);
}

/** The registered parts, in registration order. */
export function snapshotParts(): readonly SnapshotPart[] {
  return [...registered.values()];
}

/**
 * Collects every registered part for a document. The values are passed through JSON so what is
 * stored is exactly what is hashed. A provider that fails fails the whole collection: a version is
 * never frozen with a part silently missing.
 */
export async function collectSnapshotParts(
  ctx: ServerContext,
  documentId: string,
  doc: Node,
  state?: Uint8Array,
): Promise<Record<string, unknown>> {
  const entries = await Promise.all(
    snapshotParts().map(async (part) => {
      const value = await part.collect(ctx, documentId, doc, state);
      return [part.key, value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown)] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Collects one part for a document as it stands now; undefined when no feature registered `key`. */
export async function collectPart(
  ctx: ServerContext,
  documentId: string,
  key: string,
  doc: Node,
  state?: Uint8Array,
): Promise<unknown> {
  const part = registered.get(key);
  if (!part) return undefined;
  const value = await part.collect(ctx, documentId, doc, state);
  return value === undefined ? null : (JSON.parse(JSON.stringify(value)) as unknown);
}
