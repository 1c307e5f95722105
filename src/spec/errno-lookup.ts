// Resolving an errno name written in a spec: case-insensitive, with a suggestion when misspelt.
import { ERRNO_NAMES, isErrnoName, type ErrnoName } from './errno.js';
import { closest } from './did-you-mean.js';

export type ErrnoLookup = { readonly ok: true; readonly errno: ErrnoName } | { readonly ok: false; readonly message: string };

export function resolveErrno(text: string): ErrnoLookup {
  const up = text.trim().toUpperCase();
  if (isErrnoName(up)) return { ok: true, errno: up };
  const guess = closest(up, ERRNO_NAMES);
  const hint = guess ? ` — did you mean ${guess}?` : '';
  return { ok: false, message: `unknown errno ${JSON.stringify(text)}${hint} (accepted: ${ERRNO_NAMES.join(' ')})` };
}
