import type { z } from 'zod';
import {
  type DocumentMeta,
  type DocumentSummary,
  documentMetaSchema,
  documentSummarySchema,
  errorBodySchema,
  sessionSchema,
  type User,
} from './schemas';

/**
 * A failed API call. `status` is the HTTP status (0 when the server could not be reached), `code` the
 * server's machine-readable error code and `message` a sentence that can be shown to people.
 */
export class ApiError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/** True when `error` says the session is missing or expired. */
export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

export type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH' | 'PUT';

/**
 * Calls the API: JSON in, JSON out, validated with `schema` (null for no body). Feature API modules
 * (`client/api/evidence.ts` …) build on it.
 */
export async function request<T>(
  method: Method,
  path: string,
  schema: z.ZodType<T> | null,
  body?: unknown,
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers:
        body === undefined
          ? { accept: 'application/json' }
          : { 'content-type': 'application/json', accept: 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
  }
  if (!response.ok) throw await toApiError(response);
  if (schema === null || response.status === 204) return undefined as T;
  let json: unknown;
  try {
    json = await response.json();
  } catch {
    throw new ApiError(response.status, 'bad_response', 'The server sent a response that could not be read.');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new ApiError(response.status, 'bad_response', 'The server sent a response in an unexpected shape.');
  }
  return parsed.data;
}

/** The `ApiError` of a failed response (its JSON error body, or a message from its status). */
export async function toApiError(response: Response): Promise<ApiError> {
  let json: unknown = null;
  try {
    json = await response.json();
  } catch {
    // Not JSON (a proxy error page, say): fall back to a message from the status.
  }
  const parsed = errorBodySchema.safeParse(json);
  if (parsed.success) return new ApiError(response.status, parsed.data.error.code, parsed.data.error.message);
  return new ApiError(response.status, `http_${response.status}`, fallbackMessage(response.status));
}

function fallbackMessage(status: number): string {
  if (status === 401) return 'Please sign in.';
  if (status === 403) return 'You do not have access to this.';
  if (status === 404) return 'Not found.';
  if (status === 429) return 'Too many attempts. Please wait a moment and try again.';
  return 'Something went wrong on the server. Please try again.';
}

const documentListSchema = documentSummarySchema.array();

/** The typed HTTP API of the Accord server (same origin, session cookie). */
export const api = {
  /** The signed-in user, or an `ApiError` with status 401. */
  getSession: async (): Promise<User> => (await request('GET', '/api/session', sessionSchema)).user,
  /** Signs in; the server sets the session cookie. */
  signIn: async (email: string, password: string): Promise<User> =>
    (await request('POST', '/api/session', sessionSchema, { email, password })).user,
  /** Signs out; the server clears the session cookie. */
  signOut: (): Promise<void> => request('DELETE', '/api/session', null),
  /** The documents the user may read. */
  listDocuments: (): Promise<DocumentSummary[]> => request('GET', '/api/documents', documentListSchema),
  /** One document's meta: title, the user's role, settings and members. */
  getDocument: (id: string): Promise<DocumentMeta> =>
    request('GET', `/api/documents/${encodeURIComponent(id)}`, documentMetaSchema),
};
