import { test, expect, devices, type Page } from '@playwright/test';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateEnvelopeRequest, RootsResponse } from '@inkan/protocol';
import { decrypt, generateDeviceKey, newLinkSecret, unwrapWithPrivateKey } from '@inkan/vault';
import { pdfsig, verifyPdf } from '../../packages/pades/test/judges.ts';
import { InkanServer } from './server.ts';
import { contractPdf } from './pdfs.ts';
import { choosePdf, renderedPageHasInk } from './app.ts';
import { axeViolations } from './axe.ts';
import { mailedCode, startMailbox, type Mailbox } from '../../server/src/envelopes/test-kit.ts';
import { EnvelopeApi } from '../../app/lib/envelope/api.ts';
import { sendEnvelope } from '../../app/lib/envelope/send.ts';
import { enrollJitsuin, signWithJitsuin } from '../../app/lib/envelope/jitsuin.ts';

/**
 * The envelope journey on a phone. Most tests run the sender's browser steps (sign, encrypt, wrap, upload, send)
 * here in Node through the same app modules; the last drives the sender's app on a desktop too. The invitation
 * arrives over real SMTP without the key (#k=): the counterparty types the key the sender passed on, proves the
 * mailbox with the e-mail code, reads and signs. Bad paths: a wrong key, a tampered ciphertext, the TSA down, a
 * blank drawing pad.
 */
const SENDER = { name: '佐藤 花子', email: 'hanako@sender.example' };
const COUNTERPARTY = { name: '鈴木 一郎', email: 'ichiro@acme.example' };
const SENDER_FIELD = { page: 1, x: 50, y: 60, width: 160, height: 56 };
const COUNTERPARTY_FIELD = { page: 1, x: 300, y: 60, width: 160, height: 56 };

/** One real server with its own SMTP mailbox and a sender who confirmed their address with the mailed code. */
interface World {
  mailbox: Mailbox;
  server: InkanServer;
  sender: EnvelopeApi;
  senderToken: string;
  stop(): Promise<void>;
}

