import type { GzsRowCategory } from '../categories.js';

/** One row of the QSD301 file. `wijk` is null on the gemeente total rows. */
export interface Qsd301Row {
  year: number;
  municipalityCode: string;
  municipalityName: string;
  wijk: { code: string; name: string } | null;
  ageClass: 1 | 2 | 3;
  category: GzsRowCategory;
  clients: number;
  euros: number;
}

/** Field lengths of seed 000 table 4.1. */
export const FIELD_MAX_LENGTH = {
  Jaar: 4,
  Gemcode: 4,
  Gemnaam: 35,
  Wijkcode: 12,
  Wijknaam: 60,
  Lftijdskl: 1,
  Prodcat_GZS: 9,
  Aantal_clienten: 6,
  Uitgaven: 11,
} as const;
