// Building StepResponse values: one place decides what a failed step looks like.
import type { StepResponse } from '../../spec/host.js';

export const DEFAULT_STEP_TIMEOUT_MS = 30_000;

/** The status non-HTTP steps report on success (HTTP steps report the real status). */
export const STEP_OK_STATUS = 200;

export function elapsedSince(startedAt: bigint): number {
  return Number(process.hrtime.bigint() - startedAt) / 1e6;
}

/** A step that did not get an answer (or got an error answer): ok=false, status 0, never thrown. */
export function failedStep(error: unknown, startedAt: bigint): StepResponse {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return { status: 0, body: '', data: undefined, ok: false, error: text, durationMs: elapsedSince(startedAt) };
}

/** Rejects with `what timed out after Nms` unless the promise settles first. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string, onTimeout?: () => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      onTimeout?.();
      reject(new Error(`${what} timed out after ${timeoutMs}ms`));
    }, timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/** Parses JSON, or undefined when the text is not JSON. */
export function decodeJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
