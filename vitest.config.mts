import { defineConfig } from 'vitest/config';

// Three tiers (style.md §3.10): unit tests need no I/O; integration tests run one service process against
// real nats-server and redis-server processes started per test file; e2e tests run every service.
export default defineConfig({
  test: {
    // After the whole run: no raw phone number or e-mail in any log, span, NATS subject or Redis key (pii-scan.ts).
    globalSetup: ['test/harness/pii-scan.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{libs,services}/*/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['{libs,services}/*/test/**/*.int.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
