// Which kind of output `faultbox explore` gives: the live Ink screen or the plain log.
//
// The live screen needs a terminal. It also needs a CI-free environment: Ink (through is-in-ci)
// stops redrawing when CI or CONTINUOUS_INTEGRATION is set and only prints the last frame on
// exit, which would leave a person (or a CI job with a pseudo-terminal) staring at a blank
// screen for the whole campaign. So a set CI variable selects the plain log, and says so.

export type OutputMode =
  | { kind: 'live' }
  | { kind: 'plain'; because: 'flag' | 'not-a-terminal' | 'ci-environment'; variable?: string };

const CI_VARIABLES = ['CI', 'CONTINUOUS_INTEGRATION'] as const;

/** The CI variable that is set (the same test Ink applies: present and not "0" or "false"). */
export function ciVariableSet(env: NodeJS.ProcessEnv): string | undefined {
  return CI_VARIABLES.find((name) => {
    const value = env[name];
    return value !== undefined && value !== '0' && value !== 'false';
  });
}

export function chooseOutputMode(options: { isTty: boolean; ciFlag: boolean; env: NodeJS.ProcessEnv }): OutputMode {
  if (options.ciFlag) return { kind: 'plain', because: 'flag' };
  if (!options.isTty) return { kind: 'plain', because: 'not-a-terminal' };
  const variable = ciVariableSet(options.env);
  if (variable !== undefined) return { kind: 'plain', because: 'ci-environment', variable };
  return { kind: 'live' };
}

/** One line for a person at a terminal who expected the live screen, or undefined. */
export function outputModeNotice(mode: OutputMode): string | undefined {
  if (mode.kind === 'plain' && mode.because === 'ci-environment') {
    return `faultbox explore: ${mode.variable} is set in the environment, so this is the plain log; unset it (or set ${mode.variable}=0) for the live screen`;
  }
  return undefined;
}
