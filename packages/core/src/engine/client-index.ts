import type { ClientFacts, AddressPeriod } from '../records.js';
import type { Warning } from '../warnings.js';
import { warning } from '../warnings.js';
import type { Pseudonymizer } from '../bsn.js';

export interface IndexedClient {
  /** null when unknown, or when the sources disagree (then `birthDateConflict` is true). */
  birthDate: string | null;
  birthDateConflict: boolean;
  addresses: AddressPeriod[];
}

/**
 * The client facts of one run, by client key (BSN). Per-client state is the only state that may
 * grow with the size of the municipality. A source may give a client in several records (one per
 * address period); they are merged here.
 */
export class ClientIndex {
  private readonly clients = new Map<string, IndexedClient>();
  /** Dates, gemeente and wijk codes repeat across clients: kept once (the register of a big city
   * is the largest state of a run; 850 → about 250 bytes a client, see docs/performance.md). */
  private readonly texts = new Map<string, string>();
  readonly warnings: Warning[] = [];

  constructor(private readonly pseudonymize: Pseudonymizer) {}

  private text(value: string): string;
  private text(value: string | null | undefined): string | null;
  private text(value: string | null | undefined): string | null {
    if (value === null || value === undefined) return null;
    let known = this.texts.get(value);
    if (known === undefined) {
      if (this.texts.size >= 200_000) return value; // not a repeating value after all
      this.texts.set(value, value);
      known = value;
    }
    return known;
  }

  /** What the engine uses of an address period, without its source location. */
  private compact(address: AddressPeriod): AddressPeriod {
    return {
      start: this.text(address.start),
      end: this.text(address.end),
      municipality: this.text(address.municipality),
      wijkCode: this.text(address.wijkCode),
      postcode: address.postcode ?? null,
      houseNumber: address.houseNumber ?? null,
    };
  }

  add(facts: ClientFacts): void {
    const known = this.clients.get(facts.clientKey);
    const addresses = facts.addresses.map((a) => this.compact(a));
    if (!known) {
      this.clients.set(facts.clientKey, { birthDate: this.text(facts.birthDate), birthDateConflict: false, addresses });
      return;
    }
    known.addresses.push(...addresses);
    if (facts.birthDate !== null && !known.birthDateConflict) {
      if (known.birthDate === null) known.birthDate = this.text(facts.birthDate);
      else if (known.birthDate !== facts.birthDate) {
        // Two different birth dates for one BSN: the age class cannot be trusted, so the client is
        // treated as without a birth date (left out, listed) rather than guessed.
        known.birthDateConflict = true;
        known.birthDate = null;
        this.warnings.push(
          warning(
            'conflicting-birth-date',
            `client ${this.pseudonymize(facts.clientKey)} has two different birth dates in the client sources; it is left out of the file`,
            facts.source,
          ),
        );
      }
    }
  }

  get(clientKey: string): IndexedClient | undefined {
    return this.clients.get(clientKey);
  }

  get size(): number {
    return this.clients.size;
  }
}
