import { describe, expect, it } from 'vitest';
import { formatDurationMs, parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it('reads the units specs use', () => {
    expect(parseDurationMs('100us')).toBeCloseTo(0.1);
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('1h')).toBe(3_600_000);
    expect(parseDurationMs('250ns')).toBeCloseTo(0.00025);
  });
  it('adds compound parts', () => {
    expect(parseDurationMs('1m30s')).toBe(90_000);
    expect(parseDurationMs('1s500ms')).toBe(1500);
  });
  it('refuses text that is not a duration', () => {
    for (const bad of ['', '500', 'ms', '5 s', '1.5x', '-1s', 's5', '1s junk']) expect(parseDurationMs(bad)).toBeUndefined();
  });
  it('accepts a bare 0', () => {
    expect(parseDurationMs('0')).toBe(0);
  });
});

describe('formatDurationMs', () => {
  it('renders compactly and round-trips', () => {
    expect(formatDurationMs(0.25)).toBe('250us');
    expect(formatDurationMs(500)).toBe('500ms');
    expect(formatDurationMs(1500)).toBe('1.5s');
    expect(formatDurationMs(120_000)).toBe('2m');
    expect(formatDurationMs(90_000)).toBe('1m30s');
    for (const ms of [0.25, 500, 1500, 120_000, 90_000]) expect(parseDurationMs(formatDurationMs(ms))).toBeCloseTo(ms);
  });
});
