import type { DocumentSettings } from '@shared/api/documents';
import { documentSettingsSchema } from '@shared/api/documents';
import {
  type BracketResolutionBody,
  type ChangeDecisionBody,
  type ChangeDecisionResult,
  type ChangeFlag,
  changeDecisionResultSchema,
  changeFlagListSchema,
  type ClauseStatusRecord,
  clauseStatusListSchema,
  type SetStatusResult,
  type StatusHistoryEntry,
  setStatusResultSchema,
  statusHistorySchema,
} from '@shared/api/negotiation';
import type { ClauseStatus } from '@shared/permissions';
import { z } from 'zod';
import { request } from './client';

const base = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}`;
const clause = (documentId: string, clauseId: string) =>
  `${base(documentId)}/clauses/${encodeURIComponent(clauseId)}`;

/** The clause-workflow and tracked-change API of one document (see docs/api.md). */
export const negotiationApi = {
  statuses: async (documentId: string): Promise<ClauseStatusRecord[]> =>
    (await request('GET', `${base(documentId)}/clauses/status`, clauseStatusListSchema)).clauses,
  history: async (documentId: string, clauseId: string): Promise<StatusHistoryEntry[]> =>
    (await request('GET', `${clause(documentId, clauseId)}/history`, statusHistorySchema)).history,
  setStatus: (documentId: string, clauseId: string, status: ClauseStatus, note?: string): Promise<SetStatusResult> =>
    request('PUT', `${clause(documentId, clauseId)}/status`, setStatusResultSchema, { status, note }),
  decideProposal: (
    documentId: string,
    clauseId: string,
    verdict: 'confirm' | 'decline',
    note?: string,
  ): Promise<SetStatusResult> =>
    request('POST', `${clause(documentId, clauseId)}/proposal/${verdict}`, setStatusResultSchema, { note }),
  recordDecision: (documentId: string, body: ChangeDecisionBody): Promise<ChangeDecisionResult> =>
    request('POST', `${base(documentId)}/changes/decisions`, changeDecisionResultSchema, body),
  recordBracketResolution: (documentId: string, body: BracketResolutionBody): Promise<void> =>
    request('POST', `${base(documentId)}/brackets/resolutions`, null, body),
  setSettings: async (documentId: string, patch: Partial<DocumentSettings>): Promise<DocumentSettings> =>
    (await request('PATCH', `${base(documentId)}/settings`, z.object({ settings: documentSettingsSchema }), patch))
      .settings,
  flags: async (documentId: string): Promise<ChangeFlag[]> =>
    (await request('GET', `${base(documentId)}/changes/flags`, changeFlagListSchema)).flags,
};
