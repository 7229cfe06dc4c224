export { clientsCsv, ADAPTER_ID, COLUMNS, type ClientsCsvOptions } from './source.js';
