import { configDefaults, defineConfig } from 'vitest/config';

// Unit tests live next to the code (src/**/*.test.ts); end-to-end tests in test/.
// E2E tests start real processes, so they run one file at a time.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts'],
    // The long target campaigns: `npm run test:targets` (vitest.targets.config.ts).
    exclude: [...configDefaults.exclude, 'test/targets-full/**'],
    testTimeout: 120_000,
    hookTimeout: 600_000,
    fileParallelism: false,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // Tests stand in for a person at a terminal. A CI runner sets CI=true, and Ink (is-in-ci,
    // read once at import) then stops drawing live frames, so the UI tests would see nothing.
    // Tests of the CI-environment behaviour set the variable themselves.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
