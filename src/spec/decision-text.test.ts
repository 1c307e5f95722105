import { describe, expect, it } from 'vitest';
import { decisionSpellings, decisionText } from './decision-text.js';

describe('decisionText', () => {
  it('renders like the reference trace lines', () => {
    expect(decisionText({ decision: 'deny', errno: 'ENOSPC' })).toBe('deny(no space left on device)');
    expect(decisionText({ decision: 'deny', errno: 'ECONNREFUSED' })).toBe('deny(connection refused)');
    expect(decisionText({ decision: 'delay', delayMs: 500 })).toBe('delay(500ms)');
    expect(decisionText({ decision: 'allow' })).toBe('allow');
    expect(decisionText({ decision: 'trace' })).toBe('trace');
  });
  it('offers the errno-name spelling for filters', () => {
    expect(decisionSpellings({ decision: 'deny', errno: 'EIO' })).toEqual(['deny', 'deny(input/output error)', 'deny(EIO)']);
  });
});
