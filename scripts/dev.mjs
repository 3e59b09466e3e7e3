#!/usr/bin/env node
// `npm run dev`: the Hono API (tsx watch) on 8787 and vite's dev server (proxying /api to it) side by side.
import { spawn } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const procs = [
  spawn('npx', ['tsx', 'watch', 'server/src/main.ts'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, PORT: process.env.API_PORT ?? '8787' }
  }),
  spawn('npx', ['vite', 'dev', '--host', '127.0.0.1'], { cwd: root, stdio: 'inherit' })
];
const stop = () => procs.forEach((p) => p.kill('SIGTERM'));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
procs.forEach((p) => p.on('exit', stop));
