import { z } from 'zod';
import { parseIsoDate } from './dates.js';

/**
 * The canonical records every adapter produces. zod is lenient here (unknown fields are ignored):
 * these describe foreign input after an adapter has read it.
 */

export const isoDateSchema = z.string().refine((value) => parseIsoDate(value) !== undefined, {
  message: 'expected a calendar date YYYY-MM-DD',
});

/** A CBS wijk code: WK and six characters (gemeente code and wijk number). */
const WIJK_CODE = /^WK[0-9A-Za-z]{6}$/;

export const municipalityCodeSchema = z.string().regex(/^\d{4}$/, 'expected a 4-digit CBS gemeente code');

export const sourceLocationSchema = z.object({
  file: z.string().min(1),
  line: z.number().int().positive().optional(),
  element: z.string().optional(),
});

/**
 * An approved performance (goedgekeurde prestatie): one line of a declaration that the
 * municipality did not reject (domain.md §2). Debits have a positive amount, credits a negative
 * one; a credit names the debit it reverses in `reversesReference` (VorigReferentieNummer).
 */
export const performanceSchema = z
  .object({
    /** CBS code of the municipality the declaration was addressed to. */
    municipality: municipalityCodeSchema,
    /** AGB code of the provider (or another stable provider id in case-system exports). */
    provider: z.string().min(1),
    /** The declaration this line belongs to (DeclaratieNummer / DeclarantFactuurNummer). */
    declarationId: z.string().min(1),
    /** ReferentieNummer: with `provider`, identifies the performance (TR314). */
    reference: z.string().min(1),
    /** VorigReferentieNummer of a credit: the reference of the debit it reverses. */
    reversesReference: z.string().min(1).optional(),
    /** ToewijzingNummer. */
    allocationNumber: z.string().optional(),
    /** The client's BSN. Never written to any output. */
    clientKey: z.string().min(1),
    /** iWmo product category (`01`–`18`), a Jeugdwet category, or null when the source has none. */
    category: z.string().nullable(),
    productCode: z.string().nullable(),
    periodStart: isoDateSchema,
    periodEnd: isoDateSchema,
    volume: z.number(),
    unit: z.string(),
    /** Signed amount in euro cents: positive for a debit, negative for a credit. */
    amountCents: z.number().int(),
    debitCredit: z.enum(['D', 'C']),
    source: sourceLocationSchema,
  })
  .refine((p) => p.periodStart <= p.periodEnd, { message: 'period ends before it starts', path: ['periodEnd'] })
  .refine((p) => (p.debitCredit === 'D' ? p.amountCents >= 0 : p.amountCents <= 0), {
    message: 'the sign of the amount does not match debit/credit',
    path: ['amountCents'],
  });
export type Performance = z.infer<typeof performanceSchema>;

const FOUR_DIGITS = /^\d{4}$/;
const isText = (value: unknown): value is string => typeof value === 'string';
const isFilled = (value: unknown): value is string => typeof value === 'string' && value.length > 0;
const isIsoDate = (value: unknown): value is string => typeof value === 'string' && parseIsoDate(value) !== undefined;

/**
 * The same test as `performanceSchema`, written out by hand: the boundary runs it for every line
 * of every message, where the schema cost more than reading the line. It accepts only what the
 * schema accepts (units.test.ts checks them side by side); when it says no, the boundary asks the
 * schema, for the message.
 */
export function isPerformance(value: unknown): value is Performance {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const start = p.periodStart;
  const end = p.periodEnd;
  const amount = p.amountCents;
  return (
    isText(p.municipality) &&
    FOUR_DIGITS.test(p.municipality) &&
    isFilled(p.provider) &&
    isFilled(p.declarationId) &&
    isFilled(p.reference) &&
    (p.reversesReference === undefined || isFilled(p.reversesReference)) &&
    (p.allocationNumber === undefined || isText(p.allocationNumber)) &&
    isFilled(p.clientKey) &&
    (p.category === null || isText(p.category)) &&
    (p.productCode === null || isText(p.productCode)) &&
    isIsoDate(start) &&
    isIsoDate(end) &&
    start <= end &&
    typeof p.volume === 'number' &&
    Number.isFinite(p.volume) &&
    isText(p.unit) &&
    typeof amount === 'number' &&
    Number.isSafeInteger(amount) &&
    (p.debitCredit === 'D' ? amount >= 0 : p.debitCredit === 'C' && amount <= 0) &&
    isSourceLocation(p.source)
  );
}

