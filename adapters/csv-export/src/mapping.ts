import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { WmoError } from '@wmo-toolkit/core';
import { ADAPTER_ID } from './id.js';

/**
 * The column mapping of a case-system export, written once per system (JSON or YAML) and checked
 * strictly: a misspelt key is an error that names it. `columns` maps each field of a performance
 * to the export's column name; what the export lacks can come from `defaults`.
 */
const columnName = z.string().min(1);

export const mappingSchema = z.strictObject({
  /** Free text: which system and version the mapping is for. */
  description: z.string().optional(),
  delimiter: z.enum([';', ',', '\t', 'auto']).default('auto'),
  columns: z.strictObject({
    municipality: columnName.optional(),
    provider: columnName.optional(),
    declarationId: columnName.optional(),
    reference: columnName,
    reversesReference: columnName.optional(),
    allocationNumber: columnName.optional(),
    clientKey: columnName,
    category: columnName.optional(),
    productCode: columnName.optional(),
    periodStart: columnName,
    periodEnd: columnName,
    volume: columnName.optional(),
    unit: columnName.optional(),
    amount: columnName,
    debitCredit: columnName.optional(),
    status: columnName.optional(),
  }),
  /** Values for fields the export does not have (e.g. one gemeente per export). */
  defaults: z
    .strictObject({
      municipality: z.string().regex(/^\d{4}$/).optional(),
      provider: z.string().min(1).optional(),
      declarationId: z.string().min(1).optional(),
      unit: z.string().optional(),
    })
    .default({}),
  /** `euros` (1.234,56 or 1234.56, with `decimal`) or `cents` (whole numbers). */
  amount: z.strictObject({ format: z.enum(['euros', 'cents']).default('euros'), decimal: z.enum([',', '.']).default(',') }).default({ format: 'euros', decimal: ',' }),
  /** Date formats tried in order. */
  dates: z.array(z.enum(['YYYY-MM-DD', 'DD-MM-YYYY', 'YYYYMMDD', 'DD/MM/YYYY', 'D-M-YYYY'])).min(1).default(['YYYY-MM-DD', 'DD-MM-YYYY', 'YYYYMMDD']),
  /** Values of the debit/credit column (case-insensitive). Without the column, the sign of the amount decides. */
  debitCredit: z.strictObject({ debit: z.array(z.string()).min(1), credit: z.array(z.string()).min(1) }).default({ debit: ['D', 'debet'], credit: ['C', 'credit'] }),
  /**
   * Values of the status column (case-insensitive). `credited`: approved, then reversed in full,
   * with no separate credit line in the export (the adapter adds the reversal).
   */
  status: z
    .strictObject({
      approved: z.array(z.string()).default(['goedgekeurd', 'approved']),
      rejected: z.array(z.string()).default(['afgekeurd', 'rejected']),
      pending: z.array(z.string()).default(['in behandeling', 'pending']),
      credited: z.array(z.string()).default(['gecrediteerd', 'credited']),
    })
    .default({ approved: ['goedgekeurd', 'approved'], rejected: ['afgekeurd', 'rejected'], pending: ['in behandeling', 'pending'], credited: ['gecrediteerd', 'credited'] }),
  /** `warn` (default): a row with an unusable value is skipped with a warning naming the line; `error`: the run stops there. */
  invalidRows: z.enum(['warn', 'error']).default('warn'),
});
export type Mapping = z.output<typeof mappingSchema>;
export type MappingInput = z.input<typeof mappingSchema>;

/** The documented generic layout (docs in the README): column names equal to the Dutch field names. */
export const GENERIC_MAPPING: MappingInput = {
  description: 'generic layout of wmo-toolkit',
  columns: {
    municipality: 'gemeente',
    provider: 'aanbieder',
    declarationId: 'declaratienummer',
    reference: 'referentie',
    reversesReference: 'vorige_referentie',
    allocationNumber: 'toewijzingnummer',
    clientKey: 'bsn',
    category: 'categorie',
    productCode: 'productcode',
    periodStart: 'begindatum',
    periodEnd: 'einddatum',
    volume: 'volume',
    unit: 'eenheid',
    amount: 'bedrag',
    debitCredit: 'debet_credit',
    status: 'status',
  },
};

export const READY_MAPPINGS: Record<string, MappingInput> = { generic: GENERIC_MAPPING };

export function checkMapping(value: unknown, origin: string): Mapping {
  const result = mappingSchema.safeParse(value);
  if (result.success) return result.data;
  // A misspelt key is the likeliest cause of every other complaint: name it first.
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
  const what =
    issue.code === 'unrecognized_keys'
      ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}${where === '(top level)' ? '' : ` in ${where}`}`
      : `${where}: ${issue.message}`;
  throw new WmoError(`The column mapping ${origin} is not right: ${what}.`, { code: 'usage', adapterId: ADAPTER_ID, location: { file: origin } });
}

/** A ready mapping by name (`generic`) or a JSON/YAML file. */
export async function loadMapping(nameOrFile: string): Promise<Mapping> {
  const ready = READY_MAPPINGS[nameOrFile];
  if (ready) return checkMapping(ready, nameOrFile);
  let text: string;
  try {
    text = await readFile(nameOrFile, 'utf8');
  } catch (error) {
    throw new WmoError(`The column mapping ${nameOrFile} cannot be read (${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : String(error)}); give a JSON or YAML file, or ${Object.keys(READY_MAPPINGS).join(', ')}.`, {
      code: 'input-unreadable',
      adapterId: ADAPTER_ID,
      location: { file: nameOrFile },
      cause: error,
    });
  }
  let value: unknown;
  try {
    value = /\.json$/i.test(nameOrFile) ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new WmoError(`The column mapping ${nameOrFile} is not valid ${/\.json$/i.test(nameOrFile) ? 'JSON' : 'YAML'}: ${(error as Error).message.split('\n')[0]}.`, {
      code: 'usage',
      adapterId: ADAPTER_ID,
      location: { file: nameOrFile },
    });
  }
  return checkMapping(value, nameOrFile);
}
