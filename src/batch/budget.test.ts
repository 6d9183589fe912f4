import { describe, expect, it } from 'vitest';
import { MemoryBudget } from './budget.js';

/** Lets every settled promise's callbacks run. */
const tick = () => new Promise((r) => setImmediate(r));

describe('MemoryBudget: the decoded size of files in flight', () => {
  it('admits files while they fit, then in order as memory is released', async () => {
    const budget = new MemoryBudget(100);
    const started: string[] = [];
    const take = (name: string, bytes: number) => budget.reserve(bytes).then(() => started.push(name));
    void take('a', 60);
    void take('b', 30);
    void take('c', 30); // 120 > 100: waits
    void take('d', 5); // fits, but waits behind c (first come, first served)
    await tick();
    expect(started).toEqual(['a', 'b']);
    budget.release(60);
    await tick();
    expect(started).toEqual(['a', 'b', 'c', 'd']);
  });

  it('runs a file bigger than the whole budget alone (a 64-MP photo, a decompression bomb)', async () => {
    const budget = new MemoryBudget(100);
    const started: string[] = [];
    const take = (name: string, bytes: number) => budget.reserve(bytes).then(() => started.push(name));
    void take('small', 10);
    void take('bomb', 4000);
    void take('after', 10);
    await tick();
    expect(started).toEqual(['small']);
    budget.release(10);
    await tick();
    expect(started).toEqual(['small', 'bomb']);
    budget.release(4000);
    await tick();
    expect(started).toEqual(['small', 'bomb', 'after']);
  });

  it('drain wakes every waiter (cancel)', async () => {
    const budget = new MemoryBudget(10);
    await budget.reserve(10);
    let woke = 0;
    void budget.reserve(10).then(() => woke++);
    void budget.reserve(10).then(() => woke++);
    budget.drain();
    await tick();
    expect(woke).toBe(2);
  });
});
