import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyHints } from './key-hints.js';
import { RecentLog } from './recent-log.js';

afterEach(cleanup);

describe('KeyHints', () => {
  it('names the keys of each screen', () => {
    expect(render(<KeyHints screen="list" stopping={false} />).lastFrame()).toBe('↑/↓ select · Enter details · q stop');
    expect(render(<KeyHints screen="detail" stopping={false} />).lastFrame()).toBe('Esc/Backspace back · q stop');
    expect(render(<KeyHints screen="final" stopping={false} />).lastFrame()).toBe('');
  });

  it('replaces the hints with the stopping notice', () => {
    expect(render(<KeyHints screen="list" stopping />).lastFrame()).toBe('stopping… waiting for the campaign to wind down');
  });
});

describe('RecentLog', () => {
  it('prints the engine log lines it is given', () => {
    expect(render(<RecentLog lines={['re-census: postgres', 'shrinking f1']} />).lastFrame()).toBe('re-census: postgres\nshrinking f1');
  });
});
