// Failure signatures: two failures are the same finding when they share the scenario, the
// canonical minimal fault set, the failure kind and the message class. The id of a finding (its
// corpus file name) is a short hash of its signature.
import { contentHash } from '../content-hash.js';
import { canonicalFaultSet, type FaultSet } from '../faults.js';
import { encodeFaults } from '../corpus/fault-json.js';
import type { CaseVerdictKind, FailReason } from '../runner/runner.js';

/** The verdicts that are findings. */
export type FailureKind = Exclude<CaseVerdictKind, 'pass' | 'infra-error'>;

/** Every FailureKind, for checking files (the type makes the compiler keep it complete). */
export const FAILURE_KINDS = ['fail', 'crash', 'unhealthy', 'timeout'] as const satisfies readonly FailureKind[];

/**
 * The message with its volatile parts replaced: UUIDs and long hex ids → `<id>`, `0x…` → `<hex>`,
 * numbers → `#`; whitespace collapsed. Errno names and words are kept.
 */
export function messageClass(message: string): string {
  return message
    .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '<id>')
    .replace(/\b0x[0-9a-f]+\b/gi, '<hex>')
    .replace(/\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi, '<id>')
    .replace(/\d+(\.\d+)?/g, '#')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 200);
}

export interface FailureSignature {
  readonly scenario: string;
  readonly faults: FaultSet;
  readonly kind: FailureKind;
  readonly reason?: FailReason;
  readonly messageClass: string;
}

export function signatureId(sig: FailureSignature): string {
  return contentHash(
    {
      scenario: sig.scenario,
      // Hashed in their JSON spelling: the ids of older corpus entries were made from it.
      faults: encodeFaults(canonicalFaultSet(sig.faults)),
      kind: sig.kind,
      reason: sig.reason,
      message: sig.messageClass,
    },
    12,
  );
}
