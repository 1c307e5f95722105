import { describe, expect, it } from 'vitest';
import { parseProbability } from './probability.js';

describe('parseProbability', () => {
  it('takes floats as fractions', () => {
    expect(parseProbability({ kind: 'float', value: 0.5 })).toBe(0.5);
    expect(parseProbability({ kind: 'float', value: 1.0 })).toBe(1);
  });
  it('takes ints as percent', () => {
    expect(parseProbability({ kind: 'int', value: 50 })).toBe(0.5);
    expect(parseProbability({ kind: 'int', value: 1 })).toBe(0.01);
    expect(parseProbability({ kind: 'int', value: 100 })).toBe(1);
  });
  it('reads "1%" as one percent, not as always', () => {
    expect(parseProbability({ kind: 'string', value: '1%' })).toBe(0.01);
    expect(parseProbability({ kind: 'string', value: '50%' })).toBe(0.5);
    expect(parseProbability({ kind: 'string', value: '12.5%' })).toBe(0.125);
    expect(parseProbability({ kind: 'string', value: '0.5' })).toBe(0.5);
  });
  it('says what was expected for bad values', () => {
    expect(parseProbability({ kind: 'float', value: 1.5 })).toMatch(/outside 0\.\.1/);
    expect(parseProbability({ kind: 'int', value: 150 })).toMatch(/outside 0%\.\.100%/);
    expect(parseProbability({ kind: 'string', value: '50' })).toMatch(/above 1.*"50%"/);
    expect(parseProbability({ kind: 'string', value: 'often' })).toMatch(/not a number/);
    expect(parseProbability({ kind: 'string', value: '200%' })).toMatch(/outside/);
  });
});
