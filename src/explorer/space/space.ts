// The fault space, derived from the census rather than guessed: every fault names a (service,
// family, target) that was observed, an action the family can really produce, and a trigger
// within the observed call count. The spec's explore(...) config and CLI options narrow or widen it.
import { ERRNOS, TRANSIENT_ERRNOS, isErrnoName, type ErrnoName } from '../../spec/errno.js';
import type { ExploreConfig } from '../../spec/model.js';
import { expandKeyword, FAMILIES, isFamilyName, type FamilyName } from '../../spec/syscall-families.js';
import type { Census, FamilyCensus } from '../census/census.js';
import { errnoFits, nonblockingClass, type TargetClass } from '../../spec/errno-fit.js';
import type { SiteKind } from '../census/site-target.js';
import { UsageError } from '../../errors.js';
import { errnoOf, normalizeFault, type InjectedAction, type InjectedFault } from '../faults.js';
import type { ShrinkDomain } from '../triage/shrink.js';
import { callSequenceOf } from './effect.js';

/** Delays the explorer tries, shortest first (the shrinker walks down this ladder). */
export const DELAY_LADDER_MS: readonly number[] = [100, 500, 1000, 2000, 5000, 10000, 30000];
export const DEFAULT_MAX_DELAY_MS = 5000;
export const DEFAULT_MAX_FAULTS = 3;

/** Narrowing/widening given on the command line; each field overrides the spec's explore(...). */
export interface SpaceOptions {
  readonly services?: readonly string[];
  readonly families?: readonly string[];
  /** Keep only these errnos (in each family's own order). */
  readonly errnos?: readonly ErrnoName[];
  readonly maxDelayMs?: number;
  readonly maxFaults?: number;
  /** False drops delay actions entirely. */
  readonly delays?: boolean;
  /** Generate crash points (`--crashes`); overrides explore(crashes=). */
  readonly crashes?: boolean;
}

export interface SpaceSettings {
  /** Undefined = every service in the census. */
  readonly services?: readonly string[];
  /** Family names (aliases resolved). */
  readonly families: readonly FamilyName[];
  /** family → errnos, in the order the explorer tries and shrinks toward. */
  readonly errnos: Readonly<Record<string, readonly ErrnoName[]>>;
  /**
   * Families whose errnos the user listed (explore(errnos=) or --errnos): tried on every call of
   * the family as asked. The default lists are cut to what each hit call can return.
   */
  readonly explicitErrnos?: readonly string[];
  readonly delayLadderMs: readonly number[];
  readonly maxFaults: number;
  /** Crash points at each persistence call of each file site, with and without lost writes. */
  readonly crashes?: boolean;
}

export type TriggerChoice =
  | { readonly kind: 'nth'; readonly n: number }
  | { readonly kind: 'always' }
  | { readonly kind: 'after'; readonly n: number };

export type ActionChoice = InjectedAction;

/**
 * Families whose calls make a file's state durable or change it: a crash just before one of them
 * is a crash point. Reads, opens and closes change nothing a crash could lose.
 */
export const PERSISTENCE_FAMILIES: readonly FamilyName[] = ['write', 'fsync', 'ftruncate', 'rename', 'unlink', 'mkdir'];

/** A plain crash first (simpler), then the same crash as a power loss. */
const CRASH_ACTIONS: readonly ActionChoice[] = [
  { kind: 'crash', loseUnsynced: false },
  { kind: 'crash', loseUnsynced: true },
];

export interface FaultTarget {
  readonly service: string;
  readonly family: FamilyName;
  /** Path glob for file sites; undefined = every call of the family. */
  readonly pathGlob?: string;
  /** Peer glob for sites of calls that name their peer (connect to one dependency). */
  readonly peerGlob?: string;
  /** Calls a rule on this target counts (its nth/after range). */
  readonly count: number;
  /** Family-level occurrence numbers of those calls (for site annotation and path removal). */
  readonly occurrences: readonly number[];
  /** Canonical order: nth=1, always, nth=2, after=1, nth=3, after=2, ... (index 0 is simplest). */
  readonly triggers: readonly TriggerChoice[];
  /** Errnos in family order, then delays ascending. */
  readonly actions: readonly ActionChoice[];
}

