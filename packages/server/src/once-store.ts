/**
 * Once-only memory: result ids and webhook event ids are claimed here, so each is acted on
 * once. `claim` must be atomic (true for the first caller of a key until it expires, false for
 * every other); that is the whole contract, so any shared store with an atomic "set if absent
 * with expiry" (Redis `SET NX EX`, an SQL primary key) can back several processes.
 *
 * @example
 * ```ts
 * // node-redis: one store for every process of the app
 * const store: OnceStore = {
 *   claim: async (key, ttl) => (await redis.set(`truto:${key}`, '1', { NX: true, EX: ttl })) === 'OK',
 *   release: async (key) => { await redis.del(`truto:${key}`); },
 * };
 * ```
 * @module
 */

export interface OnceStore {
  /** Atomically records `key` for `ttlSeconds`: true if it was not recorded yet, else false. */
  claim(key: string, ttlSeconds: number): Promise<boolean>;
  /** Forgets `key`, so a retry can act (called when `onConnected`/`onEvent` threw). Optional. */
  release?(key: string): Promise<void>;
}

/** The default: a Map with expiry, for one process. Expired keys are swept as new ones arrive. */
export class MemoryOnceStore implements OnceStore {
  readonly #expiries = new Map<string, number>();
  readonly #now: () => number;
  #nextSweep = 0;

  constructor(options: { now?: () => number } = {}) {
    this.#now = options.now ?? Date.now;
  }

  async claim(key: string, ttlSeconds: number): Promise<boolean> {
    const now = this.#now();
    this.#sweep(now);
    const expiry = this.#expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    this.#expiries.set(key, now + Math.max(1, ttlSeconds) * 1000);
    return true;
  }

  async release(key: string): Promise<void> {
    this.#expiries.delete(key);
  }

  /** How many keys are held (expired ones included until the next sweep). */
  get size(): number {
    return this.#expiries.size;
  }

  #sweep(now: number): void {
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + 60_000;
    for (const [key, expiry] of this.#expiries) if (expiry <= now) this.#expiries.delete(key);
  }
}

/** Checks a user-supplied store once, at creation. */
export function checkOnceStore(store: unknown): OnceStore {
  const candidate = store as Partial<OnceStore> | null;
  if (typeof candidate !== 'object' || candidate === null || typeof candidate.claim !== 'function') {
    throw new TypeError('store must be an object with a claim(key, ttlSeconds) function');
  }
  if (candidate.release !== undefined && typeof candidate.release !== 'function') {
    throw new TypeError('store.release must be a function when given');
  }
  return candidate as OnceStore;
}
