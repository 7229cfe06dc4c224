import { describe, expect, it } from 'vitest';
import { createPseudonymizer } from '../bsn.js';
import { ClientIndex } from './client-index.js';

const index = () => new ClientIndex(createPseudonymizer('test-secret'));

describe('ClientIndex', () => {
  it('merges the records of a client, its address periods in the order they came', () => {
    const clients = index();
    clients.add({ clientKey: '123456782', birthDate: null, addresses: [{ start: '2020-01-01', end: '2023-03-31', municipality: '0405', wijkCode: 'WK040510' }] });
    clients.add({ clientKey: '012345678', birthDate: '1950-02-28', addresses: [] });
    clients.add({
      clientKey: '123456782',
      birthDate: '1999-12-31',
      addresses: [
        { start: '2023-04-01', end: null, municipality: '0405', postcode: '1621AB', houseNumber: '12a' },
        { start: '2019-01-01', end: '2019-12-31', municipality: '0363', wijkCode: null, postcode: null, houseNumber: null, source: { file: 'brp.csv', line: 3 } },
      ],
    });
    expect(clients.size).toBe(2);
    expect(clients.get('123456782')).toEqual({
      birthDate: '1999-12-31', // unknown in the first record, known in the second
      birthDateConflict: false,
      addresses: [
        { start: '2020-01-01', end: '2023-03-31', municipality: '0405', wijkCode: 'WK040510', postcode: null, houseNumber: null },
        { start: '2023-04-01', end: null, municipality: '0405', wijkCode: null, postcode: '1621AB', houseNumber: '12a' },
        { start: '2019-01-01', end: '2019-12-31', municipality: '0363', wijkCode: null, postcode: null, houseNumber: null },
      ],
    });
    expect(clients.get('012345678')).toEqual({ birthDate: '1950-02-28', birthDateConflict: false, addresses: [] });
    expect(clients.get('12345678')).toBeUndefined();
    expect(clients.warnings.count).toBe(0);
  });

  it('treats two different birth dates as none, with one warning that names no BSN or date', () => {
    const clients = index();
    clients.add({ clientKey: 'K-1', birthDate: '1980-05-01', addresses: [] });
    clients.add({ clientKey: 'K-1', birthDate: '1980-05-01', addresses: [] }); // the same date: no conflict
    expect(clients.get('K-1')?.birthDateConflict).toBe(false);
    clients.add({ clientKey: 'K-1', birthDate: '1980-05-02', addresses: [], source: { file: 'brp.csv', line: 7 } });
    clients.add({ clientKey: 'K-1', birthDate: '1980-05-03', addresses: [] }); // already in conflict: no second warning
    expect(clients.get('K-1')).toEqual({ birthDate: null, birthDateConflict: true, addresses: [] });
    const [group, ...others] = clients.warnings.toArray();
    expect(others).toEqual([]);
    expect(group).toMatchObject({ kind: 'client-conflicting-birth-dates', count: 1 });
    expect(group!.examples[0]!.location).toEqual({ file: 'brp.csv', line: 7 });
    expect(group!.examples[0]!.message).not.toMatch(/K-1|1980/);
  });

  it('keeps the clients and addresses of a big register (its arrays grown)', () => {
    const clients = index();
    // 3,000 clients with two address periods each: past the 1,024 clients and addresses the arrays start with
    for (let i = 0; i < 3000; i++) {
      const key = String(100_000_000 + i);
      clients.add({ clientKey: key, birthDate: '2000-01-01', addresses: [{ start: '2001-01-01', end: '2001-12-31', municipality: '0405', wijkCode: `WK0405${String(i % 100).padStart(2, '0')}` }] });
      clients.add({ clientKey: key, birthDate: null, addresses: [{ start: '2002-01-01', end: null, municipality: '0405', houseNumber: String(i) }] });
    }
    expect(clients.size).toBe(3000);
    expect(clients.get('100002999')).toEqual({
      birthDate: '2000-01-01',
      birthDateConflict: false,
      addresses: [
        { start: '2001-01-01', end: '2001-12-31', municipality: '0405', wijkCode: 'WK040599', postcode: null, houseNumber: null },
        { start: '2002-01-01', end: null, municipality: '0405', wijkCode: null, postcode: null, houseNumber: '2999' },
      ],
    });
  });
});
