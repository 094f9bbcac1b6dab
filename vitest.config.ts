import { defineConfig } from 'vitest/config';

// One runner for the whole workspace. Tests sit beside the code (`*.test.ts`, `*.int.test.ts` for
// anything that needs a real database); browser end-to-end specs live in `e2e/` and run through
// Playwright inside Vitest so that `npm test` is the single command CI runs.
export default defineConfig({
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'apps/*/src/**/*.test.ts',
      'apps/*/test/**/*.test.ts',
      'e2e/**/*.test.ts',
    ],
    exclude: ['**/node_modules/**', '**/dist/**', '**/out/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
