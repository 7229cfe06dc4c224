import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  WarningCollector,
  WmoError,
  countArrangements,
  createPseudonymizer,
  mergeArrangements,
  readArrangements,
  readGeography,
  writeArrangementFile,
  writeCountFile,
  writeNewFile,
  type ArrangementRecord,
  type ArrangementSource,
  type CountRow,
  type Municipality,
} from '@wmo-toolkit/core';
import { arrangementsCsv } from '@wmo-toolkit/arrangements-csv';
import { cbsGeography } from '@wmo-toolkit/cbs-geo';
import { allocationArrangements } from '@wmo-toolkit/iwmo';
import { renderArrangementReportHtml, type ArrangementReport } from '@wmo-toolkit/report-html';
import { readKey } from './key.js';

export const arrangementsRequestSchema = z.strictObject({
  municipality: z.string().regex(/^\d{4}$/, 'the gemeente code has 4 digits, with leading zeros (Hoorn is 0405)'),
  year: z.number().int().min(2015).max(2100),
  allocations: z.array(z.string().min(1)).default([]),
  arrangementsCsv: z.array(z.string().min(1)).default([]),
  keyFile: z.string().min(1, 'the arrangement file needs --key-file: the secret for the person keys'),
  out: z.string().min(1),
  sequence: z.number().int().min(1).max(99).optional(),
  suppress: z.boolean().default(false),
  consent: z.enum(['1', '2', '3']).default('3'),
  municipalities: z.string().min(1).optional(),
});
export type ArrangementsRequest = z.input<typeof arrangementsRequestSchema>;

export interface ArrangementsResult {
  report: ArrangementReport;
  counts: CountRow[];
  files: { arrangements: string; counts: string; reportJson: string; reportHtml: string };
}

const NAME = /^CBS_WMO_(\d{4})_(\d{4})_(\d{2})\./;

/** The CBS arrangement delivery (seed 004): records → CBS merge → arrangement file + counts + report. */
export async function arrangements(input: ArrangementsRequest): Promise<ArrangementsResult> {
  const parsed = arrangementsRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new WmoError(`Option ${issue.path.join('.')} is not right: ${issue.message}.`, { code: 'usage' });
  }
  const request = parsed.data;
  if (request.allocations.length === 0 && request.arrangementsCsv.length === 0) {
    throw new WmoError('Give WMO301/305/307 messages with --allocations and/or a CSV with --arrangements-csv.', { code: 'usage' });
  }
  let municipality: Municipality | undefined;
  for await (const item of readGeography(cbsGeography(request.municipalities ? { municipalitiesFile: request.municipalities } : {}), { municipality: request.municipality })) {
    if (item.type === 'municipality') municipality = item.municipality;
  }
  if (!municipality) throw new WmoError(`Gemeente ${request.municipality} is not in the CBS gemeente list; check --gemeente (Hoorn is 0405).`, { code: 'usage' });
  const pseudonymize = createPseudonymizer(await readKey(request.keyFile));

  const sources: ArrangementSource[] = [];
  if (request.allocations.length > 0) sources.push(allocationArrangements({ paths: request.allocations }));
  for (const file of request.arrangementsCsv) sources.push(arrangementsCsv({ file }));
  const records: ArrangementRecord[] = [];
  const warnings = new WarningCollector();
  const perSource: { id: string; records: number }[] = [];
  for (const source of sources) {
    let count = 0;
    for await (const item of readArrangements(source, { municipality: municipality.code })) {
      if (item.type === 'arrangement') {
        records.push(item.record);
        count++;
      } else warnings.add(item.warning);
    }
    perSource.push({ id: source.id, records: count });
  }
  const merged = mergeArrangements(records, request.year);
  const counts = countArrangements(merged.arrangements, request.year);
  for (const record of merged.withoutStart) {
    warnings.add({ kind: 'arrangement-without-start', message: `an arrangement record of ${record.source.file}${record.source.line ? ` line ${record.source.line}` : ''} has neither an actual nor an intended start date; it is left out`, location: record.source });
  }

  await mkdir(request.out, { recursive: true });
  let sequence = request.sequence;
  if (sequence === undefined) {
    let highest = 0;
    for (const name of await readdir(request.out)) {
      const m = NAME.exec(name);
      if (m && m[1] === municipality.code && Number(m[2]) === request.year) highest = Math.max(highest, Number(m[3]));
    }
    sequence = highest + 1;
  }
  const stem = path.join(request.out, `CBS_WMO_${municipality.code}_${request.year}_${String(sequence).padStart(2, '0')}`);
  const files = { arrangements: `${stem}.csv`, counts: `${stem}.tellingen.csv`, reportJson: `${stem}.report.json`, reportHtml: `${stem}.report.html` };
  const report: ArrangementReport = {
    product: 'CBS-WMOBUS',
    municipality,
    year: request.year,
    sources: perSource,
    recordsWithoutStart: merged.withoutStart.length,
    recordsOutsideYear: merged.outsideYear,
    mergedByAllocation: merged.mergedByAllocation,
    mergedByPeriod: merged.mergedByPeriod,
    arrangements: merged.arrangements.length,
    clients: new Set(merged.arrangements.map((a) => a.clientKey)).size,
    suppressed: request.suppress,
    consent: request.consent,
    warnings: warnings.toArray(),
    files: { arrangements: path.basename(files.arrangements), counts: path.basename(files.counts) },
  };
  const generatedAt = new Date().toISOString();
  await writeNewFile(files.arrangements, writeArrangementFile(merged.arrangements, request.year, request.consent, pseudonymize));
  await writeNewFile(files.counts, writeCountFile(counts, request.year, municipality.code, request.suppress));
  await writeNewFile(files.reportJson, JSON.stringify({ generatedAt, ...report, counts }, null, 2) + '\n');
  await writeNewFile(files.reportHtml, renderArrangementReportHtml(report, counts, generatedAt));
  return { report, counts, files };
}
