import type { Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RootsResponse } from '@inkan/protocol';
import { verifyPdf } from '../../packages/pades/test/judges.ts';
import { mailedCode, startMailbox, type Mailbox } from '../../server/src/envelopes/test-kit.ts';
import { test, expect } from './fixtures.ts';
import { InkanServer } from './server.ts';
import { choosePdf } from './app.ts';
import { contractPdf } from './pdfs.ts';

const A4 = { width: 595.28, height: 841.89 };

/** Drags from one point to another on the page: mouse on desktop, a real touch sequence (CDP) on the phone. */
async function drag(page: Page, touch: boolean, from: { x: number; y: number }, to: { x: number; y: number }) {
  if (!touch) {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 4 });
    await page.mouse.move(to.x, to.y, { steps: 4 });
    await page.mouse.up();
    return;
  }
  const cdp = await page.context().newCDPSession(page);
  const touchAt = (type: 'touchStart' | 'touchMove' | 'touchEnd', p?: { x: number; y: number }) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: p ? [{ x: p.x, y: p.y }] : [] });
  await touchAt('touchStart', from);
  for (let i = 1; i <= 8; i++) {
    await touchAt('touchMove', { x: from.x + ((to.x - from.x) * i) / 8, y: from.y + ((to.y - from.y) * i) / 8 });
  }
  await touchAt('touchEnd');
  await cdp.detach();
}

async function fillParties(page: Page) {
  await page.getByLabel('件名').fill('秘密保持契約書（株式会社サンプル）');
  await page.getByLabel('取引年月日').fill('2026-11-25');
  await page.getByLabel('取引先').fill('株式会社サンプル');
  await page.getByLabel('取引金額（円）').fill('1,100,000');
  await page.locator('#cp-name').fill('山田 花子');
  await page.locator('#cp-email').fill('hanako@example.co.jp');
  await page.getByLabel('実印（本人の電子証明書）').check();
  await page.locator('#me-name').fill('佐藤 一郎');
  await page.locator('#me-email').fill('ichiro@example.jp');
}

/** The draft's saved setup, read straight from IndexedDB. */
async function savedSetup(page: Page) {
  return page.evaluate(
    () =>
      new Promise<{
        title: string;
        setup: {
          fields: { owner: string; page: number; x: number; y: number; width: number; height: number }[];
        } & Record<string, unknown>;
      }>((ok, fail) => {
        const open = indexedDB.open('inkan');
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const id = location.pathname.split('/').pop()!;
          const get = open.result.transaction('drafts').objectStore('drafts').get(id);
          get.onsuccess = () => {
            open.result.close();
            ok(get.result);
          };
          get.onerror = () => fail(get.error);
        };
      })
  );
}

