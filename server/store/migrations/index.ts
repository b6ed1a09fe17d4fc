import * as core from './001_core';
import * as threads from './002_threads';
import type { Migration } from './types';

/**
 * Every migration, in order. Names are permanent: a migration, once landed, is never edited;
 * change the schema with a new one.
 */
export const migrations: Record<string, Migration> = {
  '001_core': core,
  '002_threads': threads,
};

export type { Dialect, Migration } from './types';
