import { describe, expect, it } from 'vitest';
import { HoldQueue } from './hold-queue.js';

const id = (n: number) => Buffer.from([n]);

describe('HoldQueue', () => {
  it('releases holds earliest-due first, ties in arrival order', () => {
    const q = new HoldQueue<string>();
    q.push(30, 'c', id(3));
    q.push(10, 'a', id(1));
    q.push(20, 'b1', id(2));
    q.push(20, 'b2', id(4));
    expect(q.nextDue()).toBe(10);
    const order: string[] = [];
    while (q.size) order.push(q.pop()[0]);
    expect(order).toEqual(['a', 'b1', 'b2', 'c']);
  });

  it('removes the holds of one owner and keeps the rest ordered', () => {
    const q = new HoldQueue<string>();
    for (const [due, owner] of [[5, 'x'], [1, 'y'], [3, 'x'], [2, 'y']] as const) q.push(due, owner, id(due));
    const released: number[] = [];
    q.removeWhere((o) => o === 'x', (_o, b) => released.push(b[0]!));
    expect(released).toEqual([3, 5]);
    expect(q.size).toBe(2);
    expect(q.pop()[1][0]).toBe(1);
    expect(q.pop()[1][0]).toBe(2);
  });
});
