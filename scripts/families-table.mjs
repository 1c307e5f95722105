// Prints the syscall-family table of the README from src/spec/syscall-families.ts (via dist/),
// so the documented table and the code stay the same; a test compares them.
import { FAMILIES } from '../dist/spec/syscall-families.js';

export function familiesTable() {
  const rows = ['| keyword | expands to | target | errnos (first = what the explorer shrinks toward) |', '|---|---|---|---|'];
  for (const f of FAMILIES) rows.push(`| \`${f.name}\` | ${f.members.join(', ')} | ${f.target} | ${f.errnos.join(', ')} |`);
  return rows.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(familiesTable());
