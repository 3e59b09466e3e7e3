import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vite';

// `npm run dev`: vite serves the app and proxies /api to the Hono server (scripts/dev.mjs starts both).
const apiTarget = process.env.INKAN_API_URL ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [sveltekit()],
  server: { proxy: { '/api': apiTarget, '/dev': apiTarget } },
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 2048 }
});
