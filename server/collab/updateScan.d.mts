/** Limits of one update (see `updateScan.mjs`). */
export interface ScanLimits {
  maxStructs: number;
  maxDeleteRanges: number;
  maxClock: number;
  maxAnyDepth: number;
  allowedRoots: readonly string[];
}

/** The defaults: far above what an honest client sends. */
export declare const DEFAULT_SCAN_LIMITS: Readonly<ScanLimits>;

/** An update that is malformed or outside the limits; the message says why. */
export declare class UpdateRejected extends Error {
  constructor(message: string);
}

/** What a scanned update holds. */
export interface ScanSummary {
  structs: number;
  deleteRanges: number;
  clients: number;
}

/**
 * Walks a V1 update without building any Yjs object, in time linear in its length; throws
 * `UpdateRejected` when it is malformed, writes outside the allowed roots or exceeds the limits.
 */
export declare function scanUpdate(update: Uint8Array, limits?: Partial<ScanLimits>): ScanSummary;
