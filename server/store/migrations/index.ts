import * as core from './001_core';
import * as negotiation from './003_negotiation';
import * as evidence from './004_evidence';
import * as versions from './005_versions';
import * as threads from './002_threads';
import * as feedback from './007_feedback';
import * as auditAppendOnly from './008_audit_append_only';
import type { Migration } from './types';

/**
 * Every migration, in order. Names are permanent: a migration, once landed, is never edited;
 * change the schema with a new one.
 */
export const migrations: Record<string, Migration> = {
  '001_core': core,
  '003_negotiation': negotiation,
  '004_evidence': evidence,
  '005_versions': versions,
  '002_threads': threads,
  '007_feedback': feedback,
  '008_audit_append_only': auditAppendOnly,
};

export type { Dialect, Migration } from './types';
