// Where the supervisor's worker script lives. Built code runs dist/.../supervisor-worker.js;
// when faultbox runs from its TypeScript sources (the test suite), the worker gets a loader hook
// that transpiles .ts on the fly, since worker threads do not inherit the test runner's transform.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { InfraError } from '../../errors.js';

export interface WorkerSource {
  readonly url: URL;
  readonly execArgv: readonly string[];
}

export function supervisorWorkerSource(): WorkerSource {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const hooks = new URL('./source-hooks.mjs', here).href;
    const register = `import{register}from'node:module';register(${JSON.stringify(hooks)});`;
    return { url: new URL('./supervisor-worker.ts', here), execArgv: ['--import', `data:text/javascript,${encodeURIComponent(register)}`] };
  }
  const url = new URL('./supervisor-worker.js', here);
  if (!existsSync(fileURLToPath(url))) {
    throw new InfraError(`the supervisor worker script is missing: ${fileURLToPath(url)}`, 'run npm run build');
  }
  return { url, execArgv: [] };
}
