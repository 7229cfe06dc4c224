/**
 * The benchmark's csv-export as two other case systems would write it, for deliver-csv-unlinked
 * and deliver-csv-credited: the same performances, so the QSD301 file must be the same.
 * - `unlinked`: no VorigReferentieNummer (the column empty): each credit is matched to its debit
 *   by provider, client, category, product, period and amount.
 * - `credited`: a debit reversed by an approved credit has status "gecrediteerd" and the credit
 *   line is left out: the adapter adds the reversal itself.
 * Written once beside the export (a temporary name, then renamed), streamed line by line.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export type ExportVariant = 'unlinked' | 'credited';

// the generic layout (adapters/csv-export): gemeente;aanbieder;declaratienummer;referentie;vorige_referentie;…;debet_credit;status
const PROVIDER = 1;
const REFERENCE = 3;
const REVERSES = 4;
const DEBIT_CREDIT = 14;
const STATUS = 15;

/** The variant's file beside `exportFile`, written if it is not there yet. */
export async function exportVariant(exportFile: string, variant: ExportVariant): Promise<string> {
  const target = path.join(path.dirname(exportFile), `declaratieregels-${variant}.csv`);
  if (existsSync(target)) return target;
  // credited: the debits that an approved credit names (a few per cent of the lines)
  const reversed = new Set<string>();
  if (variant === 'credited') {
    for await (const fields of rows(exportFile)) {
      if (fields[DEBIT_CREDIT] === 'C' && fields[STATUS] === 'goedgekeurd' && fields[REVERSES]) reversed.add(`${fields[PROVIDER]}|${fields[REVERSES]}`);
    }
  }
  const temporary = `${target}.partial`;
  const out = createWriteStream(temporary);
  let header = true;
  for await (const fields of rows(exportFile)) {
    if (!header) {
      if (variant === 'unlinked') fields[REVERSES] = '';
      else if (fields[DEBIT_CREDIT] === 'C' && fields[STATUS] === 'goedgekeurd' && fields[REVERSES]) continue;
      else if (fields[DEBIT_CREDIT] === 'D' && fields[STATUS] === 'goedgekeurd' && reversed.has(`${fields[PROVIDER]}|${fields[REFERENCE]}`)) fields[STATUS] = 'gecrediteerd';
    }
    header = false;
    if (!out.write(`${fields.join(';')}\r\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rename(temporary, target);
  return target;
}

async function* rows(file: string): AsyncGenerator<string[]> {
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) if (line !== '') yield line.split(';');
}
