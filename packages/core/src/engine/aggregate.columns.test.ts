// Every engine test of aggregate.test.ts once more, with the declarations handed to the engine as
// PerformanceColumns (the csv-export's path) instead of items: the same hand-worked expectations
// must hold for both.
import { useColumns } from './testing.js';

useColumns();
await import('./aggregate.test.js');
