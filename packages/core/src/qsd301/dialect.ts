import type { GzsRowCategory } from '../categories.js';

/**
 * Spellings of the QSD301 file. Seed 000 contradicts itself: the field table (§4.2, tables 4.1
 * and 4.2) writes `HH_HULP`, `HULP_DNS`, `n.v.t.` and `Kosten_gerealiseerd`; the example file
 * (§6.1) writes `HH_Hulp`, `HULP_DNST`, `nvt` and `Uitgaven`. domain.md §3 decides: follow the
 * example, keep the field-table spelling available because Vektis' intake may ask for it.
 */
export interface Qsd301Dialect {
  id: 'example' | 'field-table';
  header: readonly string[];
  totalWijkCode: string;
  totalWijkName: string;
  categoryNames: Readonly<Record<GzsRowCategory, string>>;
}

export const EXAMPLE_DIALECT: Qsd301Dialect = {
  id: 'example',
  header: ['Jaar', 'Gemcode', 'Gemnaam', 'Wijkcode', 'Wijknaam', 'Lftijdskl', 'Prodcat_GZS', 'Aantal_clienten', 'Uitgaven'],
  totalWijkCode: 'nvt',
  totalWijkName: 'Totaal',
  categoryNames: {
    Wmo_tot: 'Wmo_tot',
    HH_Hulp: 'HH_Hulp',
    BG: 'BG',
    DB: 'DB',
    OV_OND: 'OV_OND',
    HULP_DNST: 'HULP_DNST',
    ONBEKEND: 'ONBEKEND',
  },
};

export const FIELD_TABLE_DIALECT: Qsd301Dialect = {
  id: 'field-table',
  // "Aantal cliënten" of table 4.1 has a space and a diacritic, impossible in an ASCII header
  // with one-word names; the example's Aantal_clienten is the only ASCII spelling on offer.
  header: ['Jaar', 'Gemcode', 'Gemnaam', 'Wijkcode', 'Wijknaam', 'Lftijdskl', 'Prodcat_GZS', 'Aantal_clienten', 'Kosten_gerealiseerd'],
  totalWijkCode: 'n.v.t.',
  totalWijkName: 'Totaal',
  categoryNames: {
    Wmo_tot: 'Wmo_tot',
    HH_Hulp: 'HH_HULP',
    BG: 'BG',
    DB: 'DB',
    OV_OND: 'OV_OND',
    HULP_DNST: 'HULP_DNS',
    ONBEKEND: 'ONBEKEND',
  },
};

export const DIALECTS = { example: EXAMPLE_DIALECT, 'field-table': FIELD_TABLE_DIALECT } as const;
export type DialectId = keyof typeof DIALECTS;
