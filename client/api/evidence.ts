import {
  type CreateExcerptBody,
  type CreateLinkBody,
  type CreateReportBody,
  type EvidenceLink,
  type Excerpt,
  type ExcerptList,
  evidenceLinkListSchema,
  evidenceLinkResponseSchema,
  excerptListSchema,
  excerptResponseSchema,
  type Facets,
  facetsSchema,
  type ImportFields,
  type ImportProgress,
  importProgressSchema,
  type LibrarySearchQuery,
  type ReportDetail,
  type ReportList,
  reportListSchema,
  reportResponseSchema,
  type UpdateExcerptBody,
  type UpdateLinkBody,
  type UpdateReportBody,
} from '@shared/api/evidence';
import { type Coverage, coverageSchema } from '@shared/evidence/coverage';
import { type ConsultationRecord, consultationRecordSchema } from '@shared/evidence/record';
import { z } from 'zod';
import { ApiError, request } from './client';

const enc = encodeURIComponent;
const lib = (dialogueId: string) => `/api/dialogues/${enc(dialogueId)}/evidence`;
const docEvidence = (documentId: string) => `/api/documents/${enc(documentId)}/evidence`;

/** The filters of a library query, as the client passes them (everything optional). */
export type LibraryFilters = Partial<Omit<LibrarySearchQuery, 'limit' | 'offset'>> & { limit?: number; offset?: number };

function queryString(filters: LibraryFilters): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The typed evidence API: library, excerpts, links, coverage and record of consultation. */
export const evidenceApi = {
  facets: (dialogueId: string): Promise<Facets> => request('GET', `${lib(dialogueId)}/facets`, facetsSchema),
  reports: (dialogueId: string, filters: LibraryFilters = {}): Promise<ReportList> =>
    request('GET', `${lib(dialogueId)}/reports${queryString(filters)}`, reportListSchema),
  excerpts: (dialogueId: string, filters: LibraryFilters = {}): Promise<ExcerptList> =>
    request('GET', `${lib(dialogueId)}/excerpts${queryString(filters)}`, excerptListSchema),
  report: async (dialogueId: string, reportId: string): Promise<ReportDetail> =>
    (await request('GET', `${lib(dialogueId)}/reports/${enc(reportId)}`, reportResponseSchema)).report,
  createReport: async (dialogueId: string, body: CreateReportBody): Promise<ReportDetail> =>
    (await request('POST', `${lib(dialogueId)}/reports`, reportResponseSchema, body)).report,
  updateReport: async (dialogueId: string, reportId: string, body: UpdateReportBody): Promise<ReportDetail> =>
    (await request('PATCH', `${lib(dialogueId)}/reports/${enc(reportId)}`, reportResponseSchema, body)).report,
  deleteReport: (dialogueId: string, reportId: string): Promise<void> =>
    request('DELETE', `${lib(dialogueId)}/reports/${enc(reportId)}`, null),
  createExcerpt: async (dialogueId: string, reportId: string, body: CreateExcerptBody): Promise<Excerpt> =>
    (await request('POST', `${lib(dialogueId)}/reports/${enc(reportId)}/excerpts`, excerptResponseSchema, body)).excerpt,
  updateExcerpt: async (dialogueId: string, excerptId: string, body: UpdateExcerptBody): Promise<Excerpt> =>
    (await request('PATCH', `${lib(dialogueId)}/excerpts/${enc(excerptId)}`, excerptResponseSchema, body)).excerpt,
  deleteExcerpt: (dialogueId: string, excerptId: string): Promise<void> =>
    request('DELETE', `${lib(dialogueId)}/excerpts/${enc(excerptId)}`, null),
  importProgress: (dialogueId: string, uploadId: string): Promise<ImportProgress> =>
    request('GET', `${lib(dialogueId)}/imports/${enc(uploadId)}`, importProgressSchema),

  links: async (documentId: string): Promise<EvidenceLink[]> =>
    (await request('GET', `${docEvidence(documentId)}/links`, evidenceLinkListSchema)).links,
  link: async (documentId: string, body: CreateLinkBody): Promise<EvidenceLink> =>
    (await request('POST', `${docEvidence(documentId)}/links`, evidenceLinkResponseSchema, body)).link,
  updateLink: async (documentId: string, linkId: string, body: UpdateLinkBody): Promise<EvidenceLink> =>
    (await request('PATCH', `${docEvidence(documentId)}/links/${enc(linkId)}`, evidenceLinkResponseSchema, body)).link,
  unlink: (documentId: string, linkId: string): Promise<void> =>
    request('DELETE', `${docEvidence(documentId)}/links/${enc(linkId)}`, null),
  coverage: (documentId: string): Promise<Coverage> => request('GET', `${docEvidence(documentId)}/coverage`, coverageSchema),
  record: (documentId: string): Promise<ConsultationRecord> =>
    request('GET', `${docEvidence(documentId)}/record`, consultationRecordSchema),
  /** Where the browser downloads the coverage CSV (clauses or reports) and the record (Markdown or HTML). */
  downloadUrl: (documentId: string, what: 'coverage-csv' | 'reports-csv' | 'record-md' | 'record-html'): string =>
    ({
      'coverage-csv': `${docEvidence(documentId)}/coverage?format=csv`,
      'reports-csv': `${docEvidence(documentId)}/coverage?format=csv&table=reports`,
      'record-md': `${docEvidence(documentId)}/record?format=markdown`,
      'record-html': `${docEvidence(documentId)}/record?format=html`,
    })[what],
};

