import { aggregate, type AggregateInput } from './engine/aggregate.js';
import { CHECK_DESCRIPTIONS, checkQsd301, type CheckId } from './qsd301/checks.js';
import { DIALECTS, type DialectId } from './qsd301/dialect.js';
import type { Qsd301Row } from './qsd301/row.js';
import { writeQsd301 } from './qsd301/writer.js';
import type { CheckResult, QualityReport } from './report.js';

export interface DeliveryInput extends AggregateInput {
  dialect?: DialectId;
}

export interface Delivery {
  rows: Qsd301Row[];
  /** The QSD301 file's content (ASCII, CR LF). */
  csv: string;
  report: QualityReport;
  /** True when every check passed: the file may be sent. */
  passed: boolean;
}

/**
 * Builds the QSD301 delivery in memory: aggregates, writes the file, and runs every check of
 * domain.md §3 on the written text (the same checks `wmo validate` runs on anyone's file).
 */
export async function buildDelivery(input: DeliveryInput): Promise<Delivery> {
  const dialect = DIALECTS[input.dialect ?? 'example'];
  const { rows, report } = await aggregate(input);
  const csv = writeQsd301(rows, dialect);
  const outcome = checkQsd301(csv, { dialect, expectedWijkCodes: input.wijken.filter((w) => w.municipality === input.municipality.code).map((w) => w.code) });
  const byCheck = new Map<CheckId, CheckResult>();
  for (const id of Object.keys(CHECK_DESCRIPTIONS) as CheckId[]) {
    byCheck.set(id, { id, description: CHECK_DESCRIPTIONS[id], passed: true, findings: [] });
  }
  for (const finding of outcome.findings) {
    const result = byCheck.get(finding.check)!;
    result.passed = false;
    result.findings.push(finding.line === undefined ? { message: finding.message } : { line: finding.line, message: finding.message });
  }
  report.checks.push(...byCheck.values());
  const passed = report.checks.every((c) => c.passed);
  return { rows, csv, report, passed };
}
