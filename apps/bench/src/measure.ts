// One measurement in its own process, so that peak memory (maxRSS) belongs to it alone.
// Usage: node … measure.ts <kind> <archive dir>; prints one JSON line.
//
// The toolkit's deliver measurements hold the main thread's young generation from the start, as
// `wmo deliver` does: @wmo-toolkit/pipeline/young-generation before the other modules are loaded
// (a static import beside them would run after all of them were loaded and compiled), and
// useDeliveryHeapSettings in measurement.ts then keeps it held for a big input. The other
// measurements, the peers among them, run with V8 as it is.
if (process.argv[2]?.startsWith('deliver')) await import('@wmo-toolkit/pipeline/young-generation');
await import('./measurement.js');
