/**
 * The iWmo product categories (WMO020 / LDT_ProductCategorie, identical in iWmo 2.3 and 3.2) and
 * the Gemeentezorgspiegel grouping of seed 000 table 4.2 as decided in domain.md §3.
 */

export const IWMO_CATEGORIES = {
  '01': 'Hulp bij het huishouden',
  '02': 'Begeleiding',
  '03': 'Persoonlijke verzorging',
  '04': 'Kortdurend verblijf',
  '05': 'Woondiensten',
  '06': 'Overige ondersteuning gericht op het individu of huishouden/gezin',
  '07': 'Dagbesteding',
  '08': 'Vervoersdiensten',
  '09': 'Overige groepsgerichte ondersteuning',
  '10': 'Overige maatwerkarrangementen',
  '11': 'Rolstoelen',
  '12': 'Vervoersvoorzieningen',
  '13': 'Woonvoorzieningen',
  '14': 'Overige hulpmiddelen',
  '15': 'Beschermd wonen',
  '16': 'Opvang',
  '17': 'Spoedopvang',
  '18': 'Overige beschermd wonen en opvang',
} as const;

export type IwmoCategory = keyof typeof IWMO_CATEGORIES;

/** The Prodcat_GZS categories below Wmo_tot, in the order of domain.md §3 (also the tie order). */
export const GZS_CATEGORIES = ['HH_Hulp', 'BG', 'DB', 'OV_OND', 'HULP_DNST', 'ONBEKEND'] as const;
export type GzsCategory = (typeof GZS_CATEGORIES)[number];

/** Every Prodcat_GZS value in file order: Wmo_tot first (seed 000 §6.1). */
export const GZS_ROW_ORDER = ['Wmo_tot', ...GZS_CATEGORIES] as const;
export type GzsRowCategory = (typeof GZS_ROW_ORDER)[number];

const GROUPING: Record<IwmoCategory, GzsCategory | 'excluded'> = {
  '01': 'HH_Hulp',
  '02': 'BG',
  '07': 'DB',
  '03': 'OV_OND',
  '04': 'OV_OND',
  '06': 'OV_OND',
  '09': 'OV_OND',
  '10': 'OV_OND',
  '05': 'HULP_DNST',
  '08': 'HULP_DNST',
  '11': 'HULP_DNST',
  '12': 'HULP_DNST',
  '13': 'HULP_DNST',
  '14': 'HULP_DNST',
  // Verblijf en opvang: not part of the Gemeentezorgspiegel (seed 000 §1.2, domain.md §3).
  '15': 'excluded',
  '16': 'excluded',
  '17': 'excluded',
  '18': 'excluded',
};

export function isIwmoCategory(code: string): code is IwmoCategory {
  return Object.prototype.hasOwnProperty.call(IWMO_CATEGORIES, code);
}

/** Jeugdwet categories (iJw JZ020: 40–54) — recognised so that they are reported as not-Wmo. */
export function isJeugdwetCategory(code: string): boolean {
  if (!/^\d{2}$/.test(code)) return false;
  const n = Number(code);
  return n >= 40 && n <= 54;
}

/**
 * Where a performance with this category lands in the QSD301 file:
 * - a Prodcat_GZS category;
 * - `excluded` for Verblijf en Opvang (15–18): not delivered, reported;
 * - `not-wmo` for Jeugdwet categories: not part of any delivery, reported;
 * - `ONBEKEND` when no category could be determined (null or an unknown code) — domain.md §3.
 */
export type CategoryPlacement = GzsCategory | 'excluded' | 'not-wmo';

export function placeCategory(category: string | null | undefined): CategoryPlacement {
  if (category == null || category === '') return 'ONBEKEND';
  if (isIwmoCategory(category)) return GROUPING[category];
  if (isJeugdwetCategory(category)) return 'not-wmo';
  return 'ONBEKEND';
}

/** Age class (Lftijdskl) from the age on 30 June: 1 = 0–17, 2 = 18–64, 3 = 65 and older. */
export function ageClass(age: number): 1 | 2 | 3 {
  // A child born after 30 June of the reporting year has age −1 there; it is a child (class 1).
  if (age <= 17) return 1;
  if (age <= 64) return 2;
  return 3;
}