async function world(env: Record<string, string> = {}): Promise<World> {
  const mailbox = await startMailbox();
  const server = new InkanServer({ INKAN_SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`, ...env });
  await server.start();
  const anonymous = new EnvelopeApi(null, server.url);
  await anonymous.setup(SENDER);
  const { token } = await anonymous.verifySetup({ email: SENDER.email, code: mailedCode(mailbox, SENDER.email) });
  return {
    mailbox,
    server,
    sender: anonymous.withToken(token),
    senderToken: token,
    stop: async () => {
      await server.stop();
      await mailbox.stop();
    }
  };
}

function request(title: string): CreateEnvelopeRequest {
  return {
    title,
    transaction: { date: '2026-03-31', counterparty: '株式会社ACME', amount: 1_100_000, currency: 'JPY' },
    participants: [
      { role: 'sender', ...SENDER, signingType: 'jitsuin', fields: [SENDER_FIELD] },
      { role: 'counterparty', ...COUNTERPARTY, signingType: 'keiyakuin', fields: [COUNTERPARTY_FIELD] }
    ]
  };
}

/**
 * The sender's side in Node: their 実印 signs first (B-T, server CA and TSA), then encrypt, upload, send.
 * (The picture needs the browser's font asset; the sender's UI draws it, this Node-side stand-in does not.)
 */
async function sendSigned(w: World, title: string, opts: { mailSecret?: boolean } = {}) {
  // pdf-lib's default output: object streams and a cross-reference stream, which the judges grade as they are.
  const base = new Uint8Array(await contractPdf(2, 'Service Agreement'));
  const jitsuin = await enrollJitsuin(w.server.url, w.senderToken, SENDER);
  const signed = await signWithJitsuin(base, request(title), jitsuin, { base: w.server.url, withPicture: false });
  const device = await generateDeviceKey();
  const { envelope, secrets } = await sendEnvelope(w.sender, {
    request: request(title),
    pdf: [signed],
    signed: true,
    deviceKey: device,
    mailSecret: opts.mailSecret
  });
  const mail = w.mailbox.last(COUNTERPARTY.email);
  expect(mail.subject).toBe(`【Inkan】署名のお願い: ${title}`);
  const link = /http:\/\/\S+/.exec(mail.text)![0];
  return { envelope, link, secret: secrets[envelope.participants[1]!.id]!, device };
}

/** Opens the mailed link and types the key the sender passed on. */
async function openWithKey(page: Page, link: string, key: string) {
  expect(link).not.toContain('#k=');
  await page.goto(link);
  await expect(page.locator('[data-phase="missing-secret"]')).toBeVisible();
  await page.getByLabel('送信者から受け取った鍵').fill(key);
  await page.getByRole('button', { name: '鍵を使って文書を開く' }).click();
}

async function enterCode(page: Page, mailbox: Mailbox, opts: { wrongFirst?: boolean } = {}) {
  const before = mailbox.mails.length;
  await page.getByRole('button', { name: '確認コードを送る' }).click();
  await expect(page.getByText('i***@acme.example')).toBeVisible();
  expect(mailbox.mails.length).toBe(before + 1);
  const code = mailedCode(mailbox, COUNTERPARTY.email);
  if (opts.wrongFirst) {
    await page.getByLabel('確認コード').fill(code === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: '確認して文書を開く' }).click();
    await expect(page.locator('[data-code="OTP_INVALID"]')).toContainText(
      '確認コードが違います。あと 4 回入力できます。'
    );
    await expect(page.locator('canvas')).toHaveCount(0);
  }
  await page.getByLabel('確認コード').fill(code);
  await page.getByRole('button', { name: '確認して文書を開く' }).click();
}

/** Pixels of page 1's rendering inside a rectangle (PDF points, origin bottom-left, A4) that pass `kind`. */
async function pixelsIn(
  page: Page,
  r: { x: number; y: number; width: number; height: number },
  kind: 'red' | 'ink'
): Promise<number> {
  const holder = page.locator('[data-page="1"]');
  await holder.scrollIntoViewIfNeeded();
  await expect(holder).toHaveAttribute('data-rendered', 'true');
  return holder.locator('canvas').evaluate(
    (c: HTMLCanvasElement, { r, kind }) => {
      const sx = c.width / 595.28;
      const sy = c.height / 841.89;
      const x0 = Math.floor(r.x * sx);
      const y0 = Math.floor(c.height - (r.y + r.height) * sy);
      const { data } = c.getContext('2d')!.getImageData(x0, y0, Math.ceil(r.width * sx), Math.ceil(r.height * sy));
      let n = 0;
      for (let i = 0; i < data.length; i += 4) {
        const [red, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
        if (kind === 'red' ? red > 170 && g < 90 && b < 90 : red < 200 && g < 200 && b < 200 && red - b < 40) n++;
      }
      return n;
    },
    { r, kind }
  );
}

/** The current head and revision count of an envelope, as the server has it. */
async function serverState(w: World, id: string) {
  const e = await w.sender.envelope(id);
  return { head: e.head, revisions: e.revisions.length, status: e.status };
}

test(
  'the counterparty opens the link on a phone, types the key from the sender, proves the mailbox and reads',
  { tag: '@phone' },
  async ({ page }) => {
    const w = await world();
    try {
      const { envelope, link, secret } = await sendSigned(w, '業務委託契約書');
      // The server never saw the key: not in the mail, not in any request the phone makes.
      expect(w.mailbox.last(COUNTERPARTY.email).text).not.toContain(secret);
      const requests: string[] = [];
      page.on('request', (r) => requests.push(`${r.url()} ${r.postData() ?? ''}`));

      await openWithKey(page, link, secret);
      // The access token left the address bar (and history) once the page kept it for this tab.
      await expect(page).toHaveURL(`${w.server.url}/sign/${envelope.id}`);
      await enterCode(page, w.mailbox, { wrongFirst: true });
      await expect(page.locator('[data-phase="ready"]')).toBeVisible({ timeout: 30_000 });
      await expect(page.getByRole('heading', { name: '業務委託契約書' })).toBeVisible();
      expect(await renderedPageHasInk(page, 1)).toBe(true);
      await expect(page.getByRole('button', { name: '契約印で署名する' })).toBeEnabled();
      expect(requests.filter((u) => u.includes(secret))).toEqual([]);

      // A reload in the same tab opens the document again without a new code or key.
      await page.reload();
      await expect(page.locator('[data-phase="ready"]')).toBeVisible({ timeout: 30_000 });

      const events = await w.sender.events(envelope.id);
      expect(events.filter((e) => e.type === 'viewed')).toEqual([
        expect.objectContaining({ email: COUNTERPARTY.email, ip: '127.0.0.1' })
      ]);
    } finally {
      await w.stop();
    }
  }
);

test('a wrong key is refused with a clear message and decrypts nothing', { tag: '@phone' }, async ({ page }) => {
  const w = await world();
  try {
    const { link, secret } = await sendSigned(w, '秘密保持契約書');
    const blobs: string[] = [];
    page.on('request', (r) => r.url().includes('/api/blobs') && blobs.push(r.url()));
    await page.goto(link);
    await expect(page.locator('[data-phase="missing-secret"]')).toContainText('サーバーはこの鍵を受け取らない');
    // Not a key at all: refused on the spot.
    await page.getByLabel('送信者から受け取った鍵').fill('1234');
    await page.getByRole('button', { name: '鍵を使って文書を開く' }).click();
    await expect(page.locator('[data-code="KEY_MALFORMED"]')).toContainText('鍵の形式が正しくありません');
    // A well-formed key of another document: after the code, unwrapping fails and nothing is downloaded.
    await page.getByLabel('送信者から受け取った鍵').fill(newLinkSecret());
    await page.getByRole('button', { name: '鍵を使って文書を開く' }).click();
    await enterCode(page, w.mailbox);
    await expect(page.locator('[data-code="VAULT_WRONG_KEY"]')).toContainText('この鍵ではこの文書を開けません');
    await expect(page.locator('[data-phase="missing-secret"]')).toBeVisible();
    await expect(page.locator('canvas')).toHaveCount(0);
    expect(blobs).toEqual([]);
    // The right one, pasted as a link holding #k=, opens it without a new code.
    await page.getByLabel('送信者から受け取った鍵').fill(`${link}#k=${secret}`);
    await page.getByRole('button', { name: '鍵を使って文書を開く' }).click();
    await expect(page.locator('[data-phase="ready"]')).toBeVisible({ timeout: 30_000 });
  } finally {
    await w.stop();
  }
});

