import { configDefaults, defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:targets`: the long target campaigns the default suite leaves out (test/targets-full/).
export default defineConfig({ test: { ...base.test, include: ['test/targets-full/**/*.test.ts'], exclude: configDefaults.exclude } });
