export const ADAPTER_ID = 'csv-export';