test('a ciphertext tampered with on the server is refused, not shown', { tag: '@phone' }, async ({ page }) => {
  const w = await world();
  try {
    const { envelope, link, secret } = await sendSigned(w, '売買契約書');
    const head = envelope.head!;
    const file = join(w.server.dataDir, 'blobs', head.slice(0, 2), head);
    const bytes = readFileSync(file);
    bytes[bytes.length - 100] ^= 0x01; // inside the last chunk's ciphertext
    writeFileSync(file, bytes);
    await openWithKey(page, link, secret);
    await enterCode(page, w.mailbox);
    await expect(page.locator('[data-code="VAULT_TAMPERED"]')).toContainText('改ざん');
    await expect(page.locator('[data-phase="failed"]')).toBeVisible();
    await expect(page.locator('canvas')).toHaveCount(0);
  } finally {
    await w.stop();
  }
});

test(
  'the TSA down while the phone signs: a clear message, nothing uploaded; signing works once it is back',
  { tag: '@phone' },
  async ({ page }) => {
    const w = await world();
    try {
      const { envelope, link, secret } = await sendSigned(w, '請負契約書');
      await openWithKey(page, link, secret);
      await enterCode(page, w.mailbox);
      await expect(page.locator('[data-phase="ready"]')).toBeVisible({ timeout: 30_000 });
      const before = await serverState(w, envelope.id);

      // The server comes back in TSA proxy mode with its only upstream on a port where nobody listens.
      await w.server.stop();
      w.server.env.INKAN_TSA_URLS = 'http://127.0.0.1:9/tsa';
      await w.server.start();
      await page.getByRole('button', { name: '契約印で署名する' }).click();
      const alert = page.locator('[data-code="TSA_UNAVAILABLE"]');
      await expect(alert).toContainText(
        'タイムスタンプ局に接続できないため、署名できませんでした。何もアップロードされていません。',
        {
          timeout: 60_000
        }
      );
      await expect(page.locator('[data-phase="ready"]')).toBeVisible();
      await page.getByRole('button', { name: 'English' }).click();
      await expect(alert).toContainText('The timestamp authority could not be reached');
      await expect(alert).toContainText('nothing was uploaded');
      await page.getByRole('button', { name: '日本語' }).click();
      expect(await serverState(w, envelope.id)).toEqual(before);

      // The TSA is back: the same tab signs, and the envelope completes.
      await w.server.stop();
      delete w.server.env.INKAN_TSA_URLS;
      await w.server.start();
      await page.getByRole('button', { name: '契約印で署名する' }).click();
      await expect(page.locator('[data-phase="completed"]')).toBeVisible({ timeout: 90_000 });
      expect((await serverState(w, envelope.id)).status).toBe('completed');
    } finally {
      await w.stop();
    }
  }
);

