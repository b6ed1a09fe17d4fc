import { z } from 'zod';

/** Machine-readable error codes the HTTP API answers with. */
export const errorCodes = [
  'invalid_input',
  'invalid_json',
  'unauthenticated',
  'invalid_credentials',
  'forbidden',
  'forbidden_origin',
  'not_found',
  'conflict',
  'round_closed',
  'last_secretariat',
  'open_brackets',
  'change_not_found',
  'payload_too_large',
  'unsupported_file',
  'unreadable_file',
  'rate_limited',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** The body of every error response: `{"error":{"code","message"}}`. Never a stack trace. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
