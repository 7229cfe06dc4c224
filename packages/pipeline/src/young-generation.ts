/**
 * Imported first by a program that runs big deliveries, before the toolkit's modules are loaded:
 * `wmo`'s main module imports this one and then its program with `import()`, and so do the
 * bench's deliver measurements. (A static import beside the others is too late: the module graph
 * is loaded and compiled whole before any of it runs, and that alone grows the young generation
 * to its largest.) It holds the main thread's young
 * generation at its starting size (1 MB semi-spaces) while the toolkit's modules load, with V8's
 * `--semi-space-growth-factor=1`. Loading them otherwise grows it to its largest, 16 MB
 * semi-spaces, 32 MB committed of which a few MB stay in use, and V8 does not shrink it again
 * during a run. `useDeliveryHeapSettings` then keeps it held for a big input, and lets it grow
 * (the factor back to 2, V8's own) for any other; a program that imports this module and then
 * does something else than a delivery calls `letYoungGenerationGrow`.
 *
 * This module imports nothing of the toolkit, so that nothing of it has loaded when it runs.
 */
import v8 from 'node:v8';

v8.setFlagsFromString('--semi-space-growth-factor=1');
