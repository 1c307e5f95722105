// What a failure looks like to the person running the scenario — the symptom — and how bad it is.
// Findings are grouped by symptom, not by the fault set that caused it: twenty single faults that
// all make the same assertion fail are one bug seen twenty ways, not twenty bugs.
//
//   fail (assertion, expectation)  where the failing assert_* sits in the spec, else its message class
//   fail (step-error)              the message class
//   crash                          the service, its exit code or signal, and the first stack frame
//                                  of its last log lines when it printed one
//   unhealthy                      the service
//   timeout                        the scenario alone
import type { CaseVerdict, ServiceLog } from '../runner/runner.js';
import { contentHash } from '../content-hash.js';
import { messageClass, type FailureKind } from './signature.js';

/**
 * safety:       the scenario's own assertion about data failed (a wrong or lost value)
 * availability: a service crashed or turned unhealthy, or a step got an error
 * liveness:     the scenario did not finish before its deadline
 */
export type Severity = 'safety' | 'availability' | 'liveness';

/** Reports list safety findings first, then availability, then liveness. */
export const SEVERITY_ORDER: readonly Severity[] = ['safety', 'availability', 'liveness'];

export interface Symptom {
  /** Identity: equal keys are the same finding. */
  readonly key: string;
  readonly kind: FailureKind;
  readonly severity: Severity;
  /** The service the symptom is about (crash, unhealthy). */
  readonly service?: string;
  /** One human line naming what the key is made of, e.g. `assertion at spec.star:31:5`. */
  readonly label: string;
}

export function severityOf(v: CaseVerdict): Severity | undefined {
  switch (v.kind) {
    case 'fail':
      return v.reason === 'step-error' ? 'availability' : 'safety';
    case 'crash':
    case 'unhealthy':
      return 'availability';
    case 'timeout':
      return 'liveness';
    default:
      return undefined;
  }
}

// A stack frame in the languages services are commonly written in. Line numbers are kept: the
// same throw site is the same bug; a different one is worth its own finding.
const NODE_FRAME = /^\s*at\s+(.+?)\s*$/;
const PYTHON_FRAME = /^\s*File "([^"]+)", line (\d+), in (\S+)/;
const GO_FRAME = /^([\w./-]+\.[\w.*()-]+)\(.*\)\s*$/;

// Frames inside the language runtime say how an error travelled, not where the service went
// wrong: Node reports one refused connect from `afterConnect` and another from `internalConnect`,
// one bug either way. Only the service's own frames count.
const NODE_RUNTIME_FRAME = /(^|\()(node:|internal\/)/;
const PYTHON_RUNTIME_FILE = /\/lib\/python[\d.]*\//;
const GO_RUNTIME_FRAME = /^(runtime|syscall|internal\/poll)\./;

/** The innermost frame of the service's own code in what a crashed service printed, normalised. */
export function firstFrame(log: ServiceLog | undefined): string | undefined {
  if (!log) return undefined;
  const lines = log.lines;
  const node = lines.map((l) => NODE_FRAME.exec(l)?.[1]).find((f) => f !== undefined && !NODE_RUNTIME_FRAME.test(f));
  if (node) return shortenPaths(node.replace(/\s*\{$/, ''));
  // Python prints the outermost frame first: the innermost is the last one.
  const py = [...lines].reverse().map((l) => PYTHON_FRAME.exec(l)).find((m) => m !== null && !PYTHON_RUNTIME_FILE.test(m[1]!));
  if (py) return `${py[3]} (${basename(py[1]!)}:${py[2]})`;
  const goroutine = lines.findIndex((l) => /^goroutine \d+ \[/.test(l));
  if (goroutine >= 0) {
    const frame = lines
      .slice(goroutine + 1)
      .map((l) => GO_FRAME.exec(l)?.[1])
      .find((f) => f !== undefined && !f.startsWith('panic(') && !GO_RUNTIME_FRAME.test(f));
    if (frame) return frame;
  }
  return undefined;
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function shortenPaths(frame: string): string {
  return frame.replace(/(?:file:\/\/)?\/[^\s():]*\/([^/\s():]+)/g, '$1');
}

/** Where an assertion raised: the file's last part and the line:col (stable across runs). */
function assertionSite(at: string | undefined): string | undefined {
  if (at === undefined) return undefined;
  return basename(at);
}

export function symptomOf(scenario: string, v: CaseVerdict): Symptom | undefined {
  const severity = severityOf(v);
  if (!severity) return undefined;
  const parts: string[] = [scenario, v.kind];
  let label: string;
  let service: string | undefined;
  switch (v.kind) {
    case 'fail': {
      parts.push(v.reason);
      const site = v.reason === 'step-error' ? undefined : assertionSite(v.at);
      if (site !== undefined) {
        parts.push(`at ${site}`);
        label = `${v.reason === 'expectation' ? 'expectation' : 'assertion'} at ${site}`;
      } else {
        const cls = messageClass(v.message);
        parts.push(cls);
        label = v.reason === 'step-error' ? `step error: ${cls}` : cls;
      }
      break;
    }
    case 'crash': {
      service = v.service;
      const how = v.signal ? `killed by ${v.signal}` : `exit ${v.exitCode ?? 'unknown'}`;
      const frame = firstFrame(v.serviceLog);
      parts.push(v.service, how, frame ?? '');
      label = `${v.service} ${how}${frame ? ` at ${frame}` : ''}`;
      break;
    }
    case 'unhealthy':
      service = v.service;
      parts.push(v.service);
      label = `${v.service} unhealthy`;
      break;
    case 'timeout':
      label = 'timeout';
      break;
    default:
      return undefined;
  }
  return { key: parts.join('\u0000'), kind: v.kind, severity, ...(service !== undefined ? { service } : {}), label };
}

/** The finding's id (its corpus file name): 12 hex characters of (scenario, symptom). */
export function symptomId(scenario: string, symptom: Symptom): string {
  return contentHash({ scenario, symptom: symptom.key }, 12);
}
