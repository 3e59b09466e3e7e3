import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { test, expect } from './fixtures.ts';
import { choosePdf, renderedPageHasInk, waitForServiceWorker } from './app.ts';
import { contractPdf, corruptPdf } from './pdfs.ts';

const pdf = (name: string, buffer: Buffer) => ({ name, mimeType: 'application/pdf', buffer });

test('a chosen PDF becomes a draft that renders, survives reload, and opens offline and with the server stopped', async ({
  page,
  context,
  server
}) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: '新しい契約書' })).toBeVisible();
  await waitForServiceWorker(page);
  // Installed: the app shell, pdf.js and its worker are cached; the big signature font waits for first use.
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) urls.push(...(await (await caches.open(name)).keys()).map((r) => r.url));
    return urls.map((u) => new URL(u).pathname);
  });
  expect(cached).toContain('/');
  expect(cached.some((p) => /pdf\.worker\.min\.[\w-]+\.mjs$/.test(p))).toBe(true);
  expect(cached.filter((p) => p.endsWith('.ttf'))).toEqual([]);

  await choosePdf(page, pdf('業務委託契約書.pdf', await contractPdf(3)));
  await expect(page).toHaveURL(/\/drafts\/[0-9a-f-]{36}$/);
  await expect(page.getByRole('heading', { level: 1, name: '業務委託契約書' })).toBeVisible();
  await expect(page.getByText('全 3 ページ')).toBeVisible();
  expect(await renderedPageHasInk(page, 1)).toBe(true);
  // The page's text is in the DOM too (pdf.js text layer): selectable, searchable, read by screen readers.
  await expect(page.locator('[data-page="1"]').getByText('Service Agreement - page 1')).toBeAttached();

  // Zoom: explicit steps leave fit-to-width; fit brings it back.
  const percent = page.getByRole('status', { name: '表示倍率' });
  const before = (await percent.textContent())!;
  await page.getByRole('button', { name: '拡大' }).click();
  await expect(percent).not.toHaveText(before);
  await expect(page.getByRole('button', { name: '幅に合わせる' })).toHaveAttribute('aria-pressed', 'false');
  await page.getByRole('button', { name: '幅に合わせる' }).click();
  await expect(percent).toHaveText(before);

  const listed = async () => {
    await expect(page.getByRole('link', { name: '「業務委託契約書」を開く' })).toBeVisible();
    await expect(page.getByText('3 ページ', { exact: true })).toBeVisible();
  };
  await page.getByRole('link', { name: /下書き一覧へ/ }).click();
  await listed();
  await page.reload();
  await listed();

  const openAndRender = async () => {
    await page.getByRole('link', { name: '「業務委託契約書」を開く' }).click();
    expect(await renderedPageHasInk(page, 1)).toBe(true);
    // A full load of the draft's own address works too (the service worker answers with the app shell).
    await page.reload();
    expect(await renderedPageHasInk(page, 1)).toBe(true);
    await page.goBack();
  };

  await context.setOffline(true);
  await page.reload();
  await listed();
  await openAndRender();
  await context.setOffline(false);

  await server.stop();
  try {
    await page.reload();
    await listed();
    await openAndRender();
  } finally {
    await server.start();
  }
});