test('the sender places signature fields and fills the parties and transaction; all kept on the draft', async ({
  page
}, testInfo) => {
  const touch = testInfo.project.name === 'phone';
  await page.goto('/');
  await choosePdf(page, { name: 'NDA.pdf', mimeType: 'application/pdf', buffer: await contractPdf(2) });
  await expect(page.getByText('送信に必要な項目があと 9 件あります')).toBeVisible();
  const first = page.locator('[data-page="1"]');
  await first.scrollIntoViewIfNeeded();
  await expect(first).toHaveAttribute('data-rendered', 'true');

  // Counterparty field: drawn by dragging a rectangle on page 1.
  await page.getByRole('button', { name: '相手方の署名欄を置く' }).click();
  await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  let box = (await first.boundingBox())!;
  const scale = box.width / A4.width;
  const from = { x: box.x + box.width * 0.55, y: box.y + box.height * 0.3 };
  const to = { x: from.x + 180 * scale, y: from.y + 60 * scale };
  await drag(page, touch, from, to);
  await expect(page.locator('[data-field="counterparty"]')).toHaveCount(1);
  // …then made bigger from its corner handle: 40 pt wider, 20 pt taller.
  const handle = (await page.locator('[data-field="counterparty"] .resize').boundingBox())!;
  const grip = { x: handle.x + handle.width / 2, y: handle.y + handle.height / 2 };
  await drag(page, touch, grip, { x: grip.x + 40 * scale, y: grip.y + 20 * scale });

  // Own field: a tap places one of the default size.
  await page.getByRole('button', { name: '自分の署名欄を置く' }).click();
  await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  box = (await first.boundingBox())!;
  const tapAt = { x: box.x + box.width * 0.3, y: box.y + box.height * 0.3 };
  if (touch) await page.touchscreen.tap(tapAt.x, tapAt.y);
  else await page.mouse.click(tapAt.x, tapAt.y);
  await expect(page.locator('[data-field="sender"]')).toHaveCount(1);

  await fillParties(page);
  await expect(page.getByText('送信の準備ができました')).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'この端末に保存済み' })).toBeVisible();

  // The drawn rectangle is stored in PDF points, origin bottom-left.
  const saved = await savedSetup(page);
  const cp = saved.setup.fields.find((f) => f.owner === 'counterparty')!;
  expect(cp.page).toBe(1);
  // Within 2 pt: the pointer lands on whole CSS pixels, which are up to ~1.7 pt each on the phone.
  const near = (value: number, expected: number) =>
    expect(Math.abs(value - expected), `${value} ≈ ${expected}`).toBeLessThan(2);
  near(cp.width, 220);
  near(cp.height, 80);
  near(cp.x, A4.width * 0.55);
  near(cp.y, A4.height * 0.7 - 80);
  expect(saved.title).toBe('秘密保持契約書（株式会社サンプル）');

  await page.reload();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('秘密保持契約書（株式会社サンプル）');
  await expect(page.getByLabel('取引金額（円）')).toHaveValue('1,100,000');
  await expect(page.locator('#cp-email')).toHaveValue('hanako@example.co.jp');
  await expect(page.getByLabel('実印（本人の電子証明書）')).toBeChecked();
  await expect(page.locator('[data-field]')).toHaveCount(2);
  await expect(page.getByText('送信の準備ができました')).toBeVisible();

  // Keyboard: arrow keys nudge a field by 1 pt (10 with Shift); Delete removes it.
  const field = page.getByRole('button', { name: '相手方の署名欄 1（1 ページ）' });
  await field.focus();
  await page.keyboard.press('Shift+ArrowRight');
  await expect
    .poll(async () => (await savedSetup(page)).setup.fields.find((f) => f.owner === 'counterparty')!.x)
    .toBeCloseTo(cp.x + 10, 0);
  await field.press('Delete');
  await expect(page.locator('[data-field="counterparty"]')).toHaveCount(0);
  await expect(page.getByText('相手方の署名欄を 1 つ以上置いてください')).toBeVisible();
});

/** Chooses a PDF, places both fields and fills the setup: the draft is ready to send. */
async function prepareDraft(page: Page) {
  await choosePdf(page, { name: 'NDA.pdf', mimeType: 'application/pdf', buffer: await contractPdf(1) });
  await expect(page.getByRole('button', { name: '送信する' })).toBeDisabled();
  await page.getByRole('button', { name: '相手方の署名欄を置く' }).click();
  const first = page.locator('[data-page="1"]');
  await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  let box = (await first.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.7, box.y + box.height * 0.3);
  await expect(page.locator('[data-field="counterparty"]')).toHaveCount(1);
  await page.getByRole('button', { name: '自分の署名欄を置く' }).click();
  await first.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  box = (await first.boundingBox())!;
  await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.3);
  await expect(page.locator('[data-field="sender"]')).toHaveCount(1);
  await fillParties(page);
}

/** A real server of its own whose mail goes to a real SMTP listener; both are stopped however `run` ends. */
async function withMailedServer(
  env: Record<string, string>,
  run: (server: InkanServer, mailbox: Mailbox) => Promise<void>
): Promise<void> {
  const mailbox = await startMailbox();
  const server = new InkanServer({ INKAN_SMTP_URL: `smtp://127.0.0.1:${mailbox.port}`, ...env });
  try {
    await server.start();
    await run(server, mailbox);
  } finally {
    await server.stop();
    await mailbox.stop();
  }
}

/** The sender's first send from this browser: the 6-digit code mailed to their address. */
async function confirmSenderCode(page: Page, mailbox: Mailbox) {
  const codeBox = page.getByLabel('確認コード（6 桁）');
  await expect(codeBox).toBeVisible();
  await codeBox.fill(mailedCode(mailbox, 'ichiro@example.jp'));
  await page.getByRole('button', { name: '確認して続ける' }).click();
}

