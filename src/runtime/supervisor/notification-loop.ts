// The seccomp notification loop (runs inside the supervisor's worker thread). One poll() covers
// every attached listener plus a wake-up eventfd, so the loop never sits in NOTIF_RECV where
// nothing could interrupt it; delayed calls wait in a timer heap whose next due time is the poll
// timeout, so a held call never stops the others from being answered.
import { posix } from 'node:path';
import type { FaultRule } from '../../spec/model.js';
import { libc, type Libc, errnoText } from '../kernel/libc.js';
import { Notification, enableSyncWakeUp } from '../kernel/notification.js';
import { pinnedBuffer, readU64 } from '../kernel/pinned-buffer.js';
import { ProcLinks } from '../kernel/proc-links.js';
import { POLLERR, POLLFD_SIZE, POLLHUP, POLLIN, POLLNVAL } from '../kernel/seccomp-abi.js';
import { SOCKADDR_MAX, decodeSockaddr } from '../kernel/sockaddr.js';
import { ARG_SHAPES, AT_FDCWD, MSGHDR_NAME, MSGHDR_NAMELEN, SYSCALL_NR_LIMIT, syscallName, syscallNumber, type ArgShape } from '../kernel/syscall-table.js';
import { TargetMemory } from '../kernel/target-memory.js';
import { ArmedRuleSet, DECISION_ALLOW, DECISION_CRASH, DECISION_DELAY, DECISION_DENY, type ArmedRule, type CallTarget, type RuleCounters } from './armed-rules.js';
import { killServiceTree, type AttachOptions, type CrashNotice } from './crash-action.js';
import { UNDO_LOG_NR, UndoLog, type RollbackReport } from './undo-log.js';
import { EventColumns, type EventBatch } from './event-columns.js';
import { HoldQueue } from './hold-queue.js';
import { RUNTIME_FD_SYSCALLS, isSparedTarget, selfPipeTarget } from './runtime-fds.js';
import { targetClassOf } from '../../spec/errno-fit.js';
import { SocketEffects, socketEffectOf } from './socket-effects.js';

const EINTR = 4;
const ENOENT = 2;
const EAGAIN = 11;
const EVENT_BATCH = 1024;
const F_GETFD = 1;

interface ServiceState {
  readonly name: string;
  rules: ArmedRuleSet;
  recording: boolean;
  /** Its first process, whose tree a crash rule kills. */
  rootPid: number | undefined;
  /** Set once a crash rule killed it: its calls are never answered until it is attached again. */
  crashed: boolean;
  /** Kept from launch when the service may lose unsynced writes. */
  undo: UndoLog | undefined;
}

interface Listener {
  readonly fd: number;
  readonly service: ServiceState;
  readonly syncWakeUp: boolean;
}

/** A call a delay rule holds: whose listener answers it, and which rule holds it. */
interface HeldCall {
  readonly listener: Listener;
  readonly ruleId: string;
}

export interface LoopStats {
  /** Notifications received. */
  notifications: number;
  /** Calls that vanished before they were answered (target killed, call interrupted). */
  dropped: number;
  /** Calls held by a delay right now. */
  held: number;
  /** Listeners whose targets have all exited. */
  endedListeners: number;
  /** Listeners the kernel refused the sync wake-up flag for (slow path). */
  withoutSyncWakeUp: number;
}

export interface LoopSink {
  /** The event columns filled up: ship them. */
  batch(batch: EventBatch): void;
  /** A listener broke (not a target exit): the test must fail. */
  listenerFailed(service: string, message: string): void;
  /** A crash rule killed a service's processes: the orchestrator restarts it. */
  crashed(notice: CrashNotice): void;
}

const SHAPE_BY_NR: (ArgShape | undefined)[] = new Array(SYSCALL_NR_LIMIT).fill(undefined);
for (let nr = 0; nr < SYSCALL_NR_LIMIT; nr++) {
  const name = syscallName(nr);
  if (name) SHAPE_BY_NR[nr] = ARG_SHAPES[name];
}

