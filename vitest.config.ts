import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'data/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration tests start real servers (influxd, OPC UA, Chromium); 2 cores in CI.
    fileParallelism: true,
    maxWorkers: 2,
    pool: 'forks',
  },
});
