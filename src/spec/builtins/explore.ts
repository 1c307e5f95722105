// explore(...): what the explorer may generate for this spec (services, families, errnos per
// family, delay bound, fault count, per-case timeout). At most one call per spec.
import { Builtin, None, StarlarkError, quote, typeName, unpackArgs, type Value } from '../../starlark/index.js';
import type { ExploreConfig } from '../model.js';
import type { ErrnoName } from '../errno.js';
import type { SpecSession } from '../session.js';
import { FAMILIES } from '../syscall-families.js';
import { dictArg, durationArg, positiveInt, sequenceArg, stringArg, stringList } from '../arg-types.js';
import { resolveErrno } from '../errno-lookup.js';
import { didYouMean } from '../did-you-mean.js';
import { ServiceValue } from '../values/service.js';

const FAMILY_NAMES = FAMILIES.map((f) => f.name);

function familyName(fn: string, v: string): string {
  if (FAMILY_NAMES.includes(v)) return v;
  throw new StarlarkError(`${fn}: unknown syscall family ${quote(v)}${didYouMean(v, FAMILY_NAMES)}; families: ${FAMILY_NAMES.join(', ')}`);
}

export function exploreBuiltins(session: SpecSession): Builtin[] {
  const explore = new Builtin('explore', (ctx, args, kwargs) => {
    session.requireLoading('explore');
    const fn = 'explore';
    if (session.explore) {
      const p = session.explore.pos;
      throw new StarlarkError(`${fn}: may be called once per spec${p ? ` (first call at ${p.file}:${p.line}:${p.col})` : ''}`);
    }
    const [services, families, errnos, maxDelay, maxFaults, timeout] = unpackArgs(fn, args, kwargs, [
      '*', 'services?', 'families?', 'errnos?', 'max_delay?', 'max_faults?', 'timeout?',
    ]);
    const has = (v: Value | undefined): v is Value => v !== undefined && v !== None;
    const cfg: { -readonly [K in keyof ExploreConfig]: ExploreConfig[K] } = {};
    if (has(services)) {
      cfg.services = sequenceArg(fn, 'services', services).map((s, i) => {
        if (s instanceof ServiceValue) return s.name;
        if (typeof s === 'string') return s;
        throw new StarlarkError(`${fn}: services[${i}] must be a service or a service name, got ${typeName(s)}`);
      });
    }
    if (has(families)) cfg.families = stringList(fn, 'families', families).map((f) => familyName(fn, f));
    if (has(errnos)) {
      const out: Record<string, ErrnoName[]> = {};
      for (const [k, v] of dictArg(fn, 'errnos', errnos).items()) {
        const fam = familyName(fn, stringArg(fn, 'errnos key', k));
        out[fam] = sequenceArg(fn, `errnos[${quote(fam)}]`, v).map((e) => {
          const r = resolveErrno(stringArg(fn, `errnos[${quote(fam)}] element`, e));
          if (!r.ok) throw new StarlarkError(`${fn}: errnos[${quote(fam)}]: ${r.message}`);
          return r.errno;
        });
        if (out[fam].length === 0) throw new StarlarkError(`${fn}: errnos[${quote(fam)}] is empty; list at least one errno or leave the family out`);
      }
      cfg.errnos = out;
    }
    if (has(maxDelay)) cfg.maxDelayMs = durationArg(fn, 'max_delay', maxDelay);
    if (has(maxFaults)) cfg.maxFaults = positiveInt(fn, 'max_faults', maxFaults);
    if (has(timeout)) cfg.timeoutMs = durationArg(fn, 'timeout', timeout);
    session.explore = { config: cfg, pos: ctx.callerPosition };
    return None;
  });
  return [explore];
}
