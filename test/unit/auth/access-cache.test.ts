import { Role } from '../../../src/entities';
import { ACCESS_CACHE_ENTRIES, AccessCache } from '../../../src/services/auth/access-cache';
import { LruMap } from '../../../src/services/shared/lru-map';

const customer = (tokenVersion: number) => ({ role: Role.CUSTOMER, tokenVersion });

describe('LruMap', () => {
  it('when it is full, then the entry used longest ago goes, a read counting as a use', () => {
    const map = new LruMap<string, number>(3);
    map.set('a', 1);
    map.set('b', 2);
    map.set('c', 3);
    expect(map.get('a')).toBe(1);

    map.set('d', 4);

    expect(map.size).toBe(3);
    expect(map.get('b')).toBeUndefined();
    expect([map.get('a'), map.get('c'), map.get('d')]).toEqual([1, 3, 4]);
  });

  it('when a key is written again, then it is the most recent and the size does not grow', () => {
    const map = new LruMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    map.set('a', 10);
    map.set('c', 3);
    expect(map.size).toBe(2);
    expect(map.get('b')).toBeUndefined();
    expect(map.get('a')).toBe(10);
  });

  it('when the capacity is not a positive whole number, then it refuses to be made', () => {
    expect(() => new LruMap(0)).toThrow(RangeError);
    expect(() => new LruMap(1.5)).toThrow(RangeError);
  });
});

describe('AccessCache', () => {
  function trusted(capacity?: number): AccessCache {
    const cache = new AccessCache(capacity);
    cache.trust();
    return cache;
  }

  it('when made, then it holds at most ACCESS_CACHE_ENTRIES customers and trusts nothing until its feed says so', () => {
    expect(ACCESS_CACHE_ENTRIES).toBe(50_000);
    const cache = new AccessCache();
    cache.keep('ada', customer(0), cache.markRead());
    expect(cache.find('ada')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('when more customers are read than it holds, then the least recently used is forgotten', () => {
    const cache = trusted(2);
    for (const id of ['ada', 'bob']) cache.keep(id, customer(1), cache.markRead());
    expect(cache.find('ada')).toEqual(customer(1));

    cache.keep('cyd', customer(2), cache.markRead());

    expect(cache.size).toBe(2);
    expect(cache.find('bob')).toBeUndefined();
    expect(cache.find('ada')).toEqual(customer(1));
    expect(cache.find('cyd')).toEqual(customer(2));
  });

  it('when a change comes between a read and its keep, then what the read found is not kept', () => {
    const cache = trusted();
    const mark = cache.markRead();
    cache.changed('someone-else');
    cache.keep('ada', customer(3), mark);
    expect(cache.find('ada')).toBeUndefined();

    cache.keep('ada', customer(4), cache.markRead());
    expect(cache.find('ada')).toEqual(customer(4));
    cache.changed('ada');
    expect(cache.find('ada')).toBeUndefined();
  });

  it('when trust is lost, then every entry goes, nothing is kept meanwhile, and a read begun before trust returns is not kept after', () => {
    const cache = trusted();
    cache.keep('ada', customer(1), cache.markRead());
    const before = cache.markRead();

    cache.distrust();
    expect(cache.find('ada')).toBeUndefined();
    const during = cache.markRead();
    cache.keep('bob', customer(1), during);
    expect(cache.size).toBe(0);

    cache.trust();
    cache.keep('ada', customer(1), before);
    cache.keep('bob', customer(1), during);
    expect(cache.size).toBe(0);
    cache.keep('bob', customer(2), cache.markRead());
    expect(cache.find('bob')).toEqual(customer(2));
  });

  it('when told to forget all, then it keeps trusting but holds nothing read before', () => {
    const cache = trusted();
    cache.keep('ada', customer(1), cache.markRead());
    const mark = cache.markRead();
    cache.forgetAll();
    cache.keep('bob', customer(1), mark);
    expect(cache.size).toBe(0);
    expect(cache.isTrusted).toBe(true);
  });
});
