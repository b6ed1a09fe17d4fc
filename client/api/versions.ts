import {
  type CompareAnswer,
  compareAnswerSchema,
  type ExportFormat,
  exportOptionsAnswerSchema,
  type FreezeBody,
  type NumberingAnswer,
  numberingAnswerSchema,
  type VersionDetail,
  type VersionSummary,
  versionDetailSchema,
  versionListSchema,
  versionSummarySchema,
} from '@shared/api/versions';
import { z } from 'zod';
import { ApiError, request, toApiError } from './client';

const base = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`;
const versionPath = (documentId: string, versionId: string) =>
  `${base(documentId)}/versions/${encodeURIComponent(versionId)}`;

/** Which optional contents an export can include. */
export type ExportOptions = z.infer<typeof exportOptionsAnswerSchema>;

/** The versions API: timeline, freeze, read, compare, restore, numbering, exports. */
export const versionsApi = {
  list: async (documentId: string): Promise<VersionSummary[]> =>
    (await request('GET', `${base(documentId)}/versions`, versionListSchema)).versions,
  freeze: async (documentId: string, body: FreezeBody): Promise<VersionSummary> =>
    (await request('POST', `${base(documentId)}/versions`, z.object({ version: versionSummarySchema }), body))
      .version,
  get: (documentId: string, versionId: string): Promise<VersionDetail> =>
    request('GET', versionPath(documentId, versionId), versionDetailSchema),
  restore: (documentId: string, versionId: string): Promise<unknown> =>
    request('POST', `${versionPath(documentId, versionId)}/restore`, z.unknown(), { confirm: true }),
  compare: (documentId: string, from: string, to: string): Promise<CompareAnswer> =>
    request(
      'GET',
      `${base(documentId)}/compare?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`,
      compareAnswerSchema,
    ),
  numbering: (documentId: string): Promise<NumberingAnswer> =>
    request('GET', `${base(documentId)}/numbering`, numberingAnswerSchema),
  setBisNumbering: (documentId: string, bisNumbering: boolean): Promise<NumberingAnswer> =>
    request('PUT', `${base(documentId)}/numbering`, numberingAnswerSchema, { bisNumbering }),
  /** The version's frozen Yjs state (feedback is anchored into its text). */
  state: async (documentId: string, versionId: string): Promise<Uint8Array> => {
    let response: Response;
    try {
      response = await fetch(`${versionPath(documentId, versionId)}/state`, { credentials: 'same-origin' });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
    }
    if (!response.ok) throw await toApiError(response);
    return new Uint8Array(await response.arrayBuffer());
  },
  exportOptions: (documentId: string, versionId: string | null): Promise<ExportOptions> =>
    request(
      'GET',
      versionId ? `${versionPath(documentId, versionId)}/export/options` : `${base(documentId)}/export/options`,
      exportOptionsAnswerSchema,
    ),
};

/** Where a version's content file (the exact bytes its hash covers) is downloaded from. */
export function contentFileUrl(documentId: string, versionId: string): string {
  return `${versionPath(documentId, versionId)}/content`;
}

/** What to export. */
export interface ExportRequest {
  documentId: string;
  /** A version id, or null for the live draft. */
  versionId: string | null;
  format: ExportFormat;
  status: boolean;
  annex: boolean;
  threads: boolean;
}

/** How far an export download has come: preparing on the server, then received bytes. */
export type ExportProgress =
  | { phase: 'preparing' }
  | { phase: 'downloading'; received: number; total: number | null }
  | { phase: 'done' };

/**
 * Downloads an export, reporting progress: the server prepares the file (long documents take a
 * moment), then its bytes arrive; the browser saves it under the server's file name. Abort with `signal`.
 */
export async function downloadExport(
  req: ExportRequest,
  onProgress: (progress: ExportProgress) => void,
  signal?: AbortSignal,
): Promise<void> {
  const params = new URLSearchParams({
    format: req.format,
    status: req.status ? '1' : '0',
    annex: req.annex ? '1' : '0',
    threads: req.threads ? '1' : '0',
  });
  const path = req.versionId ? `${versionPath(req.documentId, req.versionId)}/export` : `${base(req.documentId)}/export`;
  onProgress({ phase: 'preparing' });
  let response: Response;
  try {
    response = await fetch(`${path}?${params}`, { credentials: 'same-origin', signal });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) {
    let message = 'The export failed. Please try again.';
    try {
      const body = (await response.json()) as { error?: { message?: string } };
      message = body.error?.message ?? message;
    } catch {
      // Not JSON: keep the generic message.
    }
    throw new ApiError(response.status, `http_${response.status}`, message);
  }
  const total = Number(response.headers.get('content-length')) || null;
  const chunks: Uint8Array[] = [];
  let received = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      onProgress({ phase: 'downloading', received, total });
    }
  } else {
    chunks.push(new Uint8Array(await response.arrayBuffer()));
  }
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename="([^"]+)"/.exec(disposition)?.[1] ?? `export.${req.format}`;
  const blob = new Blob(chunks as BlobPart[], { type: response.headers.get('content-type') ?? 'application/octet-stream' });
  saveBlob(blob, name);
  onProgress({ phase: 'done' });
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
