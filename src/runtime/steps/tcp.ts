// TCP test steps: `send(data=)` writes one line and reads one line back. Failures (refused, reset,
// closed before a reply, timeout) come back as ok=false with status 0; they never throw.
import { connect } from 'node:net';
import type { LiveAddress, StepArgs, StepResponse } from '../../spec/host.js';
import { DEFAULT_STEP_TIMEOUT_MS, STEP_OK_STATUS, decodeJson, elapsedSince, failedStep } from './response.js';

export const TCP_METHODS = ['send'] as const;
export type TcpMethod = (typeof TCP_METHODS)[number];

/** A reply line longer than this is cut (the step still succeeds). */
const LINE_CAP_BYTES = 1024 * 1024;

export function tcpSend(addr: LiveAddress, args: StepArgs): Promise<StepResponse> {
  const startedAt = process.hrtime.bigint();
  const timeoutMs = args.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  const data = args.data ?? '';
  const line = data.endsWith('\n') ? data : `${data}\n`;
  return new Promise<StepResponse>((resolve) => {
    let settled = false;
    let received = Buffer.alloc(0);
    const socket = connect({ host: addr.host, port: addr.port });
    const finish = (response: StepResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(response);
    };
    const answer = (bytes: Buffer): void => {
      const body = bytes.toString('utf8').replace(/\r$/, '');
      finish({ status: STEP_OK_STATUS, body, data: decodeJson(body), ok: true, error: '', durationMs: elapsedSince(startedAt) });
    };
    const timer = setTimeout(
      () => finish(failedStep(new Error(`no reply line from ${addr.host}:${addr.port} within ${timeoutMs}ms`), startedAt)),
      timeoutMs,
    );
    socket.on('connect', () => socket.write(line));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      const newline = received.indexOf(0x0a);
      if (newline >= 0) answer(received.subarray(0, newline));
      else if (received.length >= LINE_CAP_BYTES) answer(received.subarray(0, LINE_CAP_BYTES));
    });
    socket.on('end', () => {
      if (received.length > 0) answer(received);
      else finish(failedStep(new Error(`connection to ${addr.host}:${addr.port} closed before a reply line`), startedAt));
    });
    socket.on('error', (err) => finish(failedStep(err, startedAt)));
  });
}
