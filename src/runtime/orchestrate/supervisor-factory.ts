// Starts the seccomp supervisor (the notification loop in its worker thread).
import { Supervisor } from '../supervisor/supervisor.js';
import type { SupervisorPort } from './supervisor-port.js';

export async function startSupervisor(): Promise<SupervisorPort> {
  return Supervisor.start();
}
