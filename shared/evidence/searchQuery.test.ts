import { describe, expect, it } from 'vitest';
import { MAX_SEARCH_TERMS, parseSearchQuery, toFts5Query, toTsQuery } from './searchQuery';

describe('parseSearchQuery', () => {
  it('splits words and keeps quoted phrases together', () => {
    expect(parseSearchQuery('Youth "local  government" budgets')).toEqual([
      { words: ['youth'], phrase: false },
      { words: ['local', 'government'], phrase: true },
      { words: ['budgets'], phrase: false },
    ]);
  });

  it('drops query syntax, keeps letters of every script, and caps the number of terms', () => {
    expect(parseSearchQuery('NEAR(x* OR "y -z')).toEqual([
      { words: ['near'], phrase: false },
      { words: ['x'], phrase: false },
      { words: ['or'], phrase: false },
      { words: ['y', 'z'], phrase: true },
    ]);
    expect(parseSearchQuery('Sélmar Κέρκυρα').map((t) => t.words[0])).toEqual(['sélmar', 'κέρκυρα']);
    expect(parseSearchQuery(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' '))).toHaveLength(MAX_SEARCH_TERMS);
    expect(parseSearchQuery('!!! ---')).toEqual([]);
  });
});

describe('the full-text query languages', () => {
  const terms = parseSearchQuery('youth "local government"');

  it('writes FTS5 prefix terms and phrases joined by AND', () => {
    expect(toFts5Query(terms)).toBe('"youth"* AND "local government"');
    expect(toFts5Query([])).toBeNull();
  });

  it('writes tsquery prefix terms and followed-by phrases joined by &', () => {
    expect(toTsQuery(terms)).toBe('youth:* & (local <-> government)');
    expect(toTsQuery([])).toBeNull();
  });
});