/** Draws with a finger: real touch input through the browser's input pipeline (touch → pointer events). */
async function drawWithFinger(page: Page, target: ReturnType<Page['locator']>) {
  const box = (await target.boundingBox())!;
  const cdp = await page.context().newCDPSession(page);
  const at = (fx: number, fy: number) => [{ x: box.x + box.width * fx, y: box.y + box.height * fy }];
  for (const row of [0.3, 0.5, 0.7]) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(0.1, row) });
    for (let i = 1; i <= 16; i++)
      await cdp.send('Input.dispatchTouchEvent', {
        type: 'touchMove',
        touchPoints: at(0.1 + (0.8 * i) / 16, row + (i % 2 ? 0.15 : -0.15))
      });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

test(
  'a signature drawn with a finger on the phone is the one in the signed PDF; a blank pad is refused',
  { tag: '@phone' },
  async ({ page }) => {
    const w = await world();
    try {
      const { envelope, link, secret } = await sendSigned(w, '業務提携契約書');
      await openWithKey(page, link, secret);
      await enterCode(page, w.mailbox);
      await expect(page.locator('[data-phase="ready"]')).toBeVisible({ timeout: 30_000 });
      // Where the picture goes: the square at the left of the field (the name and time are written right of it).
      const f = COUNTERPARTY_FIELD;
      const square = { x: f.x + 3, y: f.y + 3, width: f.height - 6, height: f.height - 6 };
      const inkBefore = await pixelsIn(page, square, 'ink');
      const redBefore = await pixelsIn(page, square, 'red');
      const before = await serverState(w, envelope.id);

      await page.getByLabel('指で書く').check();
      const pad = page.locator('canvas[aria-label="指で書く"]');
      await page.getByRole('button', { name: '契約印で署名する' }).click();
      await expect(page.locator('[data-code="SIGNATURE_EMPTY"]')).toContainText('まだ署名が書かれていません');
      expect(await serverState(w, envelope.id)).toEqual(before);

      await drawWithFinger(page, pad);
      await page.getByRole('button', { name: '契約印で署名する' }).click();
      await expect(page.locator('[data-phase="completed"]')).toBeVisible({ timeout: 90_000 });
      // The final document shows dark strokes (not the red generated seal) in the picture's square.
      expect(await pixelsIn(page, square, 'ink')).toBeGreaterThan(inkBefore + 100);
      expect(await pixelsIn(page, square, 'red')).toBeLessThanOrEqual(redBefore);
    } finally {
      await w.stop();
    }
  }
);

