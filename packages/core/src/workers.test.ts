import { describe, expect, it } from 'vitest';
import { workerExecArgv } from './workers.js';

describe('workerExecArgv', () => {
  it('keeps the options that load modules and drops V8, process and script options', () => {
    expect(
      workerExecArgv([
        '--max-old-space-size=4096', // V8: a worker refuses it (ERR_WORKER_INVALID_EXEC_ARGV)
        '--conditions=@wmo-toolkit/source',
        '--import',
        'tsx',
        '--single-threaded-gc',
        '--input-type=module',
        '-e',
        'console.log(1)', // the parent's script
        '-r',
        './setup.cjs',
        '--enable-source-maps',
        '--title=wmo',
      ]),
    ).toEqual(['--conditions=@wmo-toolkit/source', '--import', 'tsx', '-r', './setup.cjs', '--enable-source-maps']);
  });

  it('gives nothing for a plain run', () => {
    expect(workerExecArgv([])).toEqual([]);
  });
});
