import { defineConfig } from 'vitest/config';

// Tests run against the TypeScript sources of every workspace package: the custom export
// condition `@wmo-toolkit/source` points each package at its `src/index.ts`, so no build is
// needed before `pnpm test`.
export default defineConfig({
  resolve: {
    conditions: ['@wmo-toolkit/source'],
  },
  ssr: {
    resolve: {
      conditions: ['@wmo-toolkit/source'],
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'adapters/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test-fixtures/**/*.test.ts'],
    testTimeout: 30_000,
    globalSetup: ['./vitest.global-setup.ts'],
  },
});
