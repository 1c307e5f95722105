// Flattening of freshly built strings. V8 represents `a + b` as a rope (a tree of ConsString
// nodes over the pieces). A rope that outlives the operation that built it (a formatted line
// stored in a list, say) costs several heap objects instead of one, which the young-generation
// GC must copy and promote, and every later search over it walks the tree. Reading one character
// flattens a rope in place, after which the GC drops the tree nodes and keeps the flat copy.

/** Stored into so the optimizer cannot drop the read that does the flattening (an object's
 *  field rather than a local, which tsc would report as written but never read). */
const sink = { code: 0 };

/** `s`, flattened if it is a rope; O(length), so only for strings built in one go. */
export function flatString(s: string): string {
  if (s.length > 12) sink.code = s.charCodeAt(0);
  return s;
}

