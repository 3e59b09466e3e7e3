/**
 * The sender's invitation controls against the real server (createApp, SQLite, files, SMTP listener): the
 * component is mounted in happy-dom and driven by clicks, as a person would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import type { Envelope } from '@inkan/protocol';
import { startTestServer, mailedCode, type TestServer } from '../../../server/src/envelopes/test-kit.ts';
import { EnvelopeApi } from './api.ts';
import InviteActions from './InviteActions.svelte';

const SENDER = { name: '佐藤 花子', email: 'hanako@sender.example' };
const COUNTERPARTY = { name: '鈴木 一郎', email: 'ichiro@acme.example' };

let s: TestServer;
let api: EnvelopeApi;
beforeAll(async () => {
  s = await startTestServer();
  const anonymous = new EnvelopeApi(null, '', async (url, init) => s.app.request(url, init));
  await anonymous.setup(SENDER);
  api = anonymous.withToken(
    (await anonymous.verifySetup({ email: SENDER.email, code: mailedCode(s.mailbox, SENDER.email) })).token
  );
});
afterAll(async () => {
  s?.close();
  await s?.mailbox.stop();
});

async function sentEnvelope(): Promise<Envelope> {
  const env = await api.createEnvelope({
    title: '業務委託契約書',
    transaction: { date: '2026-03-31', counterparty: '株式会社ACME', amount: 1000 },
    participants: [
      { role: 'sender', ...SENDER, signingType: 'jitsuin' },
      { role: 'counterparty', ...COUNTERPARTY, signingType: 'keiyakuin' }
    ]
  });
  const blob = await api.uploadBlob(new Blob([crypto.getRandomValues(new Uint8Array(500))]));
  await api.addRevision(env.id, { blob: blob.id, previous: null, action: 'sign' });
  return api.send(env.id, {});
}

const linkToken = () =>
  new URL(/https:\/\/\S+/.exec(s.mailbox.last(COUNTERPARTY.email).text)![0]).searchParams.get('t')!;
const button = (root: HTMLElement, name: string) => {
  const b = [...root.querySelectorAll('button')].find((x) => x.textContent?.trim() === name);
  if (!b) throw new Error(`no button "${name}" in: ${root.textContent}`);
  return b;
};
/** Waits until the component's pending request settled (the status or alert line filled in). */
async function settled(root: HTMLElement): Promise<void> {
  await expect
    .poll(() => {
      flushSync();
      return (
        (root.querySelector('[role="status"]')?.textContent ?? '') + (root.querySelector('[role="alert"]') ? '!' : '')
      );
    })
    .not.toBe('');
}

describe('InviteActions', () => {
  it('resends after confirmation (fresh link, old one refused) and revokes, reporting each result', async () => {
    let env = await sentEnvelope();
    const old = linkToken();
    const target = document.createElement('div');
    document.body.append(target);
    const changes: Envelope[] = [];
    const props = $state({ envelope: env, api, onchange: (e: Envelope) => changes.push(e) });
    const c = mount(InviteActions, { target, props });
    flushSync();
    expect(target.querySelector('h2')?.textContent).toBe('招待の管理');

    // Resend: nothing happens before the confirmation.
    const mails = s.mailbox.mails.length;
    button(target, '招待を再送').click();
    flushSync();
    expect(target.textContent).toContain('これまでのリンクは使えなくなります');
    expect(document.activeElement?.textContent?.trim()).toBe('再送する');
    button(target, 'やめる').click();
    flushSync();
    expect(s.mailbox.mails.length).toBe(mails);
    button(target, '招待を再送').click();
    flushSync();
    button(target, '再送する').click();
    await settled(target);
    expect(target.querySelector('[role="status"]')?.textContent).toBe(
      `${COUNTERPARTY.email} に招待を再送しました。以前のリンクは無効です。 鍵は別の方法でお伝えください。`
    );
    expect(s.mailbox.mails.length).toBe(mails + 1);
    expect(linkToken()).not.toBe(old);
    await expect(api.requestCode(env.id, old)).rejects.toMatchObject({ code: 'ACCESS_TOKEN_INVALID' });
    expect(changes).toHaveLength(1);

    // Revoke: the link stops working and the row says so once the page passes the updated envelope back in.
    const fresh = linkToken();
    button(target, 'リンクを無効化').click();
    flushSync();
    button(target, '無効化する').click();
    await settled(target);
    expect(target.querySelector('[role="status"]')?.textContent).toBe(
      `${COUNTERPARTY.name} さんのリンクを無効化しました。`
    );
    await expect(api.requestCode(env.id, fresh)).rejects.toMatchObject({ code: 'ACCESS_TOKEN_INVALID' });
    env = changes[1];
    props.envelope = env;
    flushSync();
    expect(target.querySelector('li')?.dataset.revoked).toBe('true');
    expect(button(target, 'リンクを無効化').disabled).toBe(true);
    unmount(c);
    target.remove();
  });

  it('shows a refusal with its code, and nothing for an envelope that is not out', async () => {
    const env = await sentEnvelope();
    const target = document.createElement('div');
    document.body.append(target);
    // A session that is not the sender's: the server refuses with FORBIDDEN.
    const stranger = new EnvelopeApi('x'.repeat(43), '', async (url, init) => s.app.request(url, init));
    const c = mount(InviteActions, { target, props: { envelope: env, api: stranger } });
    flushSync();
    button(target, '招待を再送').click();
    flushSync();
    button(target, '再送する').click();
    await settled(target);
    const alert = target.querySelector('[role="alert"]') as HTMLElement;
    expect(alert.dataset.code).toBe('UNAUTHENTICATED');
    expect(alert.textContent).toContain('失敗しました（UNAUTHENTICATED）');
    unmount(c);
    const draft = mount(InviteActions, { target, props: { envelope: { ...env, status: 'draft' }, api } });
    flushSync();
    expect(target.querySelector('section')).toBeNull();
    unmount(draft);
    target.remove();
  });
});