/** Syscall numbers whose calls on runtime descriptors path-less rules skip (see runtime-fds.ts). */
const RUNTIME_FD_NR: boolean[] = new Array(SYSCALL_NR_LIMIT).fill(false);
for (const name of RUNTIME_FD_SYSCALLS) RUNTIME_FD_NR[syscallNumber(name)] = true;

export class NotificationLoop implements CallTarget {
  private readonly c: Libc = libc();
  private readonly socketEffects = new SocketEffects(this.c);
  private readonly note = new Notification();
  private readonly memory = new TargetMemory();
  private readonly links = new ProcLinks();
  private readonly services = new Map<string, ServiceState>();
  private listeners: Listener[] = [];
  private pollfds: Buffer;
  private pollAddress = 0;
  /** The poll set as int16s, to read revents without Buffer calls. */
  private revents: Int16Array;
  private readonly holds = new HoldQueue<HeldCall>();
  private readonly events = new EventColumns(EVENT_BATCH);
  private readonly eventfdScratch = pinnedBuffer(8);
  private seq = 0;
  /** Added to performance.now() to get ms since the time origin. */
  private clockOffset: number;
  readonly stats: LoopStats = { notifications: 0, dropped: 0, held: 0, endedListeners: 0, withoutSyncWakeUp: 0 };

  // The call being handled (the CallTarget the rules ask for its path).
  private curPid = 0;
  private curNr = 0;
  private curPathDone = false;
  private curPath: string | undefined;
  private curPeerDone = false;
  private curPeer: string | undefined;
  /** Target memory was read for this call: re-check the notification before trusting it. */
  private curReadMemory = false;

  constructor(private readonly wakeFd: number, private readonly sink: LoopSink, originEpochMs: number) {
    this.pollfds = pinnedBuffer(POLLFD_SIZE);
    this.revents = new Int16Array(0);
    this.clockOffset = performance.timeOrigin - originEpochMs;
    this.rebuildPollSet();
  }

  /**
   * Waits for the next thing to do and does it: answers notifications, releases delays that are
   * due. Returns true when the wake-up fd fired (commands are waiting for the caller).
   */
  pollOnce(): boolean {
    const c = this.c;
    const nfds = 1 + this.listeners.length;
    const timeout = this.holds.size === 0 ? -1 : Math.max(0, Math.ceil(this.holds.nextDue() - performance.now()));
    const n = c.pollAt(this.pollAddress, nfds, timeout);
    if (n < 0) {
      const e = c.errno();
      if (e === EINTR) return false;
      throw new Error(`poll() on the seccomp listeners failed: ${errnoText(e)}`);
    }
    if (this.holds.size !== 0) this.releaseDue(performance.now());
    if (n === 0) return false;
    let woke = false;
    const revents = this.revents;
    if (revents[3]! & POLLIN) {
      c.read(this.wakeFd, this.eventfdScratch, 8); // reset the eventfd counter (non-blocking)
      woke = true;
    }
    // Listeners sit in slots 1..n; one may be dropped while walking (the poll set is rebuilt after).
    const list = this.listeners;
    for (let i = 0; i < list.length; i++) {
      // struct pollfd is 4 int16s: fd (2), events, revents.
      const r = revents[(i + 1) * 4 + 3]!;
      if (r === 0) continue;
      const l = list[i]!;
      if (r & POLLIN) {
        this.receive(l);
      } else if (r & (POLLHUP | POLLERR | POLLNVAL)) {
        if (r & POLLNVAL) this.sink.listenerFailed(l.service.name, `listener fd ${l.fd} is no longer open (closed behind the supervisor's back)`);
        this.markEnded(l);
      }
    }
    if (this.pollSetStale) this.rebuildPollSet();
    return woke;
  }

  // ---- commands (called between polls) -------------------------------------------------------

