import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin';

describe('originAllowed', () => {
  it('accepts a missing Origin, the request host over http or https, and configured origins', () => {
    expect(originAllowed(undefined, 'accord.example', [])).toBe(true);
    expect(originAllowed('http://accord.example', 'accord.example', [])).toBe(true);
    expect(originAllowed('https://accord.example:8443', 'accord.example:8443', [])).toBe(true);
    expect(originAllowed('http://localhost:5173', 'localhost:8080', ['http://localhost:5173'])).toBe(true);
  });

  it('refuses another site, another port, and the literal "null" origin', () => {
    expect(originAllowed('https://evil.example', 'accord.example', [])).toBe(false);
    expect(originAllowed('http://accord.example:9999', 'accord.example', [])).toBe(false);
    expect(originAllowed('null', 'accord.example', [])).toBe(false);
    expect(originAllowed('http://accord.example', undefined, [])).toBe(false);
  });
});
