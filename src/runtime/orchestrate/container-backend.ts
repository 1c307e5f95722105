// Container services through the container launcher (dockerode), faulted through the same
// shim handoff and supervisor as binary services.
import type { CleanupRegistry } from '../launch/cleanup.js';
import type { ServiceBackend } from './running-service.js';
import type { SupervisorPort } from './supervisor-port.js';
import { InfraError } from '../../errors.js';

export interface ContainerBackendOptions {
  readonly supervisor: () => Promise<SupervisorPort>;
  readonly cleanup: CleanupRegistry;
  readonly runDir: string;
  readonly imageMap: ReadonlyMap<string, string>;
  readonly specFile: string;
}

export function containerBackendFactory(_opts: ContainerBackendOptions): ServiceBackend {
  throw new InfraError('container services are not wired in yet');
}