test(
  'a prepared draft is signed and sent: 実印, encrypted upload, invitation mail to the counterparty, draft locked',
  { tag: '@desktop' },
  async ({ page }) => {
    // Its own server: the first send registers this browser as the server's sender (one per server).
    await withMailedServer({}, async (server, mailbox) => {
      await page.goto(server.url);
      await prepareDraft(page);
      // With a field of their own, the sender signs with their 実印 before anything is sent; the progress list
      // shows each step in turn (recorded as the page renders it).
      await page.evaluate(() => {
        const seen: string[] = [];
        (window as unknown as { steps: string[] }).steps = seen;
        new MutationObserver(() => {
          const active = document.querySelector('[aria-current="step"]')?.getAttribute('data-step');
          if (active && seen.at(-1) !== active) seen.push(active);
        }).observe(document.body, { subtree: true, childList: true, attributes: true });
      });
      // Opt-in: the key goes inside the invitation link (the default keeps it off the server: journey-envelope).
      await page.getByLabel('招待メールに含める（送信の間だけサーバーを通過し、保存されません）').check();
      await page.getByRole('button', { name: '実印で署名して送信' }).click();
      await confirmSenderCode(page, mailbox);
      // The sender lands on the envelope's own page (the envelope client's EnvelopeView).
      await expect(page).toHaveURL(/\/envelopes\/env_[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
      await expect(page.getByRole('heading', { level: 1, name: '秘密保持契約書（株式会社サンプル）' })).toBeVisible();
      await expect(page.locator('[data-participant-status="signed"]')).toContainText('佐藤 一郎');
      expect(await page.evaluate(() => (window as unknown as { steps: string[] }).steps)).toEqual([
        'key',
        'sign',
        'timestamp',
        'encrypt',
        'send'
      ]);
      await expect(page.getByText('鍵は招待メールのリンクに含めて送りました')).toBeVisible();
      const key = await page.getByLabel('山田 花子 さんの鍵').inputValue();
      await expect.poll(() => mailbox.mails.filter((m) => m.to.includes('hanako@example.co.jp')).length).toBe(1);
      expect(mailbox.last('hanako@example.co.jp').text).toMatch(new RegExp(`/sign/env_[\\w-]+\\?t=[\\w-]+#k=${key}`));
      await page.goBack();
      await expect(page.getByText('送信しました')).toBeVisible();
      // Sent drafts are read-only, also after a reload.
      await page.reload();
      await expect(page.getByText('送信しました')).toBeVisible();
      await expect(page.locator('#cp-name')).toBeDisabled();
      await page.getByRole('link', { name: /下書き一覧へ/ }).click();
      await expect(page.getByRole('listitem').filter({ hasText: '送信済み' })).toHaveCount(1);
    });
  }
);

test(
  'the TSA down while the sender signs: a clear message, nothing sent, the draft kept; sending again works',
  { tag: '@desktop' },
  async ({ page }) => {
    // The server's TSA in proxy mode with its only upstream on a port where nobody listens.
    await withMailedServer({ INKAN_TSA_URLS: 'http://127.0.0.1:9/tsa' }, async (server, mailbox) => {
      await page.goto(server.url);
      await prepareDraft(page);
      await page.getByRole('button', { name: '実印で署名して送信' }).click();
      await confirmSenderCode(page, mailbox);
      const alert = page.locator('[data-code="TSA_UNAVAILABLE"]');
      await expect(alert).toContainText(
        'タイムスタンプ局に接続できないため、署名できませんでした。何も送信されていません',
        {
          timeout: 60_000
        }
      );
      await page.getByRole('button', { name: 'English' }).click();
      await expect(alert).toContainText('nothing was signed or sent');
      await page.getByRole('button', { name: '日本語' }).click();
      // Nothing reached anyone: no invitation, no envelope on the server; the draft is still editable.
      expect(mailbox.mails.filter((m) => m.to.includes('hanako@example.co.jp'))).toEqual([]);
      const token = await page.evaluate(
        () =>
          new Promise<string>((ok, fail) => {
            const open = indexedDB.open('inkan-keys');
            open.onerror = () => fail(open.error);
            open.onsuccess = () => {
              const get = open.result.transaction('keys').objectStore('keys').get('sender');
              get.onsuccess = () => ok((get.result as { token: string }).token);
            };
          })
      );
      const list = await fetch(`${server.url}/api/envelopes`, { headers: { authorization: `Bearer ${token}` } });
      expect(await list.json()).toEqual([]);
      await expect(page.locator('#cp-name')).toBeEnabled();

      // The TSA is back: the same button sends (the session and 実印 from the first try are reused, no new code).
      await server.stop();
      delete server.env.INKAN_TSA_URLS;
      await server.start();
      await page.getByRole('button', { name: '実印で署名して送信' }).click();
      await expect(page).toHaveURL(/\/envelopes\/env_[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
      await expect.poll(() => mailbox.mails.filter((m) => m.to.includes('hanako@example.co.jp')).length).toBe(1);
    });
  }
);

test(
  "the sender's e-mail code: wrong codes are counted down, the fifth ends the attempt, sending again mails a new code",
  { tag: '@desktop' },
  async ({ page }) => {
    await withMailedServer({}, async (server, mailbox) => {
      await page.goto(server.url);
      await prepareDraft(page);
      await page.getByRole('button', { name: '実印で署名して送信' }).click();
      const codeBox = page.getByLabel('確認コード（6 桁）');
      await expect(codeBox).toBeVisible();
      const first = mailedCode(mailbox, 'ichiro@example.jp');
      const wrong = first === '000000' ? '111111' : '000000';
      for (const left of [4, 3, 2, 1]) {
        await codeBox.fill(wrong);
        await page.getByRole('button', { name: '確認して続ける' }).click();
        await expect(page.locator('[data-code="OTP_INVALID"]')).toContainText(`あと ${left} 回入力できます`);
      }
      await codeBox.fill(wrong);
      await page.getByRole('button', { name: '確認して続ける' }).click();
      await expect(page.locator('[data-code="OTP_TOO_MANY_ATTEMPTS"]')).toContainText('5 回間違えました');
      await expect(codeBox).toHaveCount(0);
      expect(mailbox.mails.filter((m) => m.to.includes('hanako@example.co.jp'))).toEqual([]);

      // Sending again mails a new code, which works.
      const before = mailbox.mails.length;
      await page.getByRole('button', { name: '実印で署名して送信' }).click();
      await expect(codeBox).toBeVisible();
      expect(mailbox.mails.length).toBe(before + 1);
      await codeBox.fill(mailedCode(mailbox, 'ichiro@example.jp'));
      await page.getByRole('button', { name: '確認して続ける' }).click();
      await expect(page).toHaveURL(/\/envelopes\/env_[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
    });
  }
);

test(
  "the server's data was reset: the next send confirms the sender's address again and signs with a 実印 from the new CA",
  { tag: '@desktop' },
  async ({ page }) => {
    await withMailedServer({}, async (server, mailbox) => {
      await page.goto(server.url);
      await prepareDraft(page);
      await page.getByRole('button', { name: '実印で署名して送信' }).click();
      await confirmSenderCode(page, mailbox);
      await expect(page).toHaveURL(/\/envelopes\/env_[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });

      // A fresh data folder behind the same URL: new database, new CA; this browser's session means nothing there.
      await server.stop();
      rmSync(server.dataDir, { recursive: true, force: true });
      mkdirSync(server.dataDir);
      await server.start();
      const codesBefore = mailbox.mails.filter((m) => m.to.includes('ichiro@example.jp')).length;
      await page.goto(server.url);
      await prepareDraft(page);
      await page.getByRole('button', { name: '実印で署名して送信' }).click();
      // Asked again, with a code the new server mailed.
      await confirmSenderCode(page, mailbox);
      expect(mailbox.mails.filter((m) => m.to.includes('ichiro@example.jp')).length).toBe(codesBefore + 1);
      await expect(page).toHaveURL(/\/envelopes\/env_[A-Za-z0-9_-]{22}$/, { timeout: 60_000 });
      await expect(page.locator('[data-participant-status="signed"]')).toContainText('佐藤 一郎');

      // The sender's signature chains to the new server's root: the 実印 was certified anew.
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: '署名済み PDF を保存' }).click();
      const file = await (await download).path();
      const roots = (await (await fetch(`${server.url}/api/ca/roots`)).json()) as RootsResponse;
      const dir = mkdtempSync(join(tmpdir(), 'inkan-reset-'));
      writeFileSync(join(dir, 'roots.pem'), roots.pem);
      const verdict = await verifyPdf(file, join(dir, 'roots.pem'), { level: 'B-T' });
      expect(verdict.verdict, verdict.output).toBe('PASS');
    });
  }
);
