// The second half of the target suite (issue 9, item 8), split off to keep each file near 12
// minutes: the C server (c-ack-early, which spins on accept/read errors), json-server 0.17.4 from
// npm (its persistence bug must come out as one group, two at most if exit and timeout differ,
// on db.json's write path rather than faultbox's own log file) and Redis 7 from Debian with
// appendfsync always (an acknowledged SET must never be lost). Checks: fixtures/targets/explore-target.ts.
import { describeTarget } from './fixtures/targets/explore-target.js';

for (const name of ['c-ack-early', 'json-server', 'redis-aof']) describeTarget(name);