  attach(service: string, fd: number, options: AttachOptions = {}): void {
    if (this.listeners.some((l) => l.fd === fd)) throw new Error(`listener fd ${fd} is already attached`);
    if (this.c.fcntl(fd, F_GETFD, 0) < 0) throw new Error(`listener fd ${fd} is not open (${errnoText(this.c.errno())})`);
    const syncWakeUp = enableSyncWakeUp(fd);
    if (!syncWakeUp) this.stats.withoutSyncWakeUp++;
    const s = this.service(service);
    s.rootPid = options.rootPid ?? s.rootPid;
    s.crashed = false;
    // The log survives restarts within a test (rollback() empties it); a later launch without one ends it.
    if (options.undoLog) s.undo ??= new UndoLog();
    else if (s.undo) {
      s.undo.close();
      s.undo = undefined;
    }
    this.listeners.push({ fd, service: s, syncWakeUp });
    this.rebuildPollSet();
  }

  /** After a crash: the service's files back to their last synced state (its processes are gone). */
  rollback(service: string): RollbackReport {
    const undo = this.services.get(service)?.undo;
    if (!undo) throw new Error(`service ${service} keeps no undo log`);
    return undo.rollback();
  }

  setRules(service: string, rules: readonly FaultRule[], seed: number, keepCounters: boolean): void {
    const s = this.service(service);
    s.rules = ArmedRuleSet.arm(service, rules, seed, keepCounters ? s.rules.counters() : undefined);
    const kept = new Set(rules.map((r) => r.id));
    this.releaseHeld((h) => h.listener.service === s && !kept.has(h.ruleId));
  }

  disarm(service: string): void {
    const s = this.services.get(service);
    if (!s) return;
    s.rules = ArmedRuleSet.EMPTY;
    this.releaseHeld((h) => h.listener.service === s);
  }

  /**
   * A delay lasts while its rule does: when a fault scope ends (or a case does), the calls its
   * delay rules still hold go on at once instead of stalling whatever runs next.
   */
  private releaseHeld(match: (h: HeldCall) => boolean): void {
    if (this.holds.size === 0) return;
    this.holds.removeWhere(match, (h, id) => this.answerHeld(h.listener, id));
    this.stats.held = this.holds.size;
  }

  setRecording(service: string, on: boolean): void {
    this.service(service).recording = on;
  }

  /**
   * Releases the service's held calls and closes its listeners; forgets its rules (and its undo
   * log) unless `keepRules` — a restart within a test, whose next listener carries on with them.
   */
  detach(service: string, keepRules = false): void {
    const s = this.services.get(service);
    if (!s) return;
    this.releaseHeld((h) => h.listener.service === s);
    for (const l of this.listeners) if (l.service === s) this.c.close(l.fd);
    for (const l of this.endedListeners) if (l.service === s) this.c.close(l.fd);
    this.listeners = this.listeners.filter((l) => l.service !== s);
    this.endedListeners = this.endedListeners.filter((l) => l.service !== s);
    if (!keepRules) {
      s.undo?.close();
      this.services.delete(service);
    }
    this.rebuildPollSet();
  }

  /** Everything recorded since the last take, including calls answered just now. */
  takeEvents(): EventBatch {
    return this.events.take();
  }

  ruleCounters(): Record<string, RuleCounters> {
    const out: Record<string, RuleCounters> = {};
    for (const s of this.services.values()) for (const [id, c] of s.rules.counters()) out[id] = c;
    return out;
  }

  setTimeOrigin(originEpochMs: number): void {
    this.clockOffset = performance.timeOrigin - originEpochMs;
  }

  /** Releases every held call and closes every listener. */
  shutdown(): void {
    this.links.close();
    for (const s of this.services.values()) s.undo?.close();
    this.releaseHeld(() => true);
    for (const l of [...this.listeners, ...this.endedListeners]) this.c.close(l.fd);
    this.listeners = [];
    this.endedListeners = [];
    this.services.clear();
    this.rebuildPollSet();
  }

