/**
 * File name of seed 000 §5.2 as decided in domain.md §3: `WMO_<Gemcode>_<JJJJ>_<YYYYMMDD>_<NN>.csv`,
 * JJJJ the reporting year, the date the delivery date, NN the two-digit sequence number of the
 * delivery for that gemeente.
 */
export function qsd301FileName(municipalityCode: string, year: number, deliveryDate: string, sequence: number): string {
  if (!/^\d{4}$/.test(municipalityCode)) throw new RangeError(`gemeente code must have 4 digits: ${municipalityCode}`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(deliveryDate)) throw new RangeError(`delivery date must be YYYY-MM-DD: ${deliveryDate}`);
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 99) throw new RangeError(`sequence number must be 1–99: ${sequence}`);
  return `WMO_${municipalityCode}_${year}_${deliveryDate.replaceAll('-', '')}_${String(sequence).padStart(2, '0')}.csv`;
}

const FILE_NAME = /^WMO_(\d{4})_(\d{4})_(\d{8})_(\d{2})\.csv$/i;

export function parseQsd301FileName(name: string): { municipalityCode: string; year: number; deliveryDate: string; sequence: number } | undefined {
  const match = FILE_NAME.exec(name);
  if (!match) return undefined;
  const date = match[3]!;
  return {
    municipalityCode: match[1]!,
    year: Number(match[2]),
    deliveryDate: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`,
    sequence: Number(match[4]),
  };
}

/**
 * The next sequence number: one more than the highest already among `existingNames` for that
 * gemeente and year (whatever the delivery date), 01 when there is none (interfaces.md).
 */
export function nextSequenceNumber(existingNames: Iterable<string>, municipalityCode: string, year: number): number {
  let highest = 0;
  for (const name of existingNames) {
    // A report of a delivery that failed its checks also uses up its number.
    const parsed = parseQsd301FileName(name.replace(/\.report\.(json|html)$/i, '.csv'));
    if (parsed && parsed.municipalityCode === municipalityCode && parsed.year === year) highest = Math.max(highest, parsed.sequence);
  }
  return highest + 1;
}
