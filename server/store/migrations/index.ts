import * as core from './001_core';
import * as versions from './005_versions';
import type { Migration } from './types';

/**
 * Every migration, in order. Names are permanent: a migration, once landed, is never edited;
 * change the schema with a new one.
 */
export const migrations: Record<string, Migration> = {
  '001_core': core,
  '005_versions': versions,
};

export type { Dialect, Migration } from './types';
