// What a planted.json root cause accepts as "the planted fault set": read by the target tests
// (test/fixtures/targets/target-suite.ts) and bench/explore's targets mode, so both judge alike.

/**
 * Equal fields; a planted fault with `path_re`/`peer_re` takes the explorer's file- or peer-aimed
 * form of the fault, whose aim must match (the aimed form is as minimal as the nth form, and which
 * one the shrinker ends on is its choice).
 */
function fits(planted, actual) {
  const { path_re, peer_re, ...fields } = planted;
  const aimed = [...(path_re !== undefined ? ['path'] : []), ...(peer_re !== undefined ? ['peer'] : [])];
  return [...new Set([...Object.keys(fields), ...Object.keys(actual), ...aimed])].every((k) => {
    if (k === 'path' && path_re !== undefined) return actual.path !== undefined && new RegExp(path_re).test(actual.path);
    if (k === 'peer' && peer_re !== undefined) return actual.peer !== undefined && new RegExp(peer_re).test(actual.peer);
    return fields[k] === actual[k];
  });
}

export function fitsPlantedSet(planted, actual) {
  return planted.length === actual.length && planted.every((p) => actual.some((a) => fits(p, a)));
}

/** Does this fault set trigger the root cause in a way planted.json calls minimal? */
export function isPlantedSet(cause, faults) {
  if (cause.minimal) return cause.minimal.some((m) => fitsPlantedSet(m, faults));
  const r = cause.fault_rule;
  if (!r) return false;
  return (
    faults.length >= 1 &&
    faults.length <= r.max_faults &&
    faults.every(
      (f) =>
        f.service === r.service &&
        (r.syscalls === undefined || r.syscalls.includes(f.syscall)) &&
        (r.errno === undefined || (f.action === 'deny' && f.errno === r.errno)) &&
        !new RegExp(r.path_not).test(f.path ?? ''),
    )
  );
}
