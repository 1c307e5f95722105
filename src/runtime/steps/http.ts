// HTTP test steps: get/post/put/delete/patch against an interface's live address. Transport
// failures (refused, reset, timeout) come back as ok=false with status 0; they never throw.
import { request } from 'node:http';
import type { LiveAddress, StepArgs, StepResponse } from '../../spec/host.js';
import { DEFAULT_STEP_TIMEOUT_MS, decodeJson, elapsedSince, failedStep } from './response.js';

export const HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Larger bodies are cut here: a test asserts on answers, it does not download files. */
export const HTTP_BODY_CAP_BYTES = 1024 * 1024;

/** A reply counts as ok when it is 2xx or 3xx (redirects are not followed, but they are answers). */
export function httpStatusOk(status: number): boolean {
  return status >= 200 && status < 400;
}

function normalizePath(path: string | undefined): string {
  if (!path) return '/';
  return path.startsWith('/') ? path : `/${path}`;
}

/** A body that parses as JSON is sent as JSON unless the step set its own Content-Type. */
function requestHeaders(args: StepArgs): Record<string, string> {
  const headers: Record<string, string> = { ...args.headers };
  const hasType = Object.keys(headers).some((h) => h.toLowerCase() === 'content-type');
  if (args.body !== undefined && !hasType) {
    headers['content-type'] = decodeJson(args.body) !== undefined ? 'application/json' : 'text/plain; charset=utf-8';
  }
  if (args.body !== undefined) headers['content-length'] = String(Buffer.byteLength(args.body));
  return headers;
}

export function httpStep(method: HttpMethod, addr: LiveAddress, args: StepArgs): Promise<StepResponse> {
  const startedAt = process.hrtime.bigint();
  const timeoutMs = args.timeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;
  return new Promise<StepResponse>((resolve) => {
    let settled = false;
    const finish = (response: StepResponse): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(response);
    };
    const req = request(
      {
        host: addr.host,
        port: addr.port,
        method: method.toUpperCase(),
        path: normalizePath(args.path),
        headers: requestHeaders(args),
        agent: false, // one connection per step: nothing pooled outlives the test
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const complete = (): void => {
          const body = Buffer.concat(chunks).toString('utf8').trim();
          const status = res.statusCode ?? 0;
          finish({
            status,
            body,
            data: decodeJson(body),
            ok: httpStatusOk(status),
            error: httpStatusOk(status) ? '' : `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`,
            durationMs: elapsedSince(startedAt),
          });
        };
        res.on('data', (chunk: Buffer) => {
          if (size >= HTTP_BODY_CAP_BYTES) return;
          const room = HTTP_BODY_CAP_BYTES - size;
          chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
          size += Math.min(chunk.length, room);
          if (size >= HTTP_BODY_CAP_BYTES) {
            complete();
            res.destroy();
          }
        });
        res.on('end', complete);
        res.on('error', (err) => finish(failedStep(err, startedAt)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`${method.toUpperCase()} ${normalizePath(args.path)} timed out after ${timeoutMs}ms`));
    }, timeoutMs);
    req.on('error', (err) => finish(failedStep(err, startedAt)));
    req.end(args.body);
  });
}
