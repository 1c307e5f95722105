import { describe, expect, it } from 'vitest';
import { chooseOutputMode, ciVariableSet, outputModeNotice } from './output-mode.js';

describe('output mode of explore', () => {
  it('is live only on a terminal, without --ci, outside CI', () => {
    expect(chooseOutputMode({ isTty: true, ciFlag: false, env: {} })).toEqual({ kind: 'live' });
    expect(chooseOutputMode({ isTty: true, ciFlag: true, env: {} })).toEqual({ kind: 'plain', because: 'flag' });
    expect(chooseOutputMode({ isTty: false, ciFlag: false, env: {} })).toEqual({ kind: 'plain', because: 'not-a-terminal' });
    expect(chooseOutputMode({ isTty: true, ciFlag: false, env: { CI: 'true' } })).toEqual({ kind: 'plain', because: 'ci-environment', variable: 'CI' });
  });

  it('reads CI variables the way Ink does: set and not "0" or "false"', () => {
    expect(ciVariableSet({ CI: '1' })).toBe('CI');
    expect(ciVariableSet({ CI: '' })).toBe('CI');
    expect(ciVariableSet({ CONTINUOUS_INTEGRATION: 'yes' })).toBe('CONTINUOUS_INTEGRATION');
    expect(ciVariableSet({ CI: '0' })).toBeUndefined();
    expect(ciVariableSet({ CI: 'false', CONTINUOUS_INTEGRATION: 'false' })).toBeUndefined();
    expect(ciVariableSet({ GITHUB_ACTIONS: 'true' })).toBeUndefined();
  });

  it('tells a person at a terminal why the live screen is not shown', () => {
    const notice = outputModeNotice(chooseOutputMode({ isTty: true, ciFlag: false, env: { CI: 'true' } }));
    expect(notice).toContain('CI is set in the environment');
    expect(outputModeNotice({ kind: 'plain', because: 'flag' })).toBeUndefined();
    expect(outputModeNotice({ kind: 'live' })).toBeUndefined();
  });
});