  // ---- the hot path ---------------------------------------------------------------------------

  private receive(l: Listener): void {
    const note = this.note;
    const fd = l.fd;
    const e = note.recv(fd);
    if (e !== 0) {
      if (e === ENOENT) this.stats.dropped++;
      else if (e !== EINTR && e !== EAGAIN) this.failListener(l, `NOTIF_RECV failed: ${errnoText(e)}`);
      return;
    }
    this.stats.notifications++;
    const nr = note.nr;
    const svc = l.service;
    if (svc.crashed) {
      killServiceTree(undefined, note.pid); // a straggler of a killed service: it must not go on
      return;
    }
    const rules = svc.rules.rulesFor(nr);
    if (rules === undefined && !svc.recording) {
      this.continueCall(l, svc, nr);
      return;
    }
    this.curPid = note.pid;
    this.curNr = nr;
    this.curPathDone = false;
    this.curPath = undefined;
    this.curPeerDone = false;
    this.curPeer = undefined;
    this.curReadMemory = false;

    const rule: ArmedRule | undefined = rules === undefined ? undefined : svc.rules.match(rules, this);
    const decision = rule === undefined ? DECISION_ALLOW : rule.decision;
    // Resolving an fd's path costs a readlink (several µs, as much as a round trip), so events
    // get paths and peers only when a rule fired or the service is being recorded; calls a rule
    // covers but did not fault are recorded without them (unless a glob already resolved it).
    const resolved = rule !== undefined || svc.recording;
    if (resolved) {
      this.path();
      this.peer();
    }
    if (this.curReadMemory && !note.stillValid(fd)) {
      this.stats.dropped++; // the call vanished while we read its arguments
      return;
    }
    this.record(svc.name, decision, rule, resolved && this.onNonblockingChannel());
    if (decision === DECISION_DENY) {
      this.applySocketEffect(rule!.errno);
      this.answer(l, note.fail(fd, rule!.errno));
    } else if (decision === DECISION_CRASH) {
      this.crash(svc, rule!, nr);
    } else if (decision === DECISION_DELAY) {
      // The undo log saves what the call overwrites now, before it is held (it runs as it is).
      const e = svc.undo !== undefined && UNDO_LOG_NR[nr] ? svc.undo.before(note) : 0;
      if (e !== 0) return this.answer(l, note.fail(fd, e));
      this.holds.push(performance.now() + rule!.delayMs, { listener: l, ruleId: rule!.id }, note.saveId());
      this.stats.held = this.holds.size;
    } else {
      this.continueCall(l, svc, nr);
    }
  }

  /** Before the errno reaches the target: what the kernel would have done to the socket (socket-effects.ts). */
  private applySocketEffect(errno: number): void {
    const name = syscallName(this.curNr);
    const shape = SHAPE_BY_NR[this.curNr];
    if (name === undefined || shape === undefined || !('fdArg' in shape)) return;
    const effect = socketEffectOf(name, errno);
    if (effect === 'none') return;
    const fdTarget = shape.kind === 'fd' ? this.path() : this.links.fdTarget(this.curPid, this.note.argInt(shape.fdArg));
    this.socketEffects.apply(effect, this.curPid, this.note.argInt(shape.fdArg), fdTarget);
  }

  /** Lets the call run, after the undo log (when the service keeps one) saved what it changes. */
  private continueCall(l: Listener, svc: ServiceState, nr: number): void {
    const e = svc.undo !== undefined && UNDO_LOG_NR[nr] ? svc.undo.before(this.note) : 0;
    this.answer(l, e === 0 ? this.note.continue(l.fd) : this.note.fail(l.fd, e));
  }

