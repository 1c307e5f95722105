// Entry point of the supervisor's worker thread: runs the notification loop synchronously (it
// never returns to the worker's event loop) and reads commands with receiveMessageOnPort when
// the main thread rings the wake-up eventfd.
import { receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { batchBuffers, type EventBatch } from './event-columns.js';
import { NotificationLoop } from './notification-loop.js';
import type { ReplyValue, Request, RequestEnvelope, WorkerInit, WorkerMessage } from './worker-protocol.js';

const init = workerData as WorkerInit;
const port: MessagePort = init.port;
const control = new Int32Array(init.control);
const post = (m: WorkerMessage, transfer?: ArrayBuffer[]) => port.postMessage(m, transfer);

const loop = new NotificationLoop(init.wakeFd, {
  batch: (batch) => post({ kind: 'batch', batch }, batchBuffers(batch)),
  listenerFailed: (service, message) => post({ kind: 'listener-failed', service, message }),
  crashed: (notice) => post({ kind: 'crashed', notice }),
}, init.originEpochMs);

function handle(req: Request): ReplyValue {
  switch (req.op) {
    case 'attach': return loop.attach(req.service, req.fd, req.options);
    case 'setRules': return loop.setRules(req.service, req.rules, req.seed, req.keepCounters);
    case 'disarm': return loop.disarm(req.service);
    case 'setRecording': return loop.setRecording(req.service, req.on);
    case 'detach': return loop.detach(req.service, req.keepRules);
    case 'rollback': return loop.rollback(req.service);
    case 'drain': return loop.takeEvents();
    case 'counters': return loop.ruleCounters();
    case 'stats': return { ...loop.stats };
    case 'setTimeOrigin': return loop.setTimeOrigin(req.epochMs);
    case 'stop': return loop.shutdown();
  }
}

/** Runs queued requests; returns true once a stop was handled. */
function serveRequests(): boolean {
  for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
    const { id, request } = m.message as RequestEnvelope;
    try {
      const value = handle(request);
      post({ kind: 'reply', id, ok: true, value }, request.op === 'drain' ? batchBuffers(value as EventBatch) : undefined);
    } catch (err) {
      post({ kind: 'reply', id, ok: false, error: (err as Error).message });
    }
    if (request.op === 'stop') return true;
  }
  return false;
}

post({ kind: 'ready' });
try {
  for (;;) {
    const woke = loop.pollOnce();
    if (Atomics.load(control, 0) !== 0) break;
    if (woke && serveRequests()) break;
  }
} catch (err) {
  post({ kind: 'loop-failed', message: (err as Error).message });
  loop.shutdown();
}
port.close();
