import { SharedLookups, TtlCache } from '../../core/signature/ttl-cache';

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1_000;
  });

  describe('when an entry is read within its lifetime', () => {
    it('returns it', () => {
      const cache = new TtlCache<string>(10, clock);
      cache.set('a', 'A', 100);
      now += 99;
      expect(cache.get('a')).toBe('A');
    });
  });

  describe('when an entry has expired', () => {
    it('forgets it', () => {
      const cache = new TtlCache<string>(10, clock);
      cache.set('a', 'A', 100);
      now += 100;
      expect(cache.get('a')).toBeUndefined();
      expect(cache.size).toBe(0);
    });
  });

  describe('when the cache is full', () => {
    it('drops the least recently used entry', () => {
      const cache = new TtlCache<string>(2, clock);
      cache.set('a', 'A', 100);
      cache.set('b', 'B', 100);
      cache.get('a');
      cache.set('c', 'C', 100);
      expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([
        'A',
        undefined,
        'C',
      ]);
    });
  });

  describe('when caching is off', () => {
    it.each([
      ['a zero size', 0, 100],
      ['a zero lifetime', 10, 0],
    ])('stores nothing with %s', (_label, max, ttl) => {
      const cache = new TtlCache<string>(max, clock);
      cache.set('a', 'A', ttl);
      expect(cache.get('a')).toBeUndefined();
    });
  });
});

describe('SharedLookups', () => {
  describe('when calls for one key overlap', () => {
    it('runs the work once and gives every caller its result', async () => {
      const shared = new SharedLookups<number>();
      let runs = 0;
      const work = async () => {
        runs += 1;
        await new Promise((r) => setTimeout(r, 10));
        return 42;
      };
      const results = await Promise.all([
        shared.run('k', work),
        shared.run('k', work),
        shared.run('k', work),
      ]);
      expect(results).toEqual([42, 42, 42]);
      expect(runs).toBe(1);
    });
  });

  describe('when the work fails', () => {
    it('lets the next call try again', async () => {
      const shared = new SharedLookups<number>();
      await expect(
        shared.run('k', () => Promise.reject(new Error('down'))),
      ).rejects.toThrow('down');
      await expect(shared.run('k', async () => 7)).resolves.toBe(7);
    });
  });
});
