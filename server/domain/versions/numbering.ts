import type { NumberingBaseline } from '@shared/numbering';
import type { ServerContext } from '../../context';
import type { DocumentRecord } from '../../store/documents';
import { Versions } from '../../store/versions';
import { parseVersion } from './readVersion';

/** How the live draft is numbered: the "bis" baseline in force, and the version it comes from. */
export interface LiveNumbering {
  bisNumbering: boolean;
  baseline: NumberingBaseline | null;
  basedOn: { id: string; label: string } | null;
}

/**
 * The numbering of a document's live draft. With the `bisNumbering` setting on and at least one
 * version frozen, insertions are numbered against the latest version's numbers ("4 bis"); otherwise
 * the draft is numbered plainly.
 */
export async function liveNumbering(ctx: ServerContext, document: DocumentRecord): Promise<LiveNumbering> {
  if (!document.settings.bisNumbering) return { bisNumbering: false, baseline: null, basedOn: null };
  const latest = await new Versions(ctx.store).latestWithContent(document.id);
  if (!latest) return { bisNumbering: true, baseline: null, basedOn: null };
  const { content } = parseVersion(latest);
  return { bisNumbering: true, baseline: content.numbering, basedOn: { id: latest.id, label: latest.label } };
}