/** How an upload stands, for the progress indicator. */
export type UploadPhase =
  | { phase: 'uploading'; loaded: number; total: number }
  | { phase: 'processing'; progress: ImportProgress | null };

const createdReport = z.object({ report: z.object({ id: z.string() }) });

/**
 * Uploads a file to import as a report, with progress: the bytes sent (XHR upload events), then the
 * server's extraction state (polled while the request is open). Resolves with the new report's id;
 * rejects with an `ApiError` carrying the server's message (unreadable file, too large …).
 */
export function importReport(
  dialogueId: string,
  file: File,
  fields: ImportFields,
  onProgress: (phase: UploadPhase) => void,
  signal?: AbortSignal,
): Promise<string> {
  const uploadId = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  const form = new FormData();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== '') form.set(key, String(value));
  form.set('file', file, file.name);

  return new Promise<string>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let polling: ReturnType<typeof setInterval> | null = null;
    const stopPolling = () => {
      if (polling) clearInterval(polling);
      polling = null;
    };
    xhr.open('POST', `${lib(dialogueId)}/imports?uploadId=${uploadId}`);
    xhr.responseType = 'text';
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => {
      onProgress({ phase: 'uploading', loaded: event.loaded, total: event.lengthComputable ? event.total : file.size });
    };
    xhr.upload.onload = () => {
      onProgress({ phase: 'processing', progress: null });
      // The upload is in; ask the server how the extraction goes until the answer comes.
      polling = setInterval(() => {
        evidenceApi
          .importProgress(dialogueId, uploadId)
          .then((progress) => {
            if (polling) onProgress({ phase: 'processing', progress });
          })
          .catch(() => undefined);
      }, 400);
    };
    xhr.onload = () => {
      stopPolling();
      let json: unknown = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        // handled below
      }
      if (xhr.status === 201) {
        const parsed = createdReport.safeParse(json);
        if (parsed.success) resolve(parsed.data.report.id);
        else reject(new ApiError(xhr.status, 'bad_response', 'The server sent a response that could not be read.'));
        return;
      }
      const error = z.object({ error: z.object({ code: z.string(), message: z.string() }) }).safeParse(json);
      reject(
        error.success
          ? new ApiError(xhr.status, error.data.error.code, error.data.error.message)
          : new ApiError(xhr.status, `http_${xhr.status}`, 'The import failed. Please try again.'),
      );
    };
    xhr.onerror = () => {
      stopPolling();
      reject(new ApiError(0, 'network', 'The upload was interrupted. Check your connection and try again.'));
    };
    xhr.onabort = () => {
      stopPolling();
      reject(new ApiError(0, 'aborted', 'The upload was cancelled.'));
    };
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(form);
  });
}
