export { csvExportSource, type CsvExportOptions } from './source.js';
export { loadMapping, checkMapping, mappingSchema, GENERIC_MAPPING, READY_MAPPINGS, type Mapping, type MappingInput } from './mapping.js';
export { parseAmount, parseDate } from './values.js';
export { ADAPTER_ID } from './id.js';
