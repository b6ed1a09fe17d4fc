// The wire types are shared with the server (shared/api); the client validates every response with them.
export {
  type DocumentDetail as DocumentMeta,
  type DocumentSummary,
  documentDetailSchema as documentMetaSchema,
  documentSummarySchema,
  errorBodySchema,
  type Member,
  sessionResponseSchema as sessionSchema,
  type User,
} from '@shared/api';