test(
  'opt-in: the key travels in the invitation mail; 実印 by the sender, 契約印 on the phone, B-LTA, both notified',
  { tag: '@phone' },
  async ({ page }) => {
    const w = await world();
    try {
      const title = '業務委託契約書（最終版）';
      const { envelope, link, secret, device } = await sendSigned(w, title, { mailSecret: true });
      expect(link).toContain(`#k=${secret}`);

      // The phone: the link opens straight to the code (no key to type).
      await page.goto(link);
      await expect(page).toHaveURL(`${w.server.url}/sign/${envelope.id}`);
      await enterCode(page, w.mailbox);
      await expect(page.locator('[data-phase="ready"]')).toBeVisible({ timeout: 30_000 });
      // The server restarts while the counterparty reads: same database, blobs and keys; the session still holds.
      await w.server.stop();
      await w.server.start();
      const before = w.mailbox.mails.length;
      await expect(page.getByRole('img', { name: '印影（自動生成）' })).toBeVisible();
      // (The test PDF's own red box crosses the field: measure before and after.)
      const redBefore = await pixelsIn(page, COUNTERPARTY_FIELD, 'red');
      await page.getByRole('button', { name: '契約印で署名する' }).click();
      await expect(page.locator('[data-phase="completed"]')).toBeVisible({ timeout: 90_000 });
      await expect(page.getByText('署名が完了し、契約が締結されました。')).toBeVisible();
      await expect(page.locator('[data-event="completed"]')).toBeVisible();
      await expect(page.locator('[data-event="viewed"]')).toContainText(COUNTERPARTY.email);
      // The signed document now shows the adopted 印影 (the generated seal is red) in the counterparty's field.
      expect(await pixelsIn(page, COUNTERPARTY_FIELD, 'red')).toBeGreaterThan(redBefore + 200);
      expect(w.mailbox.mails.slice(before).map((m) => [m.to[0], m.subject])).toEqual([
        [SENDER.email, `【Inkan】締結完了: ${title}`],
        [COUNTERPARTY.email, `【Inkan】締結完了: ${title}`]
      ]);

      // The sender downloads and decrypts the final PDF; independent tools judge it against the server's roots.
      const final = await w.sender.envelope(envelope.id);
      expect(final.status).toBe('completed');
      const key = await unwrapWithPrivateKey(final.wrappedKeys.find((k) => k.key.kind === 'device')!.key, device);
      await judgeFinal(w, await decrypt(key, await w.sender.downloadBlob(final.head!)));
      const events = await w.sender.events(envelope.id);
      expect(events.filter((e) => !['revision', 'access'].includes(e.type)).map((e) => e.type)).toEqual([
        'created',
        'signed',
        'sent',
        'viewed',
        'signed',
        'completed'
      ]);
    } finally {
      await w.stop();
    }
  }
);

/** verify-pdf.sh at B-LTA and pdfsig: both signatures valid, against the server's roots. */
async function judgeFinal(w: World, pdf: Uint8Array) {
  const dir = mkdtempSync(join(tmpdir(), 'inkan-journey-'));
  writeFileSync(join(dir, 'final.pdf'), pdf);
  const roots = (await (await fetch(`${w.server.url}/api/ca/roots`)).json()) as RootsResponse;
  writeFileSync(join(dir, 'roots.pem'), roots.pem);
  const verdict = await verifyPdf(join(dir, 'final.pdf'), join(dir, 'roots.pem'), { level: 'B-LTA' });
  expect(verdict.verdict, verdict.output).toBe('PASS');
  const sigs = (await pdfsig(join(dir, 'final.pdf'), join(dir, 'roots.pem'))).signatures.filter((x) =>
    x.field?.startsWith('Inkan-')
  );
  expect(sigs.map((x) => x.valid)).toEqual([true, true]);
}

