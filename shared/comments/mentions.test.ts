import { describe, expect, it } from 'vitest';
import { bodyToText, matchMembers, mentionedIds, mentionQueryAt, splitBody, textToBody } from './mentions';

const members = [
  { userId: 'u-ana', name: 'Ana Lee', affiliation: 'Veloria' },
  { userId: 'u-an', name: 'Ana', affiliation: null },
  { userId: 'u-tom', name: 'Tomas Ilvesaar', affiliation: 'Kestrania' },
];

describe('mentions', () => {
  it('lists each mentioned member once, in order', () => {
    expect(mentionedIds('<@u-tom> and <@u-ana>, again <@u-tom>')).toEqual(['u-tom', 'u-ana']);
    expect(mentionedIds('no one, <@not valid!>')).toEqual([]);
  });

  it('splits a body into text and mentions without interpreting anything else', () => {
    expect(splitBody('Hi <@u-tom>, see <b>this</b>')).toEqual([
      { kind: 'text', text: 'Hi ' },
      { kind: 'mention', userId: 'u-tom' },
      { kind: 'text', text: ', see <b>this</b>' },
    ]);
  });

  it('turns picked @Names into tokens, preferring the longer name, and back again', () => {
    const chosen = [members[0]!, members[1]!];
    const body = textToBody('@Ana Lee and @Ana, please look', chosen);
    expect(body).toBe('<@u-ana> and <@u-an>, please look');
    expect(bodyToText(body, members)).toEqual({ text: '@Ana Lee and @Ana, please look', chosen });
  });

  it('leaves an unknown mention as its token when editing', () => {
    expect(bodyToText('ask <@u-gone>', members).text).toBe('ask <@u-gone>');
  });

  it('finds the mention being typed at the caret, only at a word start', () => {
    expect(mentionQueryAt('Hello @Tom', 10)).toEqual({ start: 6, query: 'Tom' });
    expect(mentionQueryAt('mail a@b', 8)).toBeNull();
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('@Tom\nnext', 9)).toBeNull();
  });

  it('ranks members whose name starts with the query first, then word starts, then affiliation', () => {
    expect(matchMembers(members, 'an').map((m) => m.userId)).toEqual(['u-an', 'u-ana', 'u-tom']);
    expect(matchMembers(members, 'ilv').map((m) => m.userId)).toEqual(['u-tom']);
    expect(matchMembers(members, 'kestr').map((m) => m.userId)).toEqual(['u-tom']);
    expect(matchMembers(members, '')).toHaveLength(3);
  });
});
