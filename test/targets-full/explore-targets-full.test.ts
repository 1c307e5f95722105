// The rest of the target suite (issue 9, item 8), outside CI for time (about 15 minutes):
// `npm run test:targets`. Python services that hang on accept errors or need one retry, a gateway
// without a timeout, a Go service whose bug needs two faults at once, the C server (its accept
// and read loops spin on errors) and Redis 7 from Debian with appendfsync always (an acknowledged
// SET must never be lost). Checks: test/fixtures/targets/explore-target.ts.
import { describeTarget } from '../fixtures/targets/explore-target.js';

for (const name of ['py-retry-once', 'py-missing-timeout', 'go-double-fault', 'c-ack-early', 'redis-aof']) describeTarget(name);
