// The real-software half of the target suite (issue 9, item 8): json-server 0.17.4 from npm (its
// persistence bug must come out as one group, two at most if exit and timeout differ, on
// db.json's write path rather than faultbox's own log file) and Redis 7 from Debian with
// appendfsync always (an acknowledged SET must never be lost). Checks: fixtures/targets/explore-target.ts.
import { describeTarget } from './fixtures/targets/explore-target.js';

for (const name of ['json-server', 'redis-aof']) describeTarget(name);
