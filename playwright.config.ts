import { defineConfig, devices } from '@playwright/test';

/**
 * Browser journeys in Debian's Chromium (/usr/bin/chromium): no browser download is possible or needed.
 * Each worker starts its own real Inkan server (tests/e2e/fixtures.ts) on a free port with a fresh data folder.
 */
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
const launchOptions = {
  executablePath,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync'
  ]
};

export default defineConfig({
  testDir: 'tests/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.PW_REPORTER === 'quiet' ? 'line' : 'list',
  use: { trace: 'retain-on-failure', launchOptions, locale: 'ja-JP', timezoneId: 'Asia/Tokyo' },
  // A test tagged '@desktop' or '@phone' runs only in that project (not listed as skipped in the other).
  projects: [
    {
      name: 'desktop',
      grepInvert: /@phone/,
      use: { ...devices['Desktop Chrome'], browserName: 'chromium', launchOptions }
    },
    { name: 'phone', grepInvert: /@desktop/, use: { ...devices['Pixel 7'], browserName: 'chromium', launchOptions } }
  ]
});