/** One address period of a client (BRP extract). `end` is the last day at the address. */
export const addressPeriodSchema = z.object({
  start: isoDateSchema,
  end: isoDateSchema.nullable(),
  municipality: municipalityCodeSchema,
  wijkCode: z
    .string()
    .regex(WIJK_CODE, 'expected a CBS wijk code WK + 6 characters')
    .nullable()
    .optional(),
  postcode: z.string().nullable().optional(),
  houseNumber: z.string().nullable().optional(),
  source: sourceLocationSchema.optional(),
});
export type AddressPeriod = z.infer<typeof addressPeriodSchema>;

/**
 * What the municipality knows of a client: birth date and address periods. A source may yield
 * the same client more than once (one row per address period); the core merges them.
 */
export const clientFactsSchema = z.object({
  clientKey: z.string().min(1),
  birthDate: isoDateSchema.nullable(),
  addresses: z.array(addressPeriodSchema),
  source: sourceLocationSchema.optional(),
});
export type ClientFacts = z.infer<typeof clientFactsSchema>;

const isOptionalText = (value: unknown) => value === undefined || value === null || typeof value === 'string';

function isSourceLocation(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const source = value as Record<string, unknown>;
  return (
    isFilled(source.file) &&
    (source.line === undefined || (typeof source.line === 'number' && Number.isSafeInteger(source.line) && source.line > 0)) &&
    (source.element === undefined || isText(source.element))
  );
}

function isAddressPeriod(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const a = value as Record<string, unknown>;
  return (
    isIsoDate(a.start) &&
    (a.end === null || isIsoDate(a.end)) &&
    isText(a.municipality) &&
    FOUR_DIGITS.test(a.municipality) &&
    (a.wijkCode === undefined || a.wijkCode === null || (isText(a.wijkCode) && WIJK_CODE.test(a.wijkCode))) &&
    isOptionalText(a.postcode) &&
    isOptionalText(a.houseNumber) &&
    (a.source === undefined || isSourceLocation(a.source))
  );
}

/**
 * The same test as `clientFactsSchema`, written out by hand (as `isPerformance`): the register of
 * a big city has hundreds of thousands of records, and the schema cost more than reading them
 * (units.test.ts checks the two side by side). When it says no, the boundary asks the schema.
 */
export function isClientFacts(value: unknown): value is ClientFacts {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  if (!isFilled(c.clientKey) || !(c.birthDate === null || isIsoDate(c.birthDate)) || !Array.isArray(c.addresses)) return false;
  for (let i = 0; i < c.addresses.length; i++) if (!isAddressPeriod(c.addresses[i])) return false;
  return c.source === undefined || isSourceLocation(c.source);
}

/** A CBS wijk of one wijkindeling year. */
export const wijkSchema = z.object({
  municipality: municipalityCodeSchema,
  municipalityName: z.string().min(1),
  code: z.string().regex(WIJK_CODE),
  name: z.string().min(1),
  /** Year of the CBS wijkindeling the code belongs to (codes are re-used with other meanings); null when the source does not say. */
  year: z.number().int().nullable(),
});
export type Wijk = z.infer<typeof wijkSchema>;

/** A CBS gemeente of the most recent municipal division. */
export const municipalitySchema = z.object({
  code: municipalityCodeSchema,
  name: z.string().min(1),
});
export type Municipality = z.infer<typeof municipalitySchema>;

/** One product code of a regional code list. */
export const codeListEntrySchema = z.object({
  code: z.string().min(1).max(5),
  /** iWmo category this code belongs to, or null when the list does not say. */
  category: z.string().nullable(),
  /** False for codes that are not Wmo at all (Jeugdwet). */
  isWmo: z.boolean(),
  description: z.string(),
  unit: z.string().optional(),
  /** Other identifiers the list gives (CAK code …). */
  extra: z.record(z.string(), z.string()).optional(),
});
export type CodeListEntry = z.infer<typeof codeListEntrySchema>;
