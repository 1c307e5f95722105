// A stand-in for a faultbox run: it starts a Redis container (and so creates its run's network), prints
// one JSON line describing them, then waits for a signal. Usage: <runsDir> <logDir> [--hooks]
// (--hooks installs the cleanup registry's signal handling, as the CLI does).
import { CleanupRegistry } from '../src/runtime/launch/cleanup.js';
import { ContainerLauncher } from '../src/runtime/launch/container.js';
import { waitContainerReady } from '../src/runtime/launch/container-readiness.js';
import { connectDocker } from '../src/runtime/launch/docker-engine.js';
import { ImageResolver } from '../src/runtime/launch/image.js';
import { REDIS_IMAGE, containerService, iface } from './container-env.js';

const [runsDir, logDir, hooks] = process.argv.slice(2);
if (!runsDir || !logDir) throw new Error('usage: container-crash-child.ts <runsDir> <logDir> [--hooks]');
const cleanup = new CleanupRegistry({ runsDir, log: () => undefined });
if (hooks === '--hooks') cleanup.installProcessHooks();
const { client } = await connectDocker();
const launcher = await ContainerLauncher.create({ docker: client, images: new ImageResolver({ docker: client, logDir }), logDir, cleanup, log: () => undefined });
const cache = await launcher.start({ service: containerService('cache', REDIS_IMAGE, [iface('main', 'redis', 6379)]) });
await waitContainerReady(cache);
const network = await client.getNetwork(launcher.network).inspect();
process.stdout.write(`${JSON.stringify({ container: cache.id, network: network.Id, runId: cleanup.runId, pid: process.pid })}\n`);
setInterval(() => undefined, 60_000);
