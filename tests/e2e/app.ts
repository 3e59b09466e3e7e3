import { expect, type Page } from '@playwright/test';

/** Waits until this page's origin has an activated service worker that controls the page. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await expect
    .poll(() =>
      page.evaluate(async () => {
        const reg = await navigator.serviceWorker.getRegistration();
        return reg?.active?.state === 'activated' && navigator.serviceWorker.controller !== null;
      })
    )
    .toBe(true);
}

/** Picks a file through the visible "choose a PDF" button (the real file chooser path). */
export async function choosePdf(page: Page, file: { name: string; mimeType: string; buffer: Buffer } | string) {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /PDF ファイルを選択|Choose a PDF file/ }).click();
  await (await chooser).setFiles(file);
}

/** Scrolls page `pageNumber` of the open viewer into view, waits until it is drawn, and says if it has ink on it. */
export async function renderedPageHasInk(page: Page, pageNumber: number): Promise<boolean> {
  const holder = page.locator(`[data-page="${pageNumber}"]`);
  await holder.scrollIntoViewIfNeeded(); // pages render only near the viewport
  await expect(holder).toHaveAttribute('data-rendered', 'true');
  return holder.locator('canvas').evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    const { data } = ctx.getImageData(0, 0, c.width, c.height);
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! < 128 && data[i + 3]! > 0) dark++;
    return dark > 100;
  });
}
