import type { CountRow } from '@wmo-toolkit/core';

export interface ArrangementReport {
  product: 'CBS-WMOBUS';
  municipality: { code: string; name: string };
  year: number;
  sources: { id: string; records: number }[];
  recordsWithoutStart: number;
  recordsOutsideYear: number;
  mergedByAllocation: number;
  mergedByPeriod: number;
  arrangements: number;
  clients: number;
  suppressed: boolean;
  consent: string;
  warnings: { kind: string; count: number; examples: { message: string }[] }[];
  files?: { arrangements: string; counts: string };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The report of a CBS arrangement delivery, in Dutch, self-contained. */
export function renderArrangementReportHtml(report: ArrangementReport, counts: readonly CountRow[], generatedAt?: string): string {
  const title = `Wmo-maatwerkarrangementen voor CBS ${report.year} — ${report.municipality.name} (${report.municipality.code})`;
  const totals = counts.filter((r) => r.financing === 'totaal');
  const row = (r: CountRow) => `<tr><td>${r.period}</td><td>${escape(r.type)}</td><td class="n">${r.clients}</td><td class="n">${r.arrangements}</td></tr>`;
  return `<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:56rem;margin:0 auto;padding:1.5rem;color:#1b1b1b;line-height:1.45}h2{border-bottom:2px solid #1f6f8b}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}th,td{border:1px solid #c9d3d8;padding:.3rem .5rem;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}thead th{background:#eef4f6}</style>
</head><body><main>
<h1>${escape(title)}</h1>
<p>${generatedAt ? `Gemaakt: ${escape(generatedAt)}. ` : ''}Samengevoegd volgens de CBS-methode (WMOBUS, vanaf 2020BUSV2). Personen staan in het bestand alleen onder een sleutel (HMAC van het BSN met het geheim van de gemeente).</p>
<h2>Records en samenvoegen</h2>
<table><tbody>
${report.sources.map((s) => `<tr><th scope="row">Records uit ${escape(s.id)}</th><td class="n">${s.records}</td></tr>`).join('\n')}
<tr><th scope="row">Zonder begindatum (niet te plaatsen)</th><td class="n">${report.recordsWithoutStart}</td></tr>
<tr><th scope="row">Buiten ${report.year}</th><td class="n">${report.recordsOutsideYear}</td></tr>
<tr><th scope="row">Samengevoegd: zelfde toewijzingsnummer en type</th><td class="n">${report.mergedByAllocation}</td></tr>
<tr><th scope="row">Samengevoegd: aansluitend (≤ 3 dagen), gelijk of binnen elkaar</th><td class="n">${report.mergedByPeriod}</td></tr>
<tr><th scope="row">Arrangementen in het bestand</th><td class="n">${report.arrangements}</td></tr>
<tr><th scope="row">Cliënten</th><td class="n">${report.clients}</td></tr>
</tbody></table>
<h2>Tellingen per type en periode (alle financieringsvormen)</h2>
<p>${report.suppressed ? 'Zoals CBS publiceert: aantallen onder 10 geheim (.), overige afgerond op vijftallen — in het tellingenbestand; hieronder de exacte aantallen.' : 'Exacte aantallen.'}</p>
<table><thead><tr><th scope="col">Periode</th><th scope="col">Type</th><th scope="col">Cliënten</th><th scope="col">Arrangementen</th></tr></thead><tbody>
${totals.map(row).join('\n')}
</tbody></table>
<h2>Waarschuwingen</h2>
${report.warnings.length === 0 ? '<p>Geen waarschuwingen.</p>' : report.warnings.map((w) => `<details><summary><code>${escape(w.kind)}</code>: ${w.count}×</summary><ul>${w.examples.map((e) => `<li>${escape(e.message)}</li>`).join('')}</ul></details>`).join('\n')}
</main></body></html>
`;
}
