import type { PerformanceColumns } from './columns.js';
import type { AddressPeriod, ClientFacts, CodeListEntry, Municipality, Performance, Wijk } from './records.js';
import type { ArrangementRecord } from './arrangements/record.js';
import type { Warning } from './warnings.js';

/**
 * The adapter contracts. An adapter is a plain object made by a factory function, e.g.
 * `iwmoSource(options): DeclarationSource`. The required surface is tiny: the version stamp, a
 * stable kebab-case `id`, the `kind`, and one `read` method that streams (an async iterable of
 * items or of arrays of items). Non-fatal problems are `warning` items in the same stream.
 */
export const SPECIFICATION_VERSION = 'v1' as const;
export type SpecificationVersion = typeof SPECIFICATION_VERSION;

export interface AdapterBase {
  specificationVersion: SpecificationVersion;
  /** Stable kebab-case id, equal to the adapter's folder name (`iwmo`, `clients-csv`, …). */
  id: string;
  /** One line for `--help` and reports. */
  description?: string;
}

export type Streamed<T> = AsyncIterable<T | T[]> | Iterable<T | T[]>;

export interface WarningItem {
  type: 'warning';
  warning: Warning;
}

// ---------------------------------------------------------------------------------------------
// Declarations

/** Why a declared performance is not approved (domain.md §2, §3a). */
export type NotApprovedReason =
  /** rejected in the answer (performance, client or whole declaration) */
  | 'rejected'
  /** iWmo 3.x declaration without its WMO325 answer in the input */
  | 'pending'
  /** addressed to another municipality than the one being delivered */
  | 'other-municipality';

export type DeclarationItem =
  | { type: 'performance'; performance: Performance }
  | { type: 'not-approved'; reason: NotApprovedReason; performance: Performance; detail?: string }
  | WarningItem;

export interface DeclarationReadOptions {
  /** CBS code of the municipality being delivered; a source may skip other municipalities early. */
  municipality: string;
  /** Count iWmo 3.x declarations without an answer as approved (domain.md §3a, explicit option). */
  countPending?: boolean;
  signal?: AbortSignal;
}

export interface DeclarationSource extends AdapterBase {
  kind: 'declarations';
  read(options: DeclarationReadOptions): Streamed<DeclarationItem>;
  /**
   * Optional, for sources of millions of lines: the same lines as `read` gives, in columns
   * (PerformanceColumns, one file per batch) instead of an object per line. The pipeline uses it
   * when it is there; `read` stays the reference.
   */
  readColumns?(options: DeclarationReadOptions): AsyncIterable<PerformanceColumns>;
}

// ---------------------------------------------------------------------------------------------
// Client register

export type ClientItem = { type: 'client'; client: ClientFacts } | WarningItem;

export interface ClientRegister extends AdapterBase {
  kind: 'clients';
  read(options?: { signal?: AbortSignal }): Streamed<ClientItem>;
}

// ---------------------------------------------------------------------------------------------
// Geography

export type GeographyItem = { type: 'municipality'; municipality: Municipality } | { type: 'wijk'; wijk: Wijk } | WarningItem;

/** Resolves a postcode + house number to a CBS wijk code (`WKggggww`), or undefined. */
export type AddressResolver = (address: Pick<AddressPeriod, 'postcode' | 'houseNumber'>) => string | undefined;

export interface Geography extends AdapterBase {
  kind: 'geography';
  /** Streams municipalities and the wijken of `municipality` (all when not given). */
  read(options?: { municipality?: string; signal?: AbortSignal }): Streamed<GeographyItem>;
  /** Optional capability: postcode + house number lookup, loaded for one municipality. */
  addressResolver?(municipality: string, options?: { signal?: AbortSignal }): Promise<AddressResolver>;
}

// ---------------------------------------------------------------------------------------------
// Product code lists

export type CodeListItem = { type: 'entry'; entry: CodeListEntry } | WarningItem;

export interface CodeList extends AdapterBase {
  kind: 'codelist';
  read(options?: { signal?: AbortSignal }): Streamed<CodeListItem>;
}

// ---------------------------------------------------------------------------------------------
// Arrangement records (CBS monitor sociaal domein)

export type ArrangementItem = { type: 'arrangement'; record: ArrangementRecord } | WarningItem;

export interface ArrangementSource extends AdapterBase {
  kind: 'arrangements';
  read(options: { municipality: string; signal?: AbortSignal }): Streamed<ArrangementItem>;
}

export type AnyAdapter = DeclarationSource | ClientRegister | Geography | CodeList | ArrangementSource;
export type AdapterKind = AnyAdapter['kind'];
