export interface TtlCacheOptions {
  ttlMs: number;
  /** Oldest-used entries go first beyond this (autocomplete searches every prefix a member types). */
  maxEntries: number;
  now: () => number;
  /** Told whether each lookup found a live value (for /metrics). */
  onLookup?: (hit: boolean) => void;
}

export interface TtlCache<Value> {
  /**
   * The cached value for `key`, or the result of `load()`, shared by every caller asking while it runs.
   * A value lives `ttlMs` from when it arrived; a failed load is forgotten at once.
   */
  getOrLoad(key: string, load: () => Promise<Value>): Promise<Value>;
  clear(): void;
  readonly size: number;
}

interface Entry<Value> {
  promise: Promise<Value>;
  /** Infinity while loading. */
  expiresAt: number;
}

/** A small in-memory TTL map of promises with least-recently-used eviction (Map keeps insertion order). */
export function createTtlCache<Value>({ ttlMs, maxEntries, now, onLookup }: TtlCacheOptions): TtlCache<Value> {
  const entries = new Map<string, Entry<Value>>();

  return {
    getOrLoad(key, load) {
      const hit = entries.get(key);
      entries.delete(key);
      const live = hit !== undefined && hit.expiresAt > now();
      onLookup?.(live);
      if (hit && live) {
        entries.set(key, hit);
        return hit.promise;
      }

      const entry: Entry<Value> = { promise: load(), expiresAt: Number.POSITIVE_INFINITY };
      entries.set(key, entry);
      entry.promise.then(
        () => {
          entry.expiresAt = now() + ttlMs;
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
      return entry.promise;
    },

    clear() {
      entries.clear();
    },

    get size() {
      return entries.size;
    },
  };
}
