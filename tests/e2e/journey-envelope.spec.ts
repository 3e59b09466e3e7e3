import { test, expect, devices, type Page } from '@playwright/test';
import { PDFDocument } from 'pdf-lib';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RootsResponse } from '@inkan/protocol';
import { decrypt, generateDeviceKey, unwrapWithPrivateKey } from '@inkan/vault';
import { pdfsig, verifyPdf } from '../../packages/pades/test/judges.ts';
import { InkanServer } from './server.ts';
import { contractPdf } from './pdfs.ts';
import { choosePdf, renderedPageHasInk } from './app.ts';
import { mailedCode, startMailbox, type Mailbox } from '../../server/src/envelopes/test-kit.ts';
import { EnvelopeApi } from '../../app/lib/envelope/api.ts';
import { sendEnvelope } from '../../app/lib/envelope/send.ts';
import { enrollJitsuin, signWithJitsuin } from '../../app/lib/envelope/jitsuin.ts';

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
let senderToken: string;

test.beforeAll(async () => {
  mailbox = await startMailbox();
  server = new InkanServer({ INKAN_SMTP_URL: `smtp://127.0.0.1:${mailbox.port}` });
  await server.start();
  const anonymous = new EnvelopeApi(null, server.url);
  await anonymous.setup(SENDER);
  senderToken = (await anonymous.verifySetup({ email: SENDER.email, code: mailedCode(mailbox, SENDER.email) })).token;
  sender = anonymous.withToken(senderToken);
});
test.afterAll(async () => {
  await server?.stop();
  await mailbox?.stop();
});

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

async function enterCode(page: Page, opts: { wrongFirst?: boolean } = {}) {
  const before = mailbox.mails.length;
  await page.getByRole('button', { name: '確認コードを送る' }).click();
  await expect(page.getByText('i***@acme.example')).toBeVisible();
  expect(mailbox.mails.length).toBe(before + 1);
  const code = /確認コード: (\d{6})/.exec(mailbox.last(COUNTERPARTY.email).text)![1];
  if (opts.wrongFirst) {
    await page.getByLabel('確認コード').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '確認して文書を開く' }).click();
    await expect(page.locator('[data-code="OTP_INVALID"]')).toContainText('4 tries left');
    await expect(page.locator('canvas')).toHaveCount(0);
  }
  await page.getByLabel('確認コード').fill(code);
  await page.getByRole('button', { name: '確認して文書を開く' }).click();
}

test(
  'the counterparty opens the signing link on a phone, proves the mailbox and reads the decrypted contract',
  { tag: '@phone' },
  async ({ page }) => {
    const { envelope, link } = await sendContract('業務委託契約書');
    expect(link).toContain('#k=');
    const apiCalls: string[] = [];
    page.on('request', (r) => apiCalls.push(r.url()));

    await page.goto(link);
    // The secret and token left the address bar (and history) once the page kept them for this tab.
    await expect(page).toHaveURL(`${server.url}/sign/${envelope.id}`);
    await enterCode(page, { wrongFirst: true });
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
  }
);