test(
  'the whole contract through the app: the sender confirms their address, signs with their 実印 and sends; the phone types the key and signs; B-LTA',
  { tag: '@phone' },
  async ({ page, browser }) => {
    // Its own server, no sender yet: the app's first send makes this browser the server's one sender.
    const inbox = await startMailbox();
    const own = new InkanServer({ INKAN_SMTP_URL: `smtp://127.0.0.1:${inbox.port}` });
    await own.start();
    const desk = await browser.newContext({
      ...devices['Desktop Chrome'],
      locale: 'ja-JP',
      permissions: ['clipboard-read', 'clipboard-write']
    });
    try {
      const s = await desk.newPage();
      // Signing runs off the main thread, on both devices.
      const workers: string[] = [];
      for (const p of [s, page]) p.on('worker', (w) => workers.push(w.url()));
      await s.goto(own.url);
      const pdf = await contractPdf(1);
      await choosePdf(s, { name: 'NDA.pdf', mimeType: 'application/pdf', buffer: pdf });
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
      await s.locator('#me-name').fill(SENDER.name);
      await s.locator('#me-email').fill(SENDER.email);
      // The default: the key is passed on by hand, the server never receives it.
      await expect(s.getByLabel('自分で別の経路で渡す（推奨・サーバーは鍵を受け取りません）')).toBeChecked();

      // First send from this browser: the server mails the sender a code; a wrong one is refused and asked again.
      await s.getByRole('button', { name: '実印で署名して送信' }).click();
      const codeBox = s.getByLabel('確認コード（6 桁）');
      await expect(codeBox).toBeVisible();
      await expect(codeBox).toHaveAttribute('inputmode', 'numeric');
      await expect(codeBox).toHaveAttribute('autocomplete', 'one-time-code');
      const code = mailedCode(inbox, SENDER.email);
      await codeBox.fill(code === '000000' ? '111111' : '000000');
      await s.getByRole('button', { name: '確認して続ける' }).click();
      await expect(s.locator('[data-code="OTP_INVALID"]')).toContainText('あと 4 回入力できます');
      await codeBox.fill(code);
      await s.getByRole('button', { name: '確認して続ける' }).click();
      // Key, 実印 signature with a timestamp, encryption, sending — then the envelope page.
      await expect(s).toHaveURL(/\/envelopes\/env_[A-Za-z0-9_-]{22}$/, { timeout: 90_000 });
      await expect(s.locator('[data-status="sent"]')).toBeVisible();
      // The decrypted document on the sender's page carries their visible 実印 signature: the generated red 印影 in
      // their field on the left half of the page (the test PDF's own red box is on the right half).
      expect(await pixelsIn(s, { x: 0, y: 0, width: 340, height: 841 }, 'red')).toBeGreaterThan(200);
      // The sender already signed: no second "sign" button; the counterparty's key is shown to pass on.
      await expect(s.locator('[data-participant-status="signed"]')).toContainText(SENDER.name);
      await expect(s.getByRole('button', { name: '実印で署名する' })).toHaveCount(0);
      // While the envelope is out: the invitation controls, and the event log's hash chain checked by the server.
      await expect(s.getByRole('button', { name: '招待を再送' })).toBeVisible();
      await expect(s.locator('[data-chain="intact"]')).toBeVisible();
      const key = await s.getByLabel(`${COUNTERPARTY.name} さんの鍵`).inputValue();
      expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(await axeViolations(s), "the sender's envelope page").toEqual([]);
      await s.getByRole('button', { name: 'コピー' }).click();
      await expect(s.getByRole('status').filter({ hasText: 'コピーしました' })).toBeVisible();
      expect(await s.evaluate(() => navigator.clipboard.readText())).toBe(key);

      // The phone: the mailed link (no key in it), the key typed in, the code, read, sign with the platform seal.
      const mail = inbox.last(COUNTERPARTY.email);
      expect(mail.text).not.toContain(key);
      const link = /http:\/\/\S+/.exec(mail.text)![0];
      await openWithKey(page, link, key);
      await enterCode(page, inbox);
      await expect(page.locator('[data-phase="ready"]')).toBeVisible({ timeout: 30_000 });
      await page.getByRole('button', { name: '契約印で署名する' }).click();
      await expect(page.locator('[data-phase="completed"]')).toBeVisible({ timeout: 90_000 });
      // The counterparty keeps their copy too: the final PDF, saved from the phone, and the checked record.
      await expect(page.locator('[data-chain="intact"]')).toBeVisible();
      expect(await axeViolations(page), "the counterparty's completed page").toEqual([]);
      const phoneDownload = page.waitForEvent('download');
      await page.getByRole('button', { name: '署名済み PDF を保存' }).click();
      const phoneFile = await (await phoneDownload).path();

      expect(workers.filter((u) => /\/sign\.worker-[\w-]+\.js$/.test(u)).length).toBeGreaterThanOrEqual(3);
      // The sender's page: completed, the record, the final PDF downloaded and judged.
      await s.reload();
      await expect(s.locator('[data-status="completed"]')).toBeVisible({ timeout: 30_000 });
      for (const type of ['created', 'sent', 'viewed', 'completed'])
        await expect(s.locator(`[data-event="${type}"]`).first()).toBeVisible();
      await expect(s.locator('[data-event="signed"]')).toHaveCount(2);
      // The whole trail is listed — revision uploads and the counterparty's code check too — so the verdict's count
      // is the count of the lines shown.
      await expect(s.locator('[data-event="revision"]')).toHaveCount(3);
      await expect(s.locator('[data-event="access"]').filter({ hasText: '本人確認（メールのコード）' })).toHaveCount(1);
      await expect(s.locator('[data-event="access"]').filter({ hasText: '確認コードを送信' })).toHaveCount(1);
      const lines = await s.locator('[data-event]').count();
      await expect(s.locator('[data-chain="intact"]')).toContainText(`${lines} 件`);
      const download = s.waitForEvent('download');
      await s.getByRole('button', { name: '署名済み PDF を保存' }).click();
      const file = await (await download).path();
      // Both parties hold the same final document, byte for byte.
      expect(Buffer.compare(readFileSync(phoneFile), readFileSync(file))).toBe(0);
      const roots = (await (await fetch(`${own.url}/api/ca/roots`)).json()) as RootsResponse;
      const dir = mkdtempSync(join(tmpdir(), 'inkan-journey-'));
      writeFileSync(join(dir, 'roots.pem'), roots.pem);
      const verdict = await verifyPdf(file, join(dir, 'roots.pem'), { level: 'B-LTA' });
      expect(verdict.verdict, verdict.output).toBe('PASS');
      const sigs = (await pdfsig(file, join(dir, 'roots.pem'))).signatures.filter((x) => x.field?.startsWith('Inkan-'));
      expect(sigs.map((x) => x.valid)).toEqual([true, true]);
      // The same file on the public /verify page (validated in the browser against this server's roots): green.
      await s.goto(`${own.url}/verify`);
      await s.getByTestId('verify-file').setInputFiles(file);
      const result = s.getByTestId('verify-result');
      await expect(result).toHaveAttribute('data-state', 'valid', { timeout: 30_000 });
      await expect(result).toContainText('すべての署名が有効です');
      await expect(result.locator('article[data-state="valid"]')).toHaveCount(3);
      await expect(result.locator('article').first()).toContainText('B-LTA');
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
