import { test, expect } from './fixtures.ts';
import { choosePdf } from './app.ts';
import { contractPdf } from './pdfs.ts';
import { axeViolations as audit } from './axe.ts';

// The pages a signer meets, audited by axe-core (tests/e2e/axe.ts); the envelope and completed signing pages are
// audited inside the journey (journey-envelope.spec.ts), where they exist.
test('home, draft, verify and the signing link pass the axe WCAG 2.1 AA rules', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  expect(await audit(page), 'home').toEqual([]);

  await choosePdf(page, { name: '業務委託契約書.pdf', mimeType: 'application/pdf', buffer: await contractPdf(1) });
  await page.locator('[data-page="1"]').scrollIntoViewIfNeeded();
  await expect(page.locator('[data-page="1"][data-rendered="true"]')).toBeVisible();
  expect(await audit(page), 'draft').toEqual([]);

  await page.goto('/verify');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('署名の検証');
  expect(await audit(page), 'verify').toEqual([]);

  // A signing link without its key: the key step.
  await page.goto('/sign/env_AAAAAAAAAAAAAAAAAAAAAA?t=x');
  await expect(page.getByLabel('送信者から受け取った鍵')).toBeVisible();
  expect(await audit(page), 'sign (key step)').toEqual([]);

  // The audit itself can fail: an image without a text alternative is reported.
  await page.evaluate(() =>
    document.body.append(Object.assign(document.createElement('img'), { src: '/favicon.svg' }))
  );
  expect((await audit(page)).map((v) => v.id)).toContain('image-alt');
});
