import { describe, expect, it } from 'vitest';
import { MemoryOnceStore } from './once-store.js';

describe('MemoryOnceStore', () => {
  it('claims a key once until it expires, then again', async () => {
    let now = 1_000_000;
    const store = new MemoryOnceStore({ now: () => now });
    expect(await store.claim('result:a', 60)).toBe(true);
    expect(await store.claim('result:a', 60)).toBe(false);
    expect(await store.claim('result:b', 60)).toBe(true);
    now += 59_000;
    expect(await store.claim('result:a', 60)).toBe(false);
    now += 2_000;
    expect(await store.claim('result:a', 60)).toBe(true);
  });

  it('forgets a released key, and sweeps expired keys so memory stays bounded', async () => {
    let now = 0;
    const store = new MemoryOnceStore({ now: () => now });
    expect(await store.claim('k', 10)).toBe(true);
    await store.release('k');
    expect(await store.claim('k', 10)).toBe(true);
    for (let i = 0; i < 100; i++) await store.claim(`old-${i}`, 1);
    now += 120_000;
    await store.claim('new', 10);
    expect(store.size).toBe(1);
  });

  it('gives exactly one of many concurrent claims', async () => {
    const store = new MemoryOnceStore();
    const results = await Promise.all(Array.from({ length: 20 }, () => store.claim('same', 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