  /** A crash rule fired: the call is left unanswered while every process of the service is killed. */
  private crash(svc: ServiceState, rule: ArmedRule, nr: number): void {
    svc.crashed = true;
    killServiceTree(svc.rootPid, this.curPid);
    // The trace must show the crash even if nothing drains before the restart.
    if (this.events.count > 0) this.sink.batch(this.events.take());
    this.sink.crashed({ service: svc.name, ruleId: rule.id, loseUnsynced: rule.loseUnsynced, syscall: syscallName(nr) ?? String(nr) });
  }

  private answer(l: Listener, e: number): void {
    if (e === 0) return;
    if (e === ENOENT) this.stats.dropped++;
    else this.failListener(l, `NOTIF_SEND failed: ${errnoText(e)}`);
  }

  private answerHeld(l: Listener, id: Buffer): void {
    const e = this.note.continueSaved(l.fd, id);
    if (e !== 0 && e !== ENOENT) this.sink.listenerFailed(l.service.name, `NOTIF_SEND of a delayed call failed: ${errnoText(e)}`);
    if (e === ENOENT) this.stats.dropped++;
  }

  private releaseDue(now: number): void {
    while (this.holds.size !== 0 && this.holds.nextDue() <= now) {
      const [h, id] = this.holds.pop();
      this.answerHeld(h.listener, id);
    }
    this.stats.held = this.holds.size;
  }

  private record(service: string, decision: number, rule: ArmedRule | undefined, nonblocking: boolean): void {
    const ev = this.events;
    ev.push(
      ++this.seq, this.clockOffset + performance.now(), service, this.curPid, this.curNr, decision,
      rule === undefined ? 0 : rule.errno, rule === undefined ? 0 : rule.delayMs,
      this.curPath, this.curPeer, rule?.id, rule?.label, nonblocking,
    );
    if (ev.full) this.sink.batch(ev.take());
  }

  /**
   * Whether the call acts on a socket or pipe in non-blocking mode. On such a descriptor EINTR
   * and EAGAIN do not mean what they mean elsewhere (errno-fit.ts), so the census and verdicts
   * say so. Costs a read of the fd's fdinfo: asked only for events recorded with their target.
   */
  private onNonblockingChannel(): boolean {
    const shape = SHAPE_BY_NR[this.curNr];
    if (shape === undefined || !('fdArg' in shape)) return false;
    // connect/sendto/sendmsg act on a socket by definition; an fd call only counts on a socket or pipe.
    if (shape.kind === 'fd') {
      const cls = this.curPath === undefined ? 'other' : targetClassOf(this.curPath);
      if (cls !== 'socket' && cls !== 'pipe') return false;
    }
    return this.links.isNonblocking(this.curPid, this.note.argInt(shape.fdArg));
  }

  /** CallTarget: the call's path, or its fd's resolved target; read once per call, lazily. */
  path(): string | undefined {
    if (this.curPathDone) return this.curPath;
    this.curPathDone = true;
    const shape = SHAPE_BY_NR[this.curNr];
    if (shape === undefined) return undefined;
    const note = this.note;
    const pid = this.curPid;
    switch (shape.kind) {
      case 'fd': {
        const target = this.links.fdTarget(pid, note.argInt(shape.fdArg));
        // Only the calls runtimes wake themselves with pay for the self-pipe check.
        const selfPipe = target !== undefined && RUNTIME_FD_NR[this.curNr] && target.startsWith('pipe:') && this.links.holdsBothEnds(pid, target);
        this.curPath = selfPipe ? selfPipeTarget(target) : target;
        break;
      }
      case 'path': {
        this.curReadMemory = true;
        const p = this.memory.readCString(pid, note.argU64(shape.pathArg));
        this.curPath = p === undefined || p.startsWith('/') ? p : this.absolute(pid, p, shape.dirfdArg);
        break;
      }
      case 'sockaddr':
      case 'msghdr': {
        // Rules on connect/sendto/sendmsg match the peer; unix socket peers by their path.
        const peer = this.peer();
        if (peer !== undefined) this.curPath = peer.startsWith('unix:') ? peer.slice(5) : peer;
        else this.curPath = this.links.fdTarget(pid, note.argInt(shape.fdArg));
        break;
      }
      case 'none':
        break;
    }
    return this.curPath;
  }

