// Two services cannot listen on one host port: the second fails to bind, or faultbox talks to the
// wrong one. Binary services listen on their interfaces' ports; a container's interfaces live in
// its own network namespace and reach the host on random ports unless `ports=` fixes one.
import { SpecError } from '../errors.js';
import type { Position } from '../starlark/index.js';
import type { ServiceDecl } from './model.js';

interface PortUse {
  readonly service: string;
  readonly pos: Position | undefined;
}

function hostPorts(decl: ServiceDecl): number[] {
  const fixed = Object.values(decl.ports).filter((p) => p > 0);
  return decl.source.kind === 'binary' ? [...new Set([...decl.interfaces.map((i) => i.port), ...fixed])] : fixed;
}

function at(pos: Position | undefined): string {
  return pos ? `${pos.file}:${pos.line}:${pos.col}` : '';
}

/** Refuses the first service that needs a host port an earlier service already needs. */
export function checkPortClashes(services: readonly { readonly decl: ServiceDecl; readonly pos: Position | undefined }[]): void {
  const owners = new Map<number, PortUse>();
  for (const { decl, pos } of services) {
    for (const port of hostPorts(decl)) {
      const first = owners.get(port);
      if (first && first.service !== decl.name) {
        const there = first.pos ? ` (declared at ${at(first.pos)})` : '';
        throw new SpecError(
          `${pos ? `${at(pos)}: ` : ''}service "${decl.name}" needs host port ${port}, which service "${first.service}"${there} already uses; give each service its own port`,
          pos,
        );
      }
      owners.set(port, { service: decl.name, pos });
    }
  }
}
