import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LABEL, ownerDead, ownerLabels } from './container-network.js';
import { processStartTime } from './process-group.js';

describe('container ownership labels', () => {
  it('names this process, which is alive', () => {
    const labels = ownerLabels('run1');
    expect(labels[LABEL.pid]).toBe(String(process.pid));
    expect(Number(labels[LABEL.pidStart])).toBe(processStartTime(process.pid));
    expect(ownerDead(labels)).toBe(false);
  });

  it('calls an exited owner dead, and a reused pid (other start time) dead too', () => {
    const child = spawnSync('true');
    expect(child.status).toBe(0);
    expect(ownerDead({ [LABEL.pid]: String(child.pid) })).toBe(true);
    expect(ownerDead({ [LABEL.pid]: String(process.pid), [LABEL.pidStart]: '1' })).toBe(true);
  });

  it('does not judge resources without an owner pid', () => {
    expect(ownerDead({ faultbox: '1' })).toBe(false);
    expect(ownerDead(undefined)).toBe(false);
  });
});
