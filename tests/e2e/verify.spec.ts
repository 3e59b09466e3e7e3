import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IncrementalUpdate, PdfFile, PdfStream, dict, pages, type PdfRef } from '@inkan/pdf';
import { fetchTransport } from '@inkan/pki';
import { createTestPki, TEST_URLS } from '@inkan/pki/testing';
import { signPdf } from '@inkan/pades';
import { test, expect } from './fixtures.ts';
import { contractPdf } from './pdfs.ts';

// Public verification page: anyone drops a PDF, the browser validates it in a worker (the file is never
// uploaded) and shows green / red / grey per signature. Files are made here with our own signer on the
// deterministic test PKI, whose root the visitor adds as an extra trusted root.
const work = mkdtempSync(join(tmpdir(), 'inkan-verify-e2e-'));
let files: { root: string; valid: string; tampered: string; attack: string };

test.beforeAll(async () => {
  const pki = await createTestPki();
  const signer = await pki.signers.p256.signer();
  const tsa = { url: TEST_URLS.tsa, transport: fetchTransport(pki.fetch) };
  const valid = await signPdf(new Uint8Array(await contractPdf(1)), signer, { level: 'B-T', tsa });
  // Tampered: one byte of the (compressed) page content flipped, inside the signed range.
  const tampered = valid.slice();
  const at = Buffer.from(tampered).indexOf('stream\n') + 40;
  expect(at).toBeGreaterThan(40);
  tampered[at] ^= 0x01;
  // Attack (incremental saving attack): a later revision replaces the page content after signing.
  const file = PdfFile.open(valid);
  const page = pages(file)[0]!;
  const up = new IncrementalUpdate(file);
  const evil = up.add(
    new PdfStream(dict({}), new TextEncoder().encode('BT /F1 30 Tf 60 700 Td (Pay 9,999,999 yen) Tj ET'))
  );
  up.set(page.ref as PdfRef, page.dict.clone().set('Contents', evil));
  files = {
    root: join(work, 'root.pem'),
    valid: join(work, 'valid.pdf'),
    tampered: join(work, 'tampered.pdf'),
    attack: join(work, 'attack.pdf')
  };
  writeFileSync(files.root, pki.rootPem);
  writeFileSync(files.valid, valid);
  writeFileSync(files.tampered, tampered);
  writeFileSync(files.attack, up.write().bytes);
});

test('a valid, a tampered and an attack file each show the right state, without uploading the file', async ({
  page
}) => {
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.method() !== 'GET') uploads.push(r.url());
  });
  await page.goto('/verify');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('署名の検証');
  const summary = page.locator('summary');
  await summary.click();
  const count = async () => Number(/(\d+)/.exec((await summary.textContent()) ?? '')?.[1]);
  await expect(summary).toContainText('件'); // the server's own roots are loaded first
  const before = await count();
  await page.getByTestId('verify-roots').setInputFiles(files.root);
  await expect.poll(count).toBe(before + 1);

  await page.getByTestId('verify-file').setInputFiles(files.valid);
  const result = page.getByTestId('verify-result');
  await expect(result).toHaveAttribute('data-state', 'valid');
  await expect(result).toContainText('すべての署名が有効です');
  await expect(result.locator('article[data-state="valid"]')).toContainText('実印');
  await expect(result.locator('article')).toContainText('B-T');

  await page.getByTestId('verify-file').setInputFiles(files.tampered);
  await expect(result).toHaveAttribute('data-state', 'invalid');
  await expect(result.locator('article').first()).toContainText('署名後に改ざんされています');

  await page.getByTestId('verify-file').setInputFiles(files.attack);
  await expect(result).toHaveAttribute('data-state', 'invalid');
  await expect(result).toContainText('署名後に許可されていない方法で変更されています');
  await expect(result.locator('article').first()).toContainText('PAGE_CONTENT_CHANGED');

  expect(uploads).toEqual([]);
});