export interface ScenarioSpace {
  readonly scenario: string;
  readonly targets: readonly FaultTarget[];
  /** Number of distinct single faults (Σ triggers × actions). */
  readonly singles: number;
}

export interface FaultSpace {
  readonly censusHash: string;
  readonly settings: SpaceSettings;
  readonly scenarios: readonly ScenarioSpace[];
}

function resolveFamily(name: string, where: string): FamilyName {
  const expanded = expandKeyword(name);
  if (!expanded) {
    throw new UsageError(`${where}: unknown syscall family "${name}"; expected one of ${FAMILIES.map((f) => f.name).join(', ')}`);
  }
  return expanded.family.name;
}

function checkErrno(name: string, where: string): ErrnoName {
  if (!isErrnoName(name)) throw new UsageError(`${where}: unknown errno "${name}"; expected one of ${Object.keys(ERRNOS).join(', ')}`);
  return name;
}

/** Merges the spec's explore(...) config with CLI options (CLI wins field by field). */
export function resolveSpaceSettings(config: ExploreConfig | undefined, cli: SpaceOptions = {}): SpaceSettings {
  const familyNames = cli.families ?? config?.families;
  const families = familyNames
    ? [...new Set(familyNames.map((f) => resolveFamily(f, cli.families ? '--families' : 'explore(families=)')))]
    : FAMILIES.map((f) => f.name);

  const specErrnos = new Map<string, ErrnoName[]>();
  for (const [fam, list] of Object.entries(config?.errnos ?? {})) {
    specErrnos.set(resolveFamily(fam, 'explore(errnos=)'), list.map((e) => checkErrno(e, `explore(errnos=) for ${fam}`)));
  }
  const cliErrnos = cli.errnos?.map((e) => checkErrno(e, '--errnos'));
  const errnos: Record<string, readonly ErrnoName[]> = {};
  for (const fam of families) {
    const base = specErrnos.get(fam) ?? FAMILIES.find((f) => f.name === fam)!.errnos;
    errnos[fam] = cliErrnos ? base.filter((e) => cliErrnos.includes(e)) : [...base];
  }

  const maxDelayMs = cli.maxDelayMs ?? config?.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  if (!Number.isInteger(maxDelayMs) || maxDelayMs < 0) throw new UsageError(`max delay must be a non-negative number of ms, got ${maxDelayMs}`);
  let ladder: number[] = [];
  if (cli.delays !== false && maxDelayMs > 0) {
    ladder = DELAY_LADDER_MS.filter((d) => d <= maxDelayMs);
    if (!ladder.includes(maxDelayMs)) ladder.push(maxDelayMs);
  }

  const maxFaults = cli.maxFaults ?? config?.maxFaults ?? DEFAULT_MAX_FAULTS;
  if (!Number.isInteger(maxFaults) || maxFaults < 1) throw new UsageError(`max faults must be an integer >= 1, got ${maxFaults}`);

  const services = cli.services ?? config?.services;
  const explicitErrnos = families.filter((f) => cliErrnos !== undefined || specErrnos.has(f));
  const crashes = cli.crashes ?? config?.crashes ?? false;
  return { ...(services ? { services: [...services] } : {}), families, errnos, explicitErrnos, delayLadderMs: ladder, maxFaults, ...(crashes ? { crashes } : {}) };
}

/**
 * nth=1, always, nth=2, after=1, nth=3, after=2, ... within `count` calls. `always` is offered
 * even for a single recorded call: a fault makes code retry, and only `always` (unlike nth=1)
 * also faults the retries the fault-free run never made.
 */
export function triggersFor(count: number): TriggerChoice[] {
  const out: TriggerChoice[] = [];
  for (let k = 1; k <= count; k++) {
    out.push({ kind: 'nth', n: k });
    if (k === 1) out.push({ kind: 'always' });
    if (k >= 2) out.push({ kind: 'after', n: k - 1 });
  }
  return out;
}

