export { deliver, deliverRequestSchema, type DeliverRequest, type DeliverResult, type DeliverHooks, type Progress } from './deliver.js';
export { CODE_LISTS, codeListByNameOrFile } from './registry.js';
export { loadExternalAdapter, type ExternalAdapter } from './external.js';
export { arrangements, arrangementsRequestSchema, type ArrangementsRequest, type ArrangementsResult } from './arrangements.js';
export { declarationBytes, letYoungGenerationGrow, useDeliveryHeapSettings } from './heap.js';