test('non-PDF, empty and corrupt files are refused with a clear message and nothing is stored', async ({ page }) => {
  await page.goto('/');
  const alert = page.getByRole('alert');

  await choosePdf(page, { name: 'memo.txt', mimeType: 'text/plain', buffer: Buffer.from('not a pdf at all') });
  await expect(alert).toContainText('PDF ファイルではありません');
  await expect(alert).toHaveAttribute('data-code', 'NOT_PDF');

  await choosePdf(page, pdf('empty.pdf', Buffer.alloc(0)));
  await expect(alert).toContainText('ファイルが空です');
  await expect(alert).toHaveAttribute('data-code', 'EMPTY_FILE');

  await choosePdf(page, pdf('broken.pdf', corruptPdf()));
  await expect(alert).toHaveAttribute('data-code', 'CORRUPT_PDF');
  await expect(alert).toContainText('壊れている可能性があります');

  // The same refusal in English once the language is switched; the choice persists across reload.
  await page.getByRole('button', { name: 'English' }).click();
  await expect(alert).toContainText('The file may be damaged');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'New contract' })).toBeVisible();
  await expect(page.getByText('No drafts yet')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

const corpus = process.env.INKAN_CORPUS ?? resolve(import.meta.dirname, '../../../shared/corpus');
const sjis = resolve(corpus, 'parse/cjk-non-ascii/pdfjs_noembed-sjis.pdf');

test(
  'Japanese text in a non-embedded Shift-JIS font is drawn (bundled CMaps)',
  { tag: '@desktop' },
  async ({ page }) => {
    if (!existsSync(sjis)) console.warn(`\n*** corpus absent (${sjis}): Japanese CMap rendering NOT tested ***\n`);
    test.skip(!existsSync(sjis), `corpus absent: ${sjis}`);
    await page.goto('/');
    await choosePdf(page, sjis);
    await expect(page.getByText('全 1 ページ')).toBeVisible();
    expect(await renderedPageHasInk(page, 1)).toBe(true);
    await expect(page.locator('[data-page="1"]').getByText('あいうえお')).toBeAttached();
  }
);

test(
  'keyboard only: choose a PDF with Tab + Enter; a dropped PDF is taken too; drafts are deleted after confirming',
  { tag: '@desktop' },
  async ({ page }) => {
    await page.goto('/');
    // Focus order: skip link → brand → language switch → the file button.
    await page.getByRole('link', { name: '本文へ移動' }).focus();
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(
        await page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText.split('\n')[0] ?? '')
      );
    }
    expect(order).toEqual(['Inkan 印鑑', '日本語', 'English', 'PDF ファイルを選択']);
    const chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Enter');
    await (await chooser).setFiles(pdf('keyboard.pdf', await contractPdf(1)));
    await expect(page.getByRole('heading', { level: 1, name: 'keyboard' })).toBeVisible();
    await page.goBack();

    // Drag and drop onto the drop zone.
    const bytes = [...(await contractPdf(2))];
    const transfer = await page.evaluateHandle((b) => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(b)], 'dropped.pdf', { type: 'application/pdf' }));
      return dt;
    }, bytes);
    const zone = page.getByRole('region', { name: 'PDF ファイルのドロップ領域' });
    await zone.dispatchEvent('dragenter', { dataTransfer: transfer });
    await zone.dispatchEvent('drop', { dataTransfer: transfer });
    await expect(page.getByRole('heading', { level: 1, name: 'dropped' })).toBeVisible();
    await page.goBack();
    await expect(page.getByRole('listitem')).toHaveCount(2);

    await page.getByRole('button', { name: '「keyboard」を削除' }).click();
    await expect(page.getByText('下書き「keyboard」を削除しますか？')).toBeVisible();
    await page.getByRole('button', { name: '削除', exact: true }).click();
    await expect(page.getByRole('listitem')).toHaveCount(1);
    await page.reload();
    await expect(page.getByRole('link', { name: '「dropped」を開く' })).toBeVisible();
    await expect(page.getByRole('link', { name: '「keyboard」を開く' })).toHaveCount(0);
  }
);

test(
  'a long contract renders pages near the view only and frees the pixels of pages scrolled far away',
  { tag: '@desktop' },
  async ({ page }) => {
    await page.goto('/');
    await choosePdf(page, pdf('long.pdf', await contractPdf(40)));
    await expect(page.getByText('全 40 ページ')).toBeVisible();
    expect(await renderedPageHasInk(page, 1)).toBe(true);
    await expect(page.locator('[data-page="40"]')).toHaveAttribute('data-rendered', 'false');
    expect(await renderedPageHasInk(page, 40)).toBe(true);
    await expect(page.getByText('40 / 40 ページ')).toBeVisible();
    await expect(page.locator('[data-page="1"]')).toHaveAttribute('data-rendered', 'false');
    expect(await page.locator('[data-page="1"] canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBe(0);
    expect(await renderedPageHasInk(page, 1)).toBe(true);
  }
);
