import { test as base } from '@playwright/test';
import { InkanServer } from './server.ts';

/** `server`: one real Inkan server per worker, on its own port and data folder. */
export const test = base.extend<{}, { server: InkanServer }>({
  server: [
    async ({}, use) => {
      const server = new InkanServer();
      await server.start();
      await use(server);
      await server.stop();
    },
    { scope: 'worker' }
  ],
  baseURL: async ({ server }, use) => use(server.url)
});
export { expect } from '@playwright/test';
