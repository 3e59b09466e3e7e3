import { chromium } from '@playwright/test';
import { test, expect } from './fixtures.ts';
import { choosePdf, renderedPageHasInk } from './app.ts';
import { writeLargePdf } from './pdfs.ts';

test('the app is installable by Chromium’s criteria (manifest, icons, service worker)', async ({
  server
}, testInfo) => {
  // Incognito contexts (Playwright's default) are never installable: use a real profile.
  const context = await chromium.launchPersistentContext(testInfo.outputPath('profile'), {
    ...testInfo.project.use.launchOptions
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.url);
    const cdp = await context.newCDPSession(page);
    await expect
      .poll(async () => {
        const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
        return installabilityErrors.map((e) => e.errorId);
      })
      .toEqual([]);
    const { url, errors } = await cdp.send('Page.getAppManifest');
    expect(url).toMatch(/\/manifest\.webmanifest$/);
    expect(errors).toEqual([]);
  } finally {
    await context.close();
  }
});

test(
  'a 100 MB PDF shows progress while it is read off the main thread, then opens',
  { tag: '@desktop' },
  async ({ page }, testInfo) => {
    test.setTimeout(180_000);
    const path = testInfo.outputPath('large-contract.pdf');
    const size = await writeLargePdf(path, 100);
    expect(size).toBeGreaterThan(100 * 1024 * 1024);

    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1, name: '新しい契約書' })).toBeVisible();
    // Record every progress value shown, with a main-thread timer count at that moment: if the page froze while
    // reading, there would be no intermediate values and the timer would not advance between them.
    await page.evaluate(() => {
      const w = window as unknown as { seen: { value: number; ticks: number }[]; ticks: number };
      w.seen = [];
      w.ticks = 0;
      setInterval(() => w.ticks++, 5);
      new MutationObserver((records) => {
        for (const r of records) {
          const value = (r.target as Element).getAttribute?.('aria-valuenow');
          if (value !== null && value !== undefined) w.seen.push({ value: Number(value), ticks: w.ticks });
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    });

    await choosePdf(page, path);
    await expect(page.getByRole('progressbar', { name: '読み込みの進行状況' })).toBeVisible();
    await expect(page).toHaveURL(/\/drafts\//, { timeout: 120_000 });
    expect(await renderedPageHasInk(page, 1)).toBe(true);
    await expect(page.getByText('全 1 ページ')).toBeVisible();

    const seen = await page.evaluate(() => (window as unknown as { seen: { value: number; ticks: number }[] }).seen);
    const between = seen.filter((s) => s.value > 0 && s.value < 100);
    expect(new Set(between.map((s) => s.value)).size, JSON.stringify(seen)).toBeGreaterThanOrEqual(5);
    expect(between.at(-1)!.ticks, JSON.stringify(seen)).toBeGreaterThan(between[0]!.ticks);
  }
);
