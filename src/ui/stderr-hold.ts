// While the live screen is up, anything else written to the same terminal's stderr (a cleanup
// notice, a dependency's warning) would land between Ink's frames and tear the screen: Ink erases
// its previous frame by line count, so a stray line shifts everything it redraws. The hold takes
// those writes, hands each complete line to the screen's log, and writes everything out, in
// order, once the screen is gone.

export interface StderrHold {
  /** Restores the stream and writes what was held. Safe to call more than once. */
  release(): void;
}

type Write = NodeJS.WriteStream['write'];

export function holdStderr(stream: NodeJS.WriteStream, onLine: (line: string) => void): StderrHold {
  const original: Write = stream.write;
  let held = '';
  let partial = '';
  let released = false;

  const hold = (chunk: unknown, encoding?: unknown, callback?: unknown): boolean => {
    const text =
      typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString(typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8');
    held += text;
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
    const done = typeof encoding === 'function' ? encoding : callback;
    if (typeof done === 'function') queueMicrotask(() => (done as (err?: Error | null) => void)(null));
    return true;
  };
  stream.write = hold as Write;

  return {
    release() {
      if (released) return;
      released = true;
      stream.write = original;
      if (held !== '') original.call(stream, held);
    },
  };
}
