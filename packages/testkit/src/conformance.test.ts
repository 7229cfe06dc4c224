import { WmoError, type DeclarationSource, type Performance } from '@wmo-toolkit/core';
import { testAdapterConformance } from './conformance.js';

// The suite run against a tiny in-memory declaration source, so that the testkit itself is tested.
const performance: Performance = {
  municipality: '0405',
  provider: '12345678',
  declarationId: 'D1',
  reference: 'R1',
  clientKey: '999990019',
  category: '02',
  productCode: '02A01',
  periodStart: '2023-03-01',
  periodEnd: '2023-03-31',
  volume: 1,
  unit: '04',
  amountCents: 100,
  debitCredit: 'D',
  source: { file: 'memory.xml', element: 'Prestatie[1]' },
};

function memorySource(kind: 'valid' | 'empty' | 'malformed'): DeclarationSource {
  return {
    specificationVersion: 'v1',
    id: 'memory',
    kind: 'declarations',
    async *read() {
      if (kind === 'malformed') {
        throw new WmoError('memory.xml is not XML (line 1).', { code: 'input-invalid', location: { file: 'memory.xml', line: 1 } });
      }
      if (kind === 'valid') yield [{ type: 'performance', performance }];
    },
  };
}

testAdapterConformance({
  kind: 'declarations',
  valid: () => memorySource('valid'),
  empty: () => memorySource('empty'),
  malformed: () => memorySource('malformed'),
  readOptions: { municipality: '0405' },
});
