/**
 * JSON with object keys sorted at every depth, so that equal values always serialise to the same
 * text: the input of the audit log's hash chain and of a version's content hash. Like `JSON.stringify`, `undefined` members are left out.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const obj = v as Record<string, unknown>;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(obj).sort()) sorted[key] = obj[key];
    return sorted;
  });
}
