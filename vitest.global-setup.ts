import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Every test's temporary folders (and those of the CLI and browser processes the end-to-end
// tests start) go into one folder per run, removed when the run ends: `os.tmpdir()` reads
// TMPDIR each time, and the test workers and their child processes inherit it.
export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(path.join(tmpdir(), 'wmo-toolkit-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true });
  };
}
