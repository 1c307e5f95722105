// `faultbox check` refuses `svc.post(...)` on a two-interface service with its position, as
// `faultbox test` would when the line ran (the real CLI, as a user runs it).
import { describe, expect, it } from 'vitest';
import { faultbox } from './cli-run.js';

describe('faultbox check on a step shorthand of a two-interface service', () => {
  it('exits 2 naming file:line:col and the interfaces to choose from', () => {
    const r = faultbox(['check', 'test/fixtures/cli/two-interface-shorthand.star']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('two-interface-shorthand.star:4:16: service "api" has 2 interfaces (public, admin): name one, e.g. api.public.post(...)');
    expect(r.stdout).not.toContain('OK');
  });
});
