import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Two projects: `node` for packages/ and server/ (real crypto, real files, real sockets),
// `client` for app/ code that needs a DOM (happy-dom) and Svelte's browser build.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'packages/*/src/**/*.test.ts',
            'packages/*/test/**/*.test.ts',
            'server/src/**/*.test.ts',
            'server/test/**/*.test.ts'
          ],
          testTimeout: 60_000,
          hookTimeout: 120_000
        }
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'client',
          environment: 'happy-dom',
          include: ['app/**/*.test.ts'],
          testTimeout: 30_000
        }
      }
    ]
  }
});
