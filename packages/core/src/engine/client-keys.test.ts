import { describe, expect, it } from 'vitest';
import { ClientKeys } from './client-keys.js';

describe('ClientKeys', () => {
  it('gives ids in the order keys are first seen, and the same id again', () => {
    const keys = new ClientKeys();
    expect(keys.id('123456782')).toBe(0);
    expect(keys.id('A-17')).toBe(1); // not nine digits: through the map
    expect(keys.id('012345678')).toBe(2);
    expect(keys.id('123456782')).toBe(0);
    expect(keys.id('A-17')).toBe(1);
    expect(keys.size).toBe(3);
    expect(keys.find('999999999')).toBe(-1);
    expect(keys.find('A-18')).toBe(-1);
    expect(keys.size).toBe(3); // find adds nothing
  });

  it('gives each key back as it was given, leading zeros included', () => {
    const keys = new ClientKeys();
    for (const key of ['000000000', '012345678', '999999999', '12345678', '1234567890', '12345678a', ' 12345678', '１２３４５６７８９']) keys.id(key);
    expect(Array.from({ length: keys.size }, (_, id) => keys.key(id))).toEqual(['000000000', '012345678', '999999999', '12345678', '1234567890', '12345678a', ' 12345678', '１２３４５６７８９']);
    // a key of nine characters that are not all digits is not taken for a number
    expect(keys.find('12345678a')).toBe(5);
    expect(keys.find('123456780')).toBe(-1);
  });

  it('keeps every key through the growth of its table', () => {
    // 4,096 slots at the start, grown at 80 % load: 20,000 keys grow it three times (to 32,768)
    const keys = new ClientKeys();
    const given = Array.from({ length: 20_000 }, (_, i) => String(i * 7919).padStart(9, '0'));
    const ids = Array.from({ length: 20_000 }, (_, i) => i);
    expect(given.map((key) => keys.id(key))).toEqual(ids);
    expect(given.map((key) => keys.find(key))).toEqual(ids);
    expect(keys.find(String(20_000 * 7919).padStart(9, '0'))).toBe(-1);
    expect(keys.key(19_999)).toBe(String(19_999 * 7919).padStart(9, '0'));
  });
});