function actionsFor(settings: SpaceSettings, family: FamilyName): ActionChoice[] {
  return [
    ...(settings.errnos[family] ?? []).map((errno): ActionChoice => ({ kind: 'deny', errno })),
    ...settings.delayLadderMs.map((ms): ActionChoice => ({ kind: 'delay', ms })),
  ];
}

/** nth=1..count only: the triggers a transient errno gets. */
function nthTriggers(count: number): TriggerChoice[] {
  return Array.from({ length: count }, (_, i): TriggerChoice => ({ kind: 'nth', n: i + 1 }));
}

/**
 * A transient errno (EINTR, EAGAIN) fails one call, never every call: always/after would make a
 * correct retry loop spin until the case times out, a "finding" made by the fault alone. So a
 * target's transient errnos form a target of their own with nth triggers only.
 */
function withTriggers(base: Omit<FaultTarget, 'triggers' | 'actions'>, actions: readonly ActionChoice[]): FaultTarget[] {
  const lasting = actions.filter((a) => a.kind !== 'deny' || !TRANSIENT_ERRNOS.has(a.errno));
  const transient = actions.filter((a) => a.kind === 'deny' && TRANSIENT_ERRNOS.has(a.errno));
  return [
    ...(lasting.length > 0 ? [{ ...base, triggers: triggersFor(base.count), actions: lasting }] : []),
    ...(transient.length > 0 ? [{ ...base, triggers: nthTriggers(base.count), actions: transient }] : []),
  ];
}

function classOfSite(kind: SiteKind): TargetClass {
  return kind === 'file' ? 'file' : kind === 'socket' || kind === 'peer' ? 'socket' : kind === 'pipe' ? 'pipe' : 'other';
}

/** The target class of each recorded call of a family (index = family-level occurrence - 1). */
export function callClasses(fc: FamilyCensus): TargetClass[] {
  const out: (TargetClass | undefined)[] = new Array(fc.count).fill(undefined);
  for (const site of fc.sites) for (const o of site.occurrences) out[o - 1] ??= classOfSite(site.kind);
  const classes = out.map((c) => c ?? 'other');
  for (const o of fc.nonblocking ?? []) if (o <= classes.length) classes[o - 1] = nonblockingClass(classes[o - 1]!);
  return classes;
}

/** The classes of a site's calls, from its family's `callClasses` (a peer's connects may be blocking or not). */
function siteClasses(classes: readonly TargetClass[], occurrences: readonly number[]): TargetClass[] {
  return occurrences.map((o) => classes[o - 1] ?? 'other');
}

/** The actions whose errno every call class can return (all of them when the user listed the errnos). */
function fitting(family: string, actions: readonly ActionChoice[], classes: readonly TargetClass[], explicit: boolean): ActionChoice[] {
  if (explicit) return [...actions];
  return actions.filter((a) => a.kind !== 'deny' || classes.every((c) => errnoFits(family, a.errno, c)));
}

/**
 * The family-wide targets. Calls on one class of target (files only, sockets only) give one
 * target with the errnos that class can return. Mixed calls give one target whose errnos fit
 * every class (with every trigger), plus, per class, a target for the errnos only that class can
 * return, aimed by nth at that class's calls: EPIPE on the 3rd write when that is the socket one,
 * never on a file write.
 */
function familyTargets(
  service: string, family: FamilyName, fc: FamilyCensus, classes: readonly TargetClass[], actions: readonly ActionChoice[], explicit: boolean,
): FaultTarget[] {
  const all = Array.from({ length: fc.count }, (_, i) => i + 1);
  const present = [...new Set(classes)];
  const base = { service, family, count: fc.count, occurrences: all };
  const common = fitting(family, actions, present, explicit);
  const out = withTriggers(base, common);
  if (present.length < 2 || explicit) return out;
  for (const cls of present) {
    const own = fitting(family, actions, [cls], false).filter((a) => !common.includes(a));
    const at = all.filter((o) => classes[o - 1] === cls);
    if (own.length > 0) out.push({ ...base, triggers: at.map((n): TriggerChoice => ({ kind: 'nth', n })), actions: own });
  }
  return out;
}

