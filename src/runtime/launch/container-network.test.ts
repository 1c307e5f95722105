import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { LABEL, ownerDead, ownerLabels, removeContainer } from './container-network.js';
import { InfraError } from '../../errors.js';
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

/** An engine error as dockerode reports it. */
function engineError(statusCode: number, message: string): Error {
  return Object.assign(new Error(`(HTTP code ${statusCode}) unexpected - ${message}`), { statusCode, json: { message } });
}

describe('removeContainer', () => {
  it('waits for a removal another caller already started, until the engine says it is gone', async () => {
    let inspections = 0;
    const container = {
      remove: async () => {
        throw engineError(409, 'removal of container abc is already in progress');
      },
      inspect: async () => {
        inspections += 1;
        if (inspections < 3) return {};
        throw engineError(404, 'No such container: abc');
      },
    };
    await removeContainer(container as never, 'abc');
    expect(inspections).toBe(3);
  });

  it('takes an already removed container as removed, and reports other failures', async () => {
    await removeContainer({ remove: async () => { throw engineError(404, 'No such container'); }, inspect: async () => ({}) } as never, 'gone');
    await expect(
      removeContainer({ remove: async () => { throw engineError(500, 'driver failed'); }, inspect: async () => ({}) } as never, 'bad'),
    ).rejects.toThrow(InfraError);
  });
});
