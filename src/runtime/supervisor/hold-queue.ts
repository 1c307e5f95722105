// Calls held by delay rules, ordered by when they are due (a binary min-heap). Ties keep arrival
// order, so two calls delayed by the same amount are released in the order they arrived.

interface Held<T> {
  readonly due: number;
  readonly order: number;
  readonly owner: T;
  readonly id: Buffer;
}

export class HoldQueue<T> {
  private heap: Held<T>[] = [];
  private arrivals = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Due time of the earliest hold; only meaningful when size > 0. */
  nextDue(): number {
    return this.heap[0]!.due;
  }

  push(due: number, owner: T, id: Buffer): void {
    this.heap.push({ due, order: this.arrivals++, owner, id });
    this.up(this.heap.length - 1);
  }

  /** Removes and returns the earliest hold. */
  pop(): [T, Buffer] {
    const h = this.heap;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      this.down(0);
    }
    return [top.owner, top.id];
  }

  /** Removes every hold whose owner matches, in due order, handing each to `released`. */
  removeWhere(match: (owner: T) => boolean, released: (owner: T, id: Buffer) => void): void {
    const keep: Held<T>[] = [];
    const gone: Held<T>[] = [];
    for (const x of this.heap) (match(x.owner) ? gone : keep).push(x);
    gone.sort((a, b) => a.due - b.due || a.order - b.order);
    this.heap = [];
    for (const x of keep) {
      this.heap.push(x);
      this.up(this.heap.length - 1);
    }
    for (const x of gone) released(x.owner, x.id);
  }

  private less(a: Held<T>, b: Held<T>): boolean {
    return a.due < b.due || (a.due === b.due && a.order < b.order);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}
