/**
 * A library search as people type it — words, and "quoted phrases" — turned into the query
 * languages of the two full-text indexes: SQLite FTS5 `MATCH` and PostgreSQL `to_tsquery`. Only
 * letters and digits ever reach either language, so no input can break or widen a query.
 */

/** One term of a search: a word (matched as a prefix) or a phrase (words in this order). */
export interface SearchTerm {
  words: string[];
  phrase: boolean;
}

/** Most terms a search keeps; the rest are ignored. */
export const MAX_SEARCH_TERMS = 12;

const wordPattern = /[\p{L}\p{N}]+/gu;

function words(text: string): string[] {
  return (text.match(wordPattern) ?? []).map((w) => w.toLowerCase());
}

/**
 * Splits a search into terms. Text in double quotes is a phrase; every other word is a term of its
 * own. Punctuation separates words ("co-chair" is "co" and "chair"). All terms must match.
 */
export function parseSearchQuery(query: string): SearchTerm[] {
  const terms: SearchTerm[] = [];
  const parts = query.split('"');
  parts.forEach((part, i) => {
    // Odd parts are inside quotes (an unclosed quote runs to the end).
    const inQuotes = i % 2 === 1;
    const found = words(part);
    if (found.length === 0) return;
    if (inQuotes && found.length > 1) terms.push({ words: found, phrase: true });
    else for (const w of found) terms.push({ words: [w], phrase: false });
  });
  return terms.slice(0, MAX_SEARCH_TERMS);
}

/** The FTS5 `MATCH` expression of the terms: `"youth"* AND "local government"`; null when there are none. */
export function toFts5Query(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((t) => (t.phrase ? `"${t.words.join(' ')}"` : `"${t.words[0]}"*`)).join(' AND ');
}

/** The `to_tsquery` expression of the terms: `youth:* & local <-> government`; null when there are none. */
export function toTsQuery(terms: readonly SearchTerm[]): string | null {
  if (terms.length === 0) return null;
  return terms.map((t) => (t.phrase ? `(${t.words.join(' <-> ')})` : `${t.words[0]}:*`)).join(' & ');
}
