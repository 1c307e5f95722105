// The planted half of the target suite (issue 9, item 8): services written in Python and Go
// that the explorer was not built around, explored with their whole recorded space. See
// test/fixtures/targets/explore-target.ts for what is checked; examples/targets/*/planted.json
// for what each target plants. The C server, json-server and Redis: test/explore-targets-c-and-real.test.ts.
import { describeTarget } from './fixtures/targets/explore-target.js';

for (const name of ['py-ack-loss', 'py-retry-once', 'py-missing-timeout', 'go-nth-write', 'go-double-fault']) describeTarget(name);