function targetsFor(service: string, family: FamilyName, fc: FamilyCensus, actions: readonly ActionChoice[], explicit: boolean): FaultTarget[] {
  if (fc.count === 0 || actions.length === 0) return [];
  const classes = callClasses(fc);
  const out: FaultTarget[] = familyTargets(service, family, fc, classes, actions, explicit);
  for (const site of fc.sites) {
    // A file site that covers every call of the family adds nothing over the family target.
    if (!site.glob || site.count === 0 || site.count >= fc.count) continue;
    out.push(...withTriggers({ service, family, pathGlob: site.glob, count: site.count, occurrences: site.occurrences }, fitting(family, actions, ['file'], explicit)));
  }
  for (const site of fc.sites) {
    // Calls to one peer (one dependency) out of several: their own target, so `nth` counts only
    // them and a DNS lookup or a reconnect elsewhere does not move the aim.
    if (!site.peerGlob || site.count === 0 || site.count >= fc.count) continue;
    const peerClasses = [...new Set(siteClasses(classes, site.occurrences))];
    out.push(...withTriggers({ service, family, peerGlob: site.peerGlob, count: site.count, occurrences: site.occurrences }, fitting(family, actions, peerClasses, explicit)));
  }
  return out.filter((t) => t.triggers.length > 0 && t.actions.length > 0);
}

/**
 * Crash points of one persistence family: before each call of each file site (so after each
 * earlier one), aimed by path so the n-th call stays the same call when other files are written.
 */
function crashTargets(service: string, family: FamilyName, fc: FamilyCensus): FaultTarget[] {
  if (!PERSISTENCE_FAMILIES.includes(family)) return [];
  return fc.sites
    .filter((site) => site.kind === 'file' && site.glob !== undefined && site.count > 0)
    .map((site) => ({
      service,
      family,
      pathGlob: site.glob!,
      count: site.count,
      occurrences: site.occurrences,
      triggers: nthTriggers(site.count),
      actions: CRASH_ACTIONS,
    }));
}

export function buildFaultSpace(census: Census, scenarios: readonly string[], settings: SpaceSettings): FaultSpace {
  const knownServices = new Set<string>();
  for (const sc of Object.values(census.scenarios)) for (const s of Object.keys(sc.services)) knownServices.add(s);
  for (const s of settings.services ?? []) {
    if (!knownServices.has(s)) {
      throw new UsageError(
        `service "${s}" made no recorded syscalls in any scenario (known: ${[...knownServices].sort().join(', ') || 'none'})`,
      );
    }
  }
  const familyOrder: readonly string[] = FAMILIES.map((f) => f.name);
  const spaces = scenarios.map((scenario): ScenarioSpace => {
    const sc = census.scenarios[scenario];
    if (!sc) throw new UsageError(`scenario "${scenario}" is not in the census (re-record with a fresh census)`);
    const targets: FaultTarget[] = [];
    for (const service of Object.keys(sc.services).sort()) {
      if (settings.services && !settings.services.includes(service)) continue;
      const fams = sc.services[service]!;
      const ordered = Object.keys(fams)
        .filter((f): f is FamilyName => isFamilyName(f) && settings.families.includes(f))
        .sort((a, b) => familyOrder.indexOf(a) - familyOrder.indexOf(b));
      for (const family of ordered) {
        targets.push(...targetsFor(service, family, fams[family]!, actionsFor(settings, family), settings.explicitErrnos?.includes(family) ?? false));
        if (settings.crashes) targets.push(...crashTargets(service, family, fams[family]!));
      }
    }
    const singles = targets.reduce((n, t) => n + t.triggers.length * t.actions.length, 0);
    return { scenario, targets, singles };
  });
  return { censusHash: census.hash, settings, scenarios: spaces };
}