test('a link without its #k= secret explains itself and decrypts nothing', { tag: '@phone' }, async ({ page }) => {
  const { link } = await sendContract('秘密保持契約書');
  const blobRequests: string[] = [];
  page.on('request', (r) => r.url().includes('/api/') && blobRequests.push(r.url()));
  await page.goto(link.replace(/#k=.*$/, ''));
  await expect(page.getByRole('alert')).toContainText('文書を開く鍵（#k=…）が含まれていません');
  await expect(page.locator('canvas')).toHaveCount(0);
  expect(blobRequests).toEqual([]);
});

test('a ciphertext tampered with on the server is refused, not shown', { tag: '@phone' }, async ({ page }) => {
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

/** Red pixels of page 1's rendering inside a field rectangle (PDF points, origin bottom-left, A4). */
async function redInField(page: Page, f: { x: number; y: number; width: number; height: number }): Promise<number> {
  const holder = page.locator('[data-page="1"]');
  await expect(holder).toHaveAttribute('data-rendered', 'true');
  return holder.locator('canvas').evaluate((c: HTMLCanvasElement, r) => {
    const sx = c.width / 595.28;
    const sy = c.height / 841.89;
    const x0 = Math.floor(r.x * sx);
    const y0 = Math.floor(c.height - (r.y + r.height) * sy);
    const w = Math.ceil(r.width * sx);
    const h = Math.ceil(r.height * sy);
    const { data } = c.getContext('2d')!.getImageData(x0, y0, w, h);
    let n = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i]! > 170 && data[i + 1]! < 90 && data[i + 2]! < 90) n++;
    return n;
  }, f);
}

test(
  'the whole contract: 実印 by the sender, 契約印 on the phone, B-LTA, both parties notified, the PDF verifies',
  { tag: '@phone' },
  async ({ page }) => {
    const title = '業務委託契約書（最終版）';
    const request = {
      title,
      transaction: { date: '2026-03-31', counterparty: '株式会社ACME', amount: 1_100_000 },
      participants: [
        {
          role: 'sender' as const,
          ...SENDER,
          signingType: 'jitsuin' as const,
          fields: [{ page: 1, x: 50, y: 60, width: 160, height: 56 }]
        },
        {
          role: 'counterparty' as const,
          ...COUNTERPARTY,
          signingType: 'keiyakuin' as const,
          fields: [{ page: 1, x: 300, y: 60, width: 160, height: 56 }]
        }
      ]
    };
    // Sender: their own non-extractable key, certified by the server's CA; B-T with the server's TSA.
    // (The picture needs the browser's font asset; the sender's UI draws it, this Node-side stand-in does not.)
    // A classic cross-reference table (the judges' B-LTA check miscounts xref streams: reported on the board).
    const base = await (
      await PDFDocument.load(await contractPdf(2, 'Service Agreement'))
    ).save({ useObjectStreams: false });
    const jitsuin = await enrollJitsuin(server.url, senderToken, SENDER);
    const signed = await signWithJitsuin(base, request, jitsuin, { base: server.url, withPicture: false });
    const device = await generateDeviceKey();
    const { envelope } = await sendEnvelope(sender, { request, pdf: [signed], signed: true, deviceKey: device });
    const link = /http:\/\/\S+/.exec(mailbox.last(COUNTERPARTY.email).text)![0];

    // Counterparty on the phone: code, read, sign with the platform's witness seal (only a digest leaves the phone).
    await page.goto(link);
    await enterCode(page);
    await expect(page.locator('[data-phase="ready"]')).toBeVisible();
    // The server restarts while the counterparty reads: same database, blobs and keys; the session still holds.
    await server.stop();
    await server.start();
    const before = mailbox.mails.length;
    await expect(page.getByRole('img', { name: '印影（自動生成）' })).toBeVisible();
    // (The test PDF's own red box crosses the field: measure before and after.)
    const redBefore = await redInField(page, request.participants[1].fields[0]);
    await page.getByRole('button', { name: '契約印で署名する' }).click();
    await expect(page.locator('[data-phase="completed"]')).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText('署名が完了し、契約が締結されました。')).toBeVisible();
    await expect(page.locator('[data-event="completed"]')).toBeVisible();
    await expect(page.locator('[data-event="viewed"]')).toContainText(COUNTERPARTY.email);
    // The signed document now shows the adopted 印影 (the generated seal is red) in the counterparty's field.
    expect(await redInField(page, request.participants[1].fields[0])).toBeGreaterThan(redBefore + 200);
    expect(mailbox.mails.slice(before).map((m) => [m.to[0], m.subject])).toEqual([
      [SENDER.email, `【Inkan】締結完了: ${title}`],
      [COUNTERPARTY.email, `【Inkan】締結完了: ${title}`]
    ]);

    // The sender downloads and decrypts the final PDF; independent tools judge it against the server's roots.
    const final = await sender.envelope(envelope.id);
    expect(final.status).toBe('completed');
    const key = await unwrapWithPrivateKey(final.wrappedKeys.find((k) => k.key.kind === 'device')!.key, device);
    const pdf = await decrypt(key, await sender.downloadBlob(final.head!));
    const dir = mkdtempSync(join(tmpdir(), 'inkan-journey-'));
    writeFileSync(join(dir, 'final.pdf'), pdf);
    const roots = (await (await fetch(`${server.url}/api/ca/roots`)).json()) as RootsResponse;
    writeFileSync(join(dir, 'roots.pem'), roots.pem);
    const verdict = await verifyPdf(join(dir, 'final.pdf'), join(dir, 'roots.pem'), { level: 'B-LTA' });
    expect(verdict.verdict, verdict.output).toBe('PASS');
    const sigs = (await pdfsig(join(dir, 'final.pdf'), join(dir, 'roots.pem'))).signatures.filter((x) =>
      x.field?.startsWith('Inkan-')
    );
    expect(sigs.map((x) => x.valid)).toEqual([true, true]);
    const events = await sender.events(envelope.id);
    expect(events.filter((e) => !['revision', 'access'].includes(e.type)).map((e) => e.type)).toEqual([
      'created',
      'signed',
      'sent',
      'viewed',
      'signed',
      'completed'
    ]);
  }
);

test(
  "the sender's half through the app: draft, fields, send; the phone signs; the sender's page completes it",
  { tag: '@phone' },
  async ({ page, browser }) => {
    // Its own server: the app's first send makes this browser the server's one sender.
    const inbox = await startMailbox();
    const own = new InkanServer({ INKAN_SMTP_URL: `smtp://127.0.0.1:${inbox.port}` });
    await own.start();
    const desk = await browser.newContext({ ...devices['Desktop Chrome'], locale: 'ja-JP' });
    try {
      const s = await desk.newPage();
      await s.goto(own.url);
      const pdf = await (await PDFDocument.load(await contractPdf(1))).save({ useObjectStreams: false });
      await choosePdf(s, { name: 'NDA.pdf', mimeType: 'application/pdf', buffer: Buffer.from(pdf) });
      const first = s.locator('[data-page="1"]');
      for (const [who, fx] of [
        ['相手方の署名欄を置く', 0.7],
        ['自分の署名欄を置く', 0.3]
      ] as const) {
        await s.getByRole('button', { name: who }).click();
        await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
        const box = (await first.boundingBox())!;
        await s.mouse.click(box.x + box.width * fx, box.y + box.height * 0.3);
      }
      await s.getByLabel('件名').fill('秘密保持契約書');
      await s.getByLabel('取引年月日').fill('2026-11-25');
      await s.getByLabel('取引先').fill('株式会社ACME');
      await s.getByLabel('取引金額（円）').fill('0');
      await s.locator('#cp-name').fill(COUNTERPARTY.name);
      await s.locator('#cp-email').fill(COUNTERPARTY.email);
      await s.getByLabel('実印（本人の電子証明書）').check();
      await s.locator('#me-name').fill(SENDER.name);
      await s.locator('#me-email').fill(SENDER.email);
      await s.getByRole('button', { name: '送信する' }).click();
      await expect(s).toHaveURL(/\/envelopes\/env_[A-Za-z0-9_-]{22}$/);
      await expect(s.locator('[data-status="sent"]')).toBeVisible();

      // The phone: invitation link, code, read, sign with the platform seal.
      const link = /http:\/\/\S+/.exec(inbox.last(COUNTERPARTY.email).text)![0];
      await page.goto(link);
      await page.getByRole('button', { name: '確認コードを送る' }).click();
      await expect(page.getByText('i***@acme.example')).toBeVisible();
      await page.getByLabel('確認コード').fill(/確認コード: (\d{6})/.exec(inbox.last(COUNTERPARTY.email).text)![1]);
      await page.getByRole('button', { name: '確認して文書を開く' }).click();
      await page.getByRole('button', { name: '契約印で署名する' }).click();
      // Uploaded: either the phone was last (completed) or the sender still has to sign.
      await expect(page.locator('[data-phase="signed"], [data-phase="completed"]')).toBeVisible({ timeout: 60_000 });

      // The sender's page: if the sender did not sign when sending, they sign now with their 実印.
      await s.reload();
      await expect(s.locator('[data-status="sent"], [data-status="completed"]')).toBeVisible();
      if ((await s.locator('[data-status]').getAttribute('data-status')) === 'sent')
        await s.getByRole('button', { name: '実印で署名する' }).click();
      await expect(s.locator('[data-status="completed"]')).toBeVisible({ timeout: 60_000 });
      for (const type of ['created', 'sent', 'viewed', 'completed'])
        await expect(s.locator(`[data-event="${type}"]`).first()).toBeVisible();
      await expect(s.locator('[data-event="signed"]')).toHaveCount(2);
      expect(
        inbox.mails
          .filter((m) => m.subject === '【Inkan】締結完了: 秘密保持契約書')
          .map((m) => m.to[0])
          .sort()
      ).toEqual([COUNTERPARTY.email, SENDER.email].sort());
    } finally {
      await desk.close();
      await own.stop();
      await inbox.stop();
    }
  }
);
