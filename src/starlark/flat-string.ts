// Flattening of freshly built strings. V8 represents `a + b` as a rope (a tree of ConsString
// nodes over the pieces). A rope that outlives the operation that built it (a formatted line
// stored in a list, say) costs several heap objects instead of one, which the young-generation
// GC must copy and promote, and every later search over it walks the tree. Reading one character
// flattens a rope in place, after which the GC drops the tree nodes and keeps the flat copy.

/** Written so the optimizer cannot drop the read that does the flattening. */
let sink = 0;

/** `s`, flattened if it is a rope; O(length), so only for strings built in one go. */
export function flatString(s: string): string {
  if (s.length > 12) sink = s.charCodeAt(0);
  return s;
}

