// explore(...): what the explorer may generate for this spec (services, families, errnos per
// family, delay bound, fault count, per-case timeout, crash points). At most one call per spec.
import { Builtin, None, StarlarkError, quote, typeName, unpackArgs, type Value } from '../../starlark/index.js';
import { EXPECTABLE_KINDS, type ExpectableKind, type ExpectedSymptom, type ExploreConfig } from '../model.js';
import type { ErrnoName } from '../errno.js';
import type { SpecSession } from '../session.js';
import { FAMILIES } from '../syscall-families.js';
import { boolArg, dictArg, durationArg, positiveInt, sequenceArg, stringArg, stringList } from '../arg-types.js';
import { resolveErrno } from '../errno-lookup.js';
import { didYouMean } from '../did-you-mean.js';
import { ServiceValue } from '../values/service.js';

const FAMILY_NAMES: readonly string[] = FAMILIES.map((f) => f.name);

function familyName(fn: string, v: string): string {
  if (FAMILY_NAMES.includes(v)) return v;
  throw new StarlarkError(`${fn}: unknown syscall family ${quote(v)}${didYouMean(v, FAMILY_NAMES)}; families: ${FAMILY_NAMES.join(', ')}`);
}

const EXPECT_KEYS = ['kind', 'service', 'message'];

/** One `expect=` element: a dict with kind=, service= and/or message= (at least one). */
function expectedSymptom(fn: string, i: number, v: Value, session: SpecSession): ExpectedSymptom {
  const where = `expect[${i}]`;
  const d = dictArg(fn, where, v);
  const out: { -readonly [K in keyof ExpectedSymptom]?: ExpectedSymptom[K] } = {};
  const shown: string[] = [];
  for (const [k, val] of d.items()) {
    const key = stringArg(fn, `${where} key`, k);
    if (!EXPECT_KEYS.includes(key)) {
      throw new StarlarkError(`${fn}: ${where}: unknown key ${quote(key)}${didYouMean(key, EXPECT_KEYS)}; expected ${EXPECT_KEYS.join(', ')}`);
    }
    const text = key === 'service' && val instanceof ServiceValue ? val.name : stringArg(fn, `${where}[${quote(key)}]`, val);
    if (key === 'kind') {
      if (!(EXPECTABLE_KINDS as readonly string[]).includes(text)) {
        throw new StarlarkError(`${fn}: ${where}: kind ${quote(text)} is not one of ${EXPECTABLE_KINDS.join(', ')}`);
      }
      out.kind = text as ExpectableKind;
    } else if (key === 'service') {
      if (!session.services.has(text)) {
        throw new StarlarkError(`${fn}: ${where}: no service named ${quote(text)}${didYouMean(text, [...session.services.keys()])}`);
      }
      out.service = text;
    } else {
      if (text === '') throw new StarlarkError(`${fn}: ${where}: message must not be empty`);
      out.message = text;
    }
    shown.push(`${key}=${quote(text)}`);
  }
  if (shown.length === 0) throw new StarlarkError(`${fn}: ${where} is empty; give kind=, service= and/or message=`);
  return { ...out, shown: shown.join(', ') };
}

export function exploreBuiltins(session: SpecSession): Builtin[] {
  const explore = new Builtin('explore', (ctx, args, kwargs) => {
    session.requireLoading('explore');
    const fn = 'explore';
    if (session.explore) {
      const p = session.explore.pos;
      throw new StarlarkError(`${fn}: may be called once per spec${p ? ` (first call at ${p.file}:${p.line}:${p.col})` : ''}`);
    }
    const [services, families, errnos, maxDelay, maxFaults, timeout, expect, crashes] = unpackArgs(fn, args, kwargs, [
      '*', 'services?', 'families?', 'errnos?', 'max_delay?', 'max_faults?', 'timeout?', 'expect?', 'crashes?',
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
    if (has(crashes)) cfg.crashes = boolArg(fn, 'crashes', crashes);
    if (has(expect)) cfg.expect = sequenceArg(fn, 'expect', expect).map((e, i) => expectedSymptom(fn, i, e, session));
    session.explore = { config: cfg, pos: ctx.callerPosition };
    return None;
  });
  return [explore];
}
