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
  readonly warnings: Warning[] = [];

  constructor(private readonly pseudonymize: Pseudonymizer) {}

  add(facts: ClientFacts): void {
    const known = this.clients.get(facts.clientKey);
    if (!known) {
      this.clients.set(facts.clientKey, { birthDate: facts.birthDate, birthDateConflict: false, addresses: [...facts.addresses] });
      return;
    }
    known.addresses.push(...facts.addresses);
    if (facts.birthDate !== null && !known.birthDateConflict) {
      if (known.birthDate === null) known.birthDate = facts.birthDate;
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
