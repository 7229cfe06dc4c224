export { cbsGeography, loadAddresses, houseNumberKey, ADAPTER_ID, BUNDLED_WIJKEN, BUNDLED_WIJKEN_YEAR, BUNDLED_MUNICIPALITIES, type CbsGeoOptions } from './source.js';
