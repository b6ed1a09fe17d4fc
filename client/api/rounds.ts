import {
  acceptedInvitationSchema,
  invitationInfoSchema,
  invitationSchema,
  roundDetailSchema,
  roundSchema,
} from '@shared/api/rounds';
import { type FeedbackFormat, type FeedbackReport, feedbackReportSchema } from '@shared/rounds/feedback';
import { z } from 'zod';
import { ApiError, request, toApiError } from './client';
import { saveBlob } from './versions';

const base = (documentId: string) => `/api/documents/${encodeURIComponent(documentId)}/rounds`;

/** Wire types of rounds, for the pages. */
export type Round = z.infer<typeof roundSchema>;
export type RoundDetail = z.infer<typeof roundDetailSchema>;
export type Invitation = z.infer<typeof invitationSchema>;
export type InvitationInfo = z.infer<typeof invitationInfoSchema>;

/** The validation rounds API. */
export const roundsApi = {
  list: async (documentId: string): Promise<Round[]> =>
    (await request('GET', base(documentId), z.object({ rounds: z.array(roundSchema) }))).rounds,
  get: (documentId: string, roundId: string): Promise<RoundDetail> =>
    request('GET', `${base(documentId)}/${encodeURIComponent(roundId)}`, roundDetailSchema),
  open: (
    documentId: string,
    body: { versionId: string; title: string; closesAt: string; invite: string[] },
  ): Promise<{ round: Round; invitations: Invitation[] }> =>
    request('POST', base(documentId), z.object({ round: roundSchema, invitations: z.array(invitationSchema) }), body),
  invite: async (documentId: string, roundId: string, emails: string[]): Promise<Invitation[]> =>
    (
      await request(
        'POST',
        `${base(documentId)}/${encodeURIComponent(roundId)}/invitations`,
        z.object({ invitations: z.array(invitationSchema) }),
        { emails },
      )
    ).invitations,
  close: async (documentId: string, roundId: string): Promise<Round> =>
    (await request('POST', `${base(documentId)}/${encodeURIComponent(roundId)}/close`, z.object({ round: roundSchema })))
      .round,
  /** The round's feedback report (Secretariat, Co-Chairs, drafters). */
  feedback: (documentId: string, roundId: string): Promise<FeedbackReport> =>
    request('GET', `${base(documentId)}/${encodeURIComponent(roundId)}/feedback`, feedbackReportSchema),
  /** Downloads the feedback report as a file (the browser saves it under the server's name). */
  downloadFeedback: async (documentId: string, roundId: string, format: FeedbackFormat): Promise<void> => {
    let response: Response;
    try {
      response = await fetch(`${base(documentId)}/${encodeURIComponent(roundId)}/feedback/export?format=${format}`, {
        credentials: 'same-origin',
      });
    } catch {
      throw new ApiError(0, 'network', 'The server cannot be reached. Check your connection and try again.');
    }
    if (!response.ok) throw await toApiError(response);
    const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `feedback.${format}`;
    saveBlob(await response.blob(), name);
  },
  invitation: (token: string): Promise<InvitationInfo> =>
    request('GET', `/api/invitations/${encodeURIComponent(token)}`, invitationInfoSchema),
  accept: (
    token: string,
    body: { name?: string; affiliation?: string; password?: string },
  ): Promise<z.infer<typeof acceptedInvitationSchema>> =>
    request('POST', `/api/invitations/${encodeURIComponent(token)}/accept`, acceptedInvitationSchema, body),
};