/** The concrete fault for (target, trigger index, action index). */
export function faultAt(target: FaultTarget, triggerIdx: number, actionIdx: number): InjectedFault {
  const trig = target.triggers[triggerIdx]!;
  const act = target.actions[actionIdx]!;
  return normalizeFault({
    service: target.service,
    keyword: target.family,
    action: act,
    trigger: trig.kind === 'nth' ? { nth: trig.n } : trig.kind === 'after' ? { after: trig.n } : {},
    ...(target.pathGlob !== undefined ? { pathGlob: target.pathGlob } : {}),
    ...(target.peerGlob !== undefined ? { peerGlob: target.peerGlob } : {}),
  });
}

/** The target a fault was drawn from (same service, family and path), if it is in the space. */
export function targetOf(space: ScenarioSpace, f: InjectedFault): FaultTarget | undefined {
  return space.targets.find((t) => t.service === f.service && t.family === resolveFamilyName(f.keyword) && t.pathGlob === f.pathGlob && t.peerGlob === f.peerGlob);
}

function resolveFamilyName(keyword: string): string {
  return expandKeyword(keyword)?.family.name ?? keyword;
}

/** Errnos the space tries for a family, in order (the shrinker moves toward the first). */
export function errnosIn(space: FaultSpace, family: string): readonly ErrnoName[] {
  const name = resolveFamilyName(family);
  return space.settings.errnos[name] ?? FAMILIES.find((f) => f.name === name)?.errnos ?? [];
}

/** What the shrinker needs about one scenario: recorded counts, site occurrences, errno order. */
export function shrinkDomainFor(census: Census, space: FaultSpace, scenario: string): ShrinkDomain {
  const familyCensus = (f: InjectedFault): FamilyCensus | undefined =>
    census.scenarios[scenario]?.services[f.service]?.[resolveFamilyName(f.keyword)];
  const siteOf = (f: InjectedFault) =>
    familyCensus(f)?.sites.find((s) => (f.pathGlob !== undefined ? s.glob === f.pathGlob : s.peerGlob !== undefined && s.peerGlob === f.peerGlob));
  const aimed = (f: InjectedFault) => f.pathGlob !== undefined || f.peerGlob !== undefined;
  /** The classes of the calls a fault can hit (by nth, or from its onset on). */
  const classesHit = (f: InjectedFault): TargetClass[] | undefined => {
    if (f.pathGlob !== undefined) return ['file'];
    const fc = familyCensus(f);
    const peerSite = f.peerGlob !== undefined ? siteOf(f) : undefined;
    // A peer outside the census is still a socket; a family outside it, unknown.
    if (!fc || (f.peerGlob !== undefined && !peerSite)) return f.peerGlob !== undefined ? ['socket'] : undefined;
    const family = callClasses(fc);
    const classes = peerSite ? siteClasses(family, peerSite.occurrences) : family;
    const { nth, after } = f.trigger;
    if (nth !== undefined) return nth <= classes.length ? [classes[nth - 1]!] : undefined;
    return classes.slice(after ?? 0);
  };
  return {
    fits: (f) => {
      const errno = errnoOf(f);
      if (errno === undefined) return true;
      if (space.settings.explicitErrnos?.includes(resolveFamilyName(f.keyword))) return true;
      const classes = classesHit(f);
      return classes === undefined || classes.every((c) => errnoFits(resolveFamilyName(f.keyword), errno, c));
    },
    countFor: (f) => (aimed(f) ? siteOf(f)?.count : familyCensus(f)?.count),
    familyOccurrence: (f, k) => (aimed(f) ? siteOf(f)?.occurrences[k - 1] : k),
    errnos: (family) => errnosIn(space, family),
    delayLadderMs: space.settings.delayLadderMs,
    callSequence: (f) => {
      const fc = familyCensus(f);
      return fc && callSequenceOf(fc);
    },
  };
}
