// Where the bench keeps a scale's archive, and beside it the csv-export (with its variants) and the
// QSD301 files of the deliver measurements, which main.ts and duckdb-sql-same compare.
import os from 'node:os';
import path from 'node:path';

/** The generated iWmo archive of a scale. */
export function archiveDir(scale: number): string {
  return path.join(os.tmpdir(), `wmo-bench-v3-s${scale}`);
}

/** The same performances as a csv-export, and the client register, beside the archive. */
export function exportDir(archive: string): string {
  return `${archive}-export`;
}

/** The QSD301 file a deliver measurement keeps beside the export: deliver-csv's is the one the others are compared with. */
export function keptQsd301(archive: string, kind: string): string {
  const name = kind === 'deliver-csv' ? 'toolkit-qsd301.csv' : kind === 'deliver' ? 'toolkit-qsd301-from-xml.csv' : `toolkit-qsd301-${kind.slice('deliver-csv-'.length)}.csv`;
  return path.join(exportDir(archive), name);
}
