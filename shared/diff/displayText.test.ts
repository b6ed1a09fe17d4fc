import { bracket, clause, del, ins } from '@tests/helpers/builders';
import { describe, expect, it } from 'vitest';
import { displayText, readingText } from './displayText';

const change = { id: 1, authorId: 'u-1', authorName: 'Tomas', at: '2030-01-01T00:00:00.000Z' };

describe('the reading text of a clause', () => {
  it('writes pending tracked changes in CriticMarkup and brackets as the editor draws them', () => {
    const node = clause(
      'Budgets are published in an ',
      del(change, 'accessible'),
      ins(change, 'open, machine-readable'),
      ' format ',
      bracket('within thirty days', { group: 'g1', alt: 1 }),
      ' ',
      bracket('within sixty days', { group: 'g1', alt: 2 }),
      '.',
    );
    expect(readingText(node)).toBe(
      'Budgets are published in an {--accessible--}{++open, machine-readable++} format [Alt 1 within thirty days] [Alt 2 within sixty days].',
    );
    // The display text of a redline keeps both changes' words as they stand.
    expect(displayText(node)).toBe('Budgets are published in an accessibleopen, machine-readable format [Alt 1 within thirty days] [Alt 2 within sixty days].');
  });

  it('closes a change that runs into a bracket before the bracket opens', () => {
    expect(readingText(clause(ins(change, 'new '), bracket(ins(change, 'words'))))).toBe('{++new ++}[{++words++}]');
  });
});
