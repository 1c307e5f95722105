import { describe, expect, it } from 'vitest';
import type { CaseVerdict } from '../runner/runner.js';
import { firstFrame, symptomOf } from './symptom.js';

const base = { fired: { f1: 1 }, excerpt: [], durationMs: 5 };
const assertion = (message: string, at?: string): CaseVerdict => ({ ...base, kind: 'fail', reason: 'assertion', message, ...(at ? { at } : {}) });
const crash = (lines: string[], exitCode = 1): CaseVerdict => ({ ...base, kind: 'crash', service: 'js', exitCode, serviceLog: { service: 'js', lines } });

describe('symptoms', () => {
  it('are one per assertion site, whatever values the message shows', () => {
    const a = symptomOf('s', assertion('assert_eq: lost: "" != "1"', '/w/spec.star:31:5'))!;
    const b = symptomOf('s', assertion('assert_eq: lost: "0" != "1"', '/other/checkout/spec.star:31:5'))!;
    expect(a.key).toBe(b.key);
    expect(a.severity).toBe('safety');
    expect(a.label).toBe('assertion at spec.star:31:5');
    expect(symptomOf('s', assertion('assert_eq: lost', '/w/spec.star:40:5'))!.key).not.toBe(a.key);
    expect(symptomOf('other', assertion('assert_eq: lost: "" != "1"', '/w/spec.star:31:5'))!.key).not.toBe(a.key);
  });

  it('fall back to the message class when the position is unknown', () => {
    const a = symptomOf('s', assertion('expected 12 items, got 11'))!;
    expect(a.key).toBe(symptomOf('s', assertion('expected 13 items, got 10'))!.key);
    expect(a.key).not.toBe(symptomOf('s', assertion('item missing'))!.key);
  });

  it('class step errors, crashes and unhealthy services as availability, timeouts as liveness', () => {
    expect(symptomOf('s', { ...base, kind: 'fail', reason: 'step-error', message: 'connection refused' })!.severity).toBe('availability');
    expect(symptomOf('s', crash(['boom']))!.severity).toBe('availability');
    expect(symptomOf('s', { ...base, kind: 'unhealthy', service: 'db' })!.severity).toBe('availability');
    expect(symptomOf('s', { ...base, kind: 'timeout', timeoutMs: 1000 })!.severity).toBe('liveness');
    expect(symptomOf('s', { ...base, kind: 'pass' })).toBeUndefined();
  });

  it('group crashes by exit code and first frame, not by the errno the log names', () => {
    const eio = crash(["Some error occurred [Error: EIO: i/o error, write] {", "  code: 'EIO',", "  syscall: 'write'"]);
    const enoent = crash(["Some error occurred [Error: ENOENT: no such file or directory, open '/tmp/x/.~db.json'] {", "  code: 'ENOENT',"]);
    expect(symptomOf('s', eio)!.key).toBe(symptomOf('s', enoent)!.key);
    expect(symptomOf('s', crash(['boom'], 2))!.key).not.toBe(symptomOf('s', eio)!.key);
    const atA = crash(['Error: EIO', '    at writeDb (/srv/app/store.js:10:3)', '    at main (/srv/app/index.js:2:1)']);
    const atB = crash(['Error: EIO', '    at flush (/srv/app/store.js:42:7)']);
    expect(symptomOf('s', atA)!.key).not.toBe(symptomOf('s', atB)!.key);
    expect(symptomOf('s', atA)!.label).toBe('js exit 1 at writeDb (store.js:10:3)');
  });

  it('read the innermost frame of Node, Python and Go traces', () => {
    expect(firstFrame({ service: 'a', lines: ['TypeError: x', '    at Object.<anonymous> (file:///srv/a/b.mjs:3:9)'] })).toBe('Object.<anonymous> (b.mjs:3:9)');
    expect(
      firstFrame({ service: 'a', lines: ['Traceback (most recent call last):', '  File "/srv/app.py", line 80, in main', '  File "/srv/store.py", line 12, in put', 'OSError: [Errno 5]'] }),
    ).toBe('put (store.py:12)');
    expect(
      firstFrame({ service: 'a', lines: ['panic: write failed', '', 'goroutine 7 [running]:', 'main.(*store).put(0xc000010000)', '\t/src/main.go:31 +0x1d'] }),
    ).toBe('main.(*store).put');
    expect(firstFrame({ service: 'a', lines: ['fatal: disk error'] })).toBeUndefined();
  });

  it('skip the language runtime\'s own frames: a refused connect is one symptom however Node reports it', () => {
    const viaCallback = crash(['Error: connect ECONNREFUSED 127.0.0.1:17202', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1611:16) {', "  code: 'ECONNREFUSED',"]);
    const sync = crash(['Error: connect ETIMEDOUT 127.0.0.1:17202', '    at internalConnect (node:net:1098:16)', '    at process.processTicksAndRejections (node:internal/process/task_queues:77:11) {']);
    expect(symptomOf('s', viaCallback)!.key).toBe(symptomOf('s', sync)!.key);
    expect(firstFrame({ service: 'a', lines: ['    at node:net:1328:9', '    at save (/srv/kv.js:8:3)'] })).toBe('save (kv.js:8:3)');
    expect(
      firstFrame({ service: 'a', lines: ['  File "/srv/app.py", line 9, in put', '  File "/usr/lib/python3.11/socket.py", line 700, in write'] }),
    ).toBe('put (app.py:9)');
    expect(firstFrame({ service: 'a', lines: ['goroutine 1 [running]:', 'runtime.throw(0x1)', 'main.save(0x2)'] })).toBe('main.save');
  });
});
