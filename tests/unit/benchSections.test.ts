import { describe, expect, it } from 'vitest';
import { replaceSection, section } from '../bench/sections';

describe('sections of docs/benchmarks.md', () => {
  it('appends a section that is not there yet, and finds it again', () => {
    const text = replaceSection('# Benchmarks\n\nmain figures\n', 'peers', 'peer figures');
    expect(text).toBe('# Benchmarks\n\nmain figures\n\n<!-- peers:begin -->\npeer figures\n<!-- peers:end -->\n');
    expect(section(text, 'peers')).toBe('<!-- peers:begin -->\npeer figures\n<!-- peers:end -->');
  });

  it('replaces only its own section, leaving what is before and after it', () => {
    const before = 'head\n<!-- peers:begin -->\nold\n<!-- peers:end -->\ntail\n';
    expect(replaceSection(before, 'peers', 'new\n')).toBe('head\n<!-- peers:begin -->\nnew\n<!-- peers:end -->\ntail\n');
  });

  it('finds no section in a text without its markers', () => {
    expect(section('# Benchmarks\n', 'peers')).toBe('');
  });
});
