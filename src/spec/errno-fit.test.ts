import { describe, expect, it } from 'vitest';
import { classOfCall, errnoFits, targetClassOf } from './errno-fit.js';

describe('errno fit', () => {
  it('keeps each family to what its kind of target can return', () => {
    expect(errnoFits('write', 'ENOSPC', 'file')).toBe(true);
    expect(errnoFits('write', 'ENOSPC', 'socket')).toBe(false);
    expect(errnoFits('write', 'EPIPE', 'file')).toBe(false);
    expect(errnoFits('connect', 'ECONNREFUSED', 'socket')).toBe(true);
  });

  it('refuses EINTR and EAGAIN on a non-blocking socket or pipe, for every family, and nothing else', () => {
    for (const family of ['read', 'write', 'connect', 'accept', 'recvfrom', 'sendto']) {
      for (const errno of ['EINTR', 'EAGAIN'] as const) {
        expect(errnoFits(family, errno, 'nonblocking-socket'), `${family} ${errno}`).toBe(false);
        expect(errnoFits(family, errno, 'nonblocking-pipe'), `${family} ${errno}`).toBe(false);
      }
    }
    expect(errnoFits('read', 'EAGAIN', 'socket')).toBe(true);
    expect(errnoFits('read', 'ECONNRESET', 'nonblocking-socket')).toBe(true);
    expect(errnoFits('write', 'EPIPE', 'nonblocking-pipe')).toBe(true);
    expect(errnoFits('write', 'ENOSPC', 'nonblocking-socket')).toBe(false);
  });

  it('reads the class of a call from its event; files stay files whatever their mode', () => {
    expect(targetClassOf('socket:[7]', true)).toBe('nonblocking-socket');
    expect(targetClassOf('/data/x.log', true)).toBe('file');
    expect(classOfCall({ peer: '127.0.0.1:5432', nonblocking: true })).toBe('nonblocking-socket');
    expect(classOfCall({ path: 'pipe:[3]' })).toBe('pipe');
    expect(classOfCall({})).toBeUndefined();
  });
});
