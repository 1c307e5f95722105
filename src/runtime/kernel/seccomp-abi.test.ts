import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SECCOMP_DATA, SECCOMP_IOCTL_NOTIF_ID_VALID, SECCOMP_IOCTL_NOTIF_RECV, SECCOMP_IOCTL_NOTIF_SEND,
  SECCOMP_IOCTL_NOTIF_SET_FLAGS, SECCOMP_NOTIF, SECCOMP_NOTIF_RESP, ioc,
} from './seccomp-abi.js';

// The layouts are checked against the C compiler's view of the installed kernel headers.
const PROBE = `
#include <stddef.h>
#include <stdio.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
int main(void) {
  printf("notif.size=%zu\\n", sizeof(struct seccomp_notif));
  printf("notif.id=%zu\\n", offsetof(struct seccomp_notif, id));
  printf("notif.pid=%zu\\n", offsetof(struct seccomp_notif, pid));
  printf("notif.flags=%zu\\n", offsetof(struct seccomp_notif, flags));
  printf("notif.data=%zu\\n", offsetof(struct seccomp_notif, data));
  printf("data.size=%zu\\n", sizeof(struct seccomp_data));
  printf("data.nr=%zu\\n", offsetof(struct seccomp_data, nr));
  printf("data.arch=%zu\\n", offsetof(struct seccomp_data, arch));
  printf("data.instructionPointer=%zu\\n", offsetof(struct seccomp_data, instruction_pointer));
  printf("data.args=%zu\\n", offsetof(struct seccomp_data, args));
  printf("resp.size=%zu\\n", sizeof(struct seccomp_notif_resp));
  printf("resp.id=%zu\\n", offsetof(struct seccomp_notif_resp, id));
  printf("resp.val=%zu\\n", offsetof(struct seccomp_notif_resp, val));
  printf("resp.error=%zu\\n", offsetof(struct seccomp_notif_resp, error));
  printf("resp.flags=%zu\\n", offsetof(struct seccomp_notif_resp, flags));
  printf("ioctl.recv=%lu\\n", (unsigned long)SECCOMP_IOCTL_NOTIF_RECV);
  printf("ioctl.send=%lu\\n", (unsigned long)SECCOMP_IOCTL_NOTIF_SEND);
  printf("ioctl.idValid=%lu\\n", (unsigned long)SECCOMP_IOCTL_NOTIF_ID_VALID);
  /* Not in older headers: built from the same macro the kernel uses. */
  printf("ioctl.setFlags=%lu\\n", (unsigned long)SECCOMP_IOW(4, __u64));
  return 0;
}
`;

let probe: Record<string, number> = {};
let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultbox-abi-'));
  writeFileSync(join(dir, 'probe.c'), PROBE);
  execFileSync('gcc', ['-o', join(dir, 'probe'), join(dir, 'probe.c')]);
  const out = execFileSync(join(dir, 'probe'), { encoding: 'utf8' });
  probe = Object.fromEntries(out.trim().split('\n').map((l) => {
    const [k, v] = l.split('=');
    return [k, Number(v)];
  }));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('seccomp ABI', () => {
  it('has the x86-64 ioctl numbers the kernel uses', () => {
    expect(SECCOMP_IOCTL_NOTIF_RECV).toBe(0xc0502100);
    expect(SECCOMP_IOCTL_NOTIF_SEND).toBe(0xc0182101);
    expect(SECCOMP_IOCTL_NOTIF_ID_VALID).toBe(0x40082102);
    expect(SECCOMP_IOCTL_NOTIF_SET_FLAGS).toBe(0x40082104);
    expect(probe['ioctl.recv']).toBe(SECCOMP_IOCTL_NOTIF_RECV);
    expect(probe['ioctl.send']).toBe(SECCOMP_IOCTL_NOTIF_SEND);
    expect(probe['ioctl.idValid']).toBe(SECCOMP_IOCTL_NOTIF_ID_VALID);
    expect(probe['ioctl.setFlags']).toBe(SECCOMP_IOCTL_NOTIF_SET_FLAGS);
  });

  it('encodes _IOC(dir, type, nr, size) with the kernel bit layout', () => {
    expect(ioc(2, 0x21, 7, 16)).toBe((2 << 30 | 16 << 16 | 0x21 << 8 | 7) >>> 0);
  });

  it('lays out struct seccomp_data (64 bytes) as the headers do', () => {
    expect(SECCOMP_DATA.size).toBe(64);
    for (const k of ['size', 'nr', 'arch', 'instructionPointer', 'args'] as const) {
      expect(SECCOMP_DATA[k], k).toBe(probe[`data.${k}`]);
    }
  });

  it('lays out struct seccomp_notif (80 bytes) as the headers do', () => {
    expect(SECCOMP_NOTIF.size).toBe(80);
    for (const k of ['size', 'id', 'pid', 'flags', 'data'] as const) {
      expect(SECCOMP_NOTIF[k], k).toBe(probe[`notif.${k}`]);
    }
  });

  it('lays out struct seccomp_notif_resp (24 bytes) as the headers do', () => {
    expect(SECCOMP_NOTIF_RESP.size).toBe(24);
    for (const k of ['size', 'id', 'val', 'error', 'flags'] as const) {
      expect(SECCOMP_NOTIF_RESP[k], k).toBe(probe[`resp.${k}`]);
    }
  });
});
