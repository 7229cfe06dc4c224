import { z } from 'zod';
import { isoDateSchema, municipalityCodeSchema, sourceLocationSchema } from '../records.js';

/**
 * An arrangement record as a gemeente delivers it to CBS for the monitor sociaal domein (seed 004,
 * WMOBUS): one allocated product of one person. Dates as intended (beschikt: WMO301
 * Ingangsdatum/Einddatum) and as actual (WMO305 start, WMO307 stop); CBS takes the actual date
 * and falls back on the intended one.
 */
export const ARRANGEMENT_TYPES = ['01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12', '13', '14', '15', '16', '17', '18', '88'] as const;
export type ArrangementType = (typeof ARRANGEMENT_TYPES)[number];

/** FinancieringsvormWmo: 2 PGB, 4 zorg in natura (ZIN), 6 anders (financiële tegemoetkoming). */
export const FINANCING_FORMS = ['2', '4', '6'] as const;
export type FinancingForm = (typeof FINANCING_FORMS)[number];

export const arrangementRecordSchema = z.object({
  municipality: municipalityCodeSchema,
  /** BSN; never written out — the arrangement file carries a keyed hash. */
  clientKey: z.string().min(1),
  /** ToewijzingNummer; null for records a case system gives without one. */
  allocationNumber: z.string().min(1).nullable(),
  type: z.enum(ARRANGEMENT_TYPES),
  financing: z.enum(FINANCING_FORMS),
  intendedStart: isoDateSchema.nullable(),
  intendedEnd: isoDateSchema.nullable(),
  actualStart: isoDateSchema.nullable(),
  actualEnd: isoDateSchema.nullable(),
  /** RedeneindeWmo (WMO588 RedenBeeindiging codes), when the arrangement ended. */
  endReason: z.string().nullable(),
  source: sourceLocationSchema,
});
export type ArrangementRecord = z.infer<typeof arrangementRecordSchema>;
