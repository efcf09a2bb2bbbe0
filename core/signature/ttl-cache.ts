/**
 * A bounded least-recently-used map whose entries expire. Reads are a Map
 * lookup and a re-insert, so a hit costs well under a microsecond.
 */
interface Slot<V> {
  readonly value: V;
  readonly expiresAt: number;
}

export class TtlCache<V> {
  private readonly slots = new Map<string, Slot<V>>();

  constructor(
    private readonly max: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.slots.size;
  }

  /** The live value for `key`, refreshed as most recently used. */
  get(key: string): V | undefined {
    const slot = this.slots.get(key);
    if (slot === undefined) return undefined;
    if (slot.expiresAt <= this.now()) {
      this.slots.delete(key);
      return undefined;
    }
    this.slots.delete(key);
    this.slots.set(key, slot);
    return slot.value;
  }

  /** Stores `value` for `ttlMs`, dropping the least recently used on overflow. */
  set(key: string, value: V, ttlMs: number): void {
    if (this.max <= 0 || ttlMs <= 0) return;
    this.slots.delete(key);
    this.slots.set(key, { value, expiresAt: this.now() + ttlMs });
    while (this.slots.size > this.max) {
      const oldest = this.slots.keys().next().value;
      if (oldest === undefined) break;
      this.slots.delete(oldest);
    }
  }

  clear(): void {
    this.slots.clear();
  }
}

/**
 * Runs `work` once per key at a time: concurrent callers for the same key
 * share the pending promise.
 */
export class SharedLookups<V> {
  private readonly pending = new Map<string, Promise<V>>();

  run(key: string, work: () => Promise<V>): Promise<V> {
    const running = this.pending.get(key);
    if (running) return running;
    const promise = work().finally(() => this.pending.delete(key));
    this.pending.set(key, promise);
    return promise;
  }
}
