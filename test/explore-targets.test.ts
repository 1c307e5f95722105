// The target suite in CI (issue 9, item 8): one service in Python, one in Go and json-server
// 0.17.4 from npm, each explored with its whole recorded space and a 2-minute budget (see
// test/fixtures/targets/explore-target.ts for what is checked; examples/targets/*/planted.json for
// what each target plants). The other targets take another ~15 minutes, more than CI's budget
// allows: `npm run test:targets` (test/targets-full/) runs them the same way.
import { describeTarget } from './fixtures/targets/explore-target.js';

for (const name of ['py-ack-loss', 'go-nth-write', 'json-server']) describeTarget(name);