  /** CallTarget: read/write/readv/writev on an anon_inode descriptor (costs the fd's readlink). */
  onRuntimeFd(): boolean {
    if (!RUNTIME_FD_NR[this.curNr]) return false;
    return isSparedTarget(this.path());
  }

  /** CallTarget: the peer a connect/sendto/sendmsg names (decoded once per call, lazily). */
  peer(): string | undefined {
    if (this.curPeerDone) return this.curPeer;
    this.curPeerDone = true;
    const shape = SHAPE_BY_NR[this.curNr];
    if (shape === undefined) return undefined;
    let addr: number;
    let len: number;
    if (shape.kind === 'sockaddr') {
      addr = this.note.argU64(shape.addrArg);
      len = this.note.argU64(shape.lenArg);
    } else if (shape.kind === 'msghdr') {
      const msg = this.note.argU64(shape.msgArg);
      if (msg === 0) return undefined;
      this.curReadMemory = true;
      if (this.memory.read(this.curPid, msg + MSGHDR_NAME, 16) !== 16) return undefined;
      addr = readU64(this.memory.bytes, 0);
      len = this.memory.bytes.readUInt32LE(MSGHDR_NAMELEN - MSGHDR_NAME);
    } else {
      return undefined;
    }
    if (addr === 0 || len < 2) return undefined; // a send on a connected socket
    this.curReadMemory = true;
    const got = this.memory.read(this.curPid, addr, Math.min(len, SOCKADDR_MAX));
    if (got > 0) this.curPeer = decodeSockaddr(this.memory.bytes, got);
    return this.curPeer;
  }

  private absolute(pid: number, rel: string, dirfdArg: number | undefined): string {
    const dirfd = dirfdArg === undefined ? AT_FDCWD : this.note.argInt(dirfdArg);
    const base = dirfd === AT_FDCWD ? this.links.cwd(pid) : this.links.fdTarget(pid, dirfd);
    return base === undefined ? rel : posix.join(base, rel);
  }

  // ---- bookkeeping ----------------------------------------------------------------------------

  private endedListeners: Listener[] = [];
  private pollSetStale = false;

  /** Stops polling a listener (its fd stays open until detach, so the number is not reused). */
  private markEnded(l: Listener): void {
    this.listeners = this.listeners.filter((x) => x !== l);
    this.endedListeners.push(l);
    this.stats.endedListeners++;
    this.pollSetStale = true;
  }

  private failListener(l: Listener, message: string): void {
    this.sink.listenerFailed(l.service.name, message);
    this.markEnded(l);
  }

  private service(name: string): ServiceState {
    let s = this.services.get(name);
    if (!s) {
      s = { name, rules: ArmedRuleSet.EMPTY, recording: false, rootPid: undefined, crashed: false, undo: undefined };
      this.services.set(name, s);
    }
    return s;
  }

  private rebuildPollSet(): void {
    this.pollSetStale = false;
    const need = (1 + this.listeners.length) * POLLFD_SIZE;
    if (this.pollfds.length < need || this.pollAddress === 0) {
      this.pollfds = pinnedBuffer(Math.max(need * 2, 4 * POLLFD_SIZE));
      this.pollAddress = this.c.addressOf(this.pollfds);
      this.revents = new Int16Array(this.pollfds.buffer, this.pollfds.byteOffset, this.pollfds.length / 2);
    }
    const pfd = this.pollfds;
    pfd.fill(0);
    pfd.writeInt32LE(this.wakeFd, 0);
    pfd.writeInt16LE(POLLIN, 4);
    this.listeners.forEach((l, i) => {
      pfd.writeInt32LE(l.fd, (i + 1) * POLLFD_SIZE);
      pfd.writeInt16LE(POLLIN, (i + 1) * POLLFD_SIZE + 4);
    });
  }
}
