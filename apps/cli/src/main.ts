#!/usr/bin/env node
// First, before the toolkit's modules are loaded: holds the main thread's young generation at
// its starting size, which `deliver` keeps for a big input (see the module). The program comes
// after it through import(): a static import beside it would load and compile every module
// before this one runs.
import '@wmo-toolkit/pipeline/young-generation';

const { run } = await import('./program.js');

// `pnpm wmo …` runs scripts from the repository root; paths on the command line are meant
// relative to where the user typed them.
if (process.env.npm_lifecycle_event === 'wmo' && process.env.INIT_CWD) process.chdir(process.env.INIT_CWD);

// A reader that stops early (`wmo validate … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const code = await run(process.argv.slice(2), {
  stdout: (text) => void process.stdout.write(text),
  stderr: (text) => void process.stderr.write(text),
  stderrIsTty: Boolean(process.stderr.isTTY),
});
process.exitCode = code;
