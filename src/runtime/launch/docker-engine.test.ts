import { describe, expect, it } from 'vitest';
import Docker from 'dockerode';
import { InfraError } from '../../errors.js';
import { connectDocker, hasTracePrivilege } from './docker-engine.js';

describe('docker engine', () => {
  it('reads CAP_SYS_PTRACE from the effective capability set', () => {
    expect(hasTracePrivilege('Name:\tnode\nCapEff:\t000001ffffffffff\n')).toBe(true);
    expect(hasTracePrivilege('CapEff:\t0000000000080000\n')).toBe(true); // only bit 19
    expect(hasTracePrivilege('CapEff:\t0000000000000000\n')).toBe(false);
    expect(hasTracePrivilege('CapEff:\t00000000a80425fb\n')).toBe(false); // Docker's default set
  });

  it('says how to get an engine when none answers at the socket', async () => {
    const nowhere = new Docker({ socketPath: '/nonexistent/docker.sock' });
    const err = await connectDocker(nowhere).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InfraError);
    expect((err as InfraError).message).toContain('none answers');
    expect((err as InfraError).hint).toContain('scripts/setup-docker.sh');
  });
});
