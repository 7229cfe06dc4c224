export { iwmoSource, ADAPTER_ID, type IwmoSourceOptions, type FileRead } from './source.js';
export { messageKind, declarationRole, type MessageKind, type DeclarationRole } from './namespaces.js';
export { allocationClients, type AllocationClientsOptions } from './allocation-clients.js';
export { allocationArrangements, type AllocationArrangementsOptions } from './allocation-arrangements.js';
