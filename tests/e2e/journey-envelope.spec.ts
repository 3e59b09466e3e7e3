import { test, expect, type Page } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateDeviceKey } from '@inkan/vault';
import { InkanServer } from './server.ts';
import { contractPdf } from './pdfs.ts';
import { renderedPageHasInk } from './app.ts';
import { startMailbox, type Mailbox } from '../../server/src/envelopes/test-kit.ts';
import { EnvelopeApi } from '../../app/lib/envelope/api.ts';
import { sendEnvelope } from '../../app/lib/envelope/send.ts';

/**
 * The counterparty's half of the envelope journey on a phone: the sender's browser steps (encrypt, wrap, upload,
 * send) run here in Node through the same app modules; the invitation arrives over real SMTP; the phone opens
 * the link, proves the mailbox with the e-mail code, and sees the decrypted document. Bad paths: a link without
 * its #k= secret, and a ciphertext tampered with on the server's disk.
 */
const SENDER = { name: '佐藤 花子', email: 'hanako@sender.example' };
const COUNTERPARTY = { name: '鈴木 一郎', email: 'ichiro@acme.example' };

let mailbox: Mailbox;
let server: InkanServer;
let sender: EnvelopeApi;

test.beforeAll(async () => {
  mailbox = await startMailbox();
  server = new InkanServer({ INKAN_SMTP_URL: `smtp://127.0.0.1:${mailbox.port}` });
  await server.start();
  const anonymous = new EnvelopeApi(null, server.url);
  sender = anonymous.withToken((await anonymous.setup(SENDER)).token);
});
test.afterAll(async () => {
  await server?.stop();
  await mailbox?.stop();
});
test.beforeEach(({}, info) => test.skip(info.project.name !== 'phone', 'the counterparty journey runs on the phone'));

async function sendContract(title: string) {
  const pdf = new Uint8Array(await contractPdf(2, 'Service Agreement'));
  const { envelope } = await sendEnvelope(sender, {
    request: {
      title,
      transaction: { date: '2026-03-31', counterparty: '株式会社ACME', amount: 1_100_000 },
      participants: [
        {
          role: 'sender',
          ...SENDER,
          signingType: 'jitsuin',
          fields: [{ page: 1, x: 50, y: 60, width: 160, height: 56 }]
        },
        {
          role: 'counterparty',
          ...COUNTERPARTY,
          signingType: 'keiyakuin',
          fields: [{ page: 1, x: 300, y: 60, width: 160, height: 56 }]
        }
      ]
    },
    pdf: [pdf],
    signed: false,
    deviceKey: await generateDeviceKey()
  });
  const mail = mailbox.last(COUNTERPARTY.email);
  expect(mail.subject).toBe(`【Inkan】署名のお願い: ${title}`);
  return { envelope, link: /http:\/\/\S+/.exec(mail.text)![0] };
}

async function enterCode(page: Page) {
  const before = mailbox.mails.length;
  await page.getByRole('button', { name: '確認コードを送る' }).click();
  await expect(page.getByText('i***@acme.example')).toBeVisible();
  expect(mailbox.mails.length).toBe(before + 1);
  const code = /確認コード: (\d{6})/.exec(mailbox.last(COUNTERPARTY.email).text)![1];
  await page.getByLabel('確認コード').fill(code);
  await page.getByRole('button', { name: '確認して文書を開く' }).click();
}

test('the counterparty opens the signing link on a phone, proves the mailbox and reads the decrypted contract', async ({
  page
}) => {
  const { envelope, link } = await sendContract('業務委託契約書');
  expect(link).toContain('#k=');
  const apiCalls: string[] = [];
  page.on('request', (r) => apiCalls.push(r.url()));

  await page.goto(link);
  // The secret and token left the address bar (and history) once the page kept them for this tab.
  await expect(page).toHaveURL(`${server.url}/sign/${envelope.id}`);
  await enterCode(page);
  await expect(page.locator('[data-phase="ready"]')).toBeVisible();
  await expect(page.getByRole('heading', { name: '業務委託契約書' })).toBeVisible();
  expect(await renderedPageHasInk(page, 1)).toBe(true);
  await expect(page.getByRole('button', { name: '契約印で署名する' })).toBeEnabled();
  expect(apiCalls.some((u) => u.includes('#k=') || u.includes('k='))).toBe(false);

  // A reload in the same tab opens the document again without a new code.
  await page.reload();
  await expect(page.locator('[data-phase="ready"]')).toBeVisible();

  const events = await sender.events(envelope.id);
  expect(events.filter((e) => e.type === 'viewed')).toEqual([
    expect.objectContaining({ email: COUNTERPARTY.email, ip: '127.0.0.1' })
  ]);
});

test('a link without its #k= secret explains itself and decrypts nothing', async ({ page }) => {
  const { link } = await sendContract('秘密保持契約書');
  const blobRequests: string[] = [];
  page.on('request', (r) => r.url().includes('/api/') && blobRequests.push(r.url()));
  await page.goto(link.replace(/#k=.*$/, ''));
  await expect(page.getByRole('alert')).toContainText('文書を開く鍵（#k=…）が含まれていません');
  await expect(page.locator('canvas')).toHaveCount(0);
  expect(blobRequests).toEqual([]);
});

test('a ciphertext tampered with on the server is refused, not shown', async ({ page }) => {
  const { envelope, link } = await sendContract('売買契約書');
  const head = envelope.head!;
  const file = join(server.dataDir, 'blobs', head.slice(0, 2), head);
  const bytes = readFileSync(file);
  bytes[bytes.length - 100] ^= 0x01; // inside the last chunk's ciphertext
  writeFileSync(file, bytes);
  await page.goto(link);
  await enterCode(page);
  await expect(page.locator('[data-code="VAULT_TAMPERED"]')).toContainText('改ざん');
  await expect(page.locator('[data-phase="failed"]')).toBeVisible();
  await expect(page.locator('canvas')).toHaveCount(0);
});
