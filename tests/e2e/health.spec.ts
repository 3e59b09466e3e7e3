import { test, expect } from './fixtures.ts';

test('the server answers health and serves the app shell', async ({ page, request }) => {
  const res = await request.get('/api/health');
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body).toMatchObject({ status: 'ok', name: 'inkan', stores: { database: { ok: true }, blobs: { ok: true } } });
  await page.goto('/');
  await expect(page.getByRole('banner').getByRole('link', { name: /Inkan/ })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('新しい契約書');
});
