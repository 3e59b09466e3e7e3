import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Envelope, EnvelopeEvent } from '@inkan/protocol';
import {
  COUNTERPARTY,
  SENDER,
  addRevision,
  counterpartySession,
  errorCode,
  json,
  sentEnvelope,
  setupSender,
  upload,
  useServers,
  createEnvelope
} from './fixtures.ts';
import type { TestServer } from './test-kit.ts';

const server = useServers();
afterEach(() => {
  vi.restoreAllMocks();
});

/** The signing link in the last invitation to the counterparty. */
const invitationLink = (s: TestServer) => new URL(/https:\/\/\S+/.exec(s.mailbox.last(COUNTERPARTY.email).text)![0]);
const askCode = (s: TestServer, id: string, token: string) =>
  s.call('POST', `/envelopes/${id}/access`, { json: { token } });
const counterpartyId = (env: Envelope) => env.participants.find((p) => p.role === 'counterparty')!.id;
/** Every byte SQLite holds for this server: the database file and its write-ahead log. */
const databaseBytes = (s: TestServer) =>
  Buffer.concat(
    readdirSync(s.dir)
      .filter((f) => f.startsWith('inkan.sqlite'))
      .map((f) => readFileSync(join(s.dir, f)))
  );

describe('key delivery', () => {
  it('mails the link without its key by default and says the key comes separately, and where it goes', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env } = await sentEnvelope(s, token);
    const mail = s.mailbox.last(COUNTERPARTY.email);
    expect(invitationLink(s).hash).toBe('');
    expect(mail.text).not.toContain('#k=');
    expect(mail.text).toContain(`文書を開く鍵（鍵）はこのメールには含まれていません。${SENDER.name} さんから`);
    expect(mail.text).toContain('リンクを開いたページの「送信者から受け取った鍵」欄に入力してください');
    expect(mail.text).toContain(`${SENDER.name} will give it to you separately`);
    expect(mail.text).toContain('Enter it in the "Key from the sender" field');
    expect(mail.text).toContain(`/sign/${env.id}?t=`);
  });

  it('puts the key in the mail only on opt-in, and never stores or logs it', async () => {
    const s = await server();
    const token = await setupSender(s);
    const env = await createEnvelope(s, token);
    const blob = await upload(s, token);
    await json(await addRevision(s, token, env.id, { blob, previous: null, action: 'sign' }), 201);
    const lines: string[] = [];
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')));
    const secret = randomBytes(32).toString('base64url');
    const pid = counterpartyId(env);
    await json(
      await s.call('POST', `/envelopes/${env.id}/send`, { token, json: { linkSecrets: { [pid]: secret } } }),
      200
    );
    expect(invitationLink(s).hash).toBe(`#k=${secret}`);
    expect(s.mailbox.last(COUNTERPARTY.email).text).toContain('do not forward it');
    const again = randomBytes(32).toString('base64url');
    await json(
      await s.call('POST', `/envelopes/${env.id}/participants/${pid}/resend`, { token, json: { linkSecret: again } }),
      200
    );
    expect(invitationLink(s).hash).toBe(`#k=${again}`);
    // A refused delivery is logged and answered 502, still without the key; the previous link keeps working.
    s.mailbox.refused.add(COUNTERPARTY.email);
    const third = randomBytes(32).toString('base64url');
    expect(
      await errorCode(
        s.call('POST', `/envelopes/${env.id}/participants/${pid}/resend`, { token, json: { linkSecret: third } })
      )
    ).toEqual([502, 'MAIL_FAILED']);
    expect(lines.join('\n')).toContain('invitation mail failed');
    expect(invitationLink(s).hash).toBe(`#k=${again}`);
    s.mailbox.refused.clear();
    expect((await askCode(s, env.id, invitationLink(s).searchParams.get('t')!)).status).toBe(200);
    const bytes = databaseBytes(s);
    // The scan sees what is stored (the envelope id, the recipient), so it would see a stored key too.
    expect(bytes.includes(Buffer.from(env.id))).toBe(true);
    expect(bytes.includes(Buffer.from(COUNTERPARTY.email))).toBe(true);
    for (const k of [secret, again, third]) {
      expect(bytes.includes(Buffer.from(k))).toBe(false);
      expect(lines.join('\n')).not.toContain(k);
    }
  });
});

describe('resending an invitation', () => {
  it('issues a fresh link, refuses the old one, mails again and records it', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, accessToken: old } = await sentEnvelope(s, token);
    const pid = counterpartyId(env);
    const before = s.mailbox.mails.length;
    const res = await s.call('POST', `/envelopes/${env.id}/participants/${pid}/resend`, {
      token,
      json: {},
      ip: '203.0.113.5'
    });
    const updated = await json<Envelope>(res, 200);
    expect(updated.participants.find((p) => p.id === pid)!.accessRevokedAt).toBeNull();
    expect(s.mailbox.mails.length).toBe(before + 1);
    const mail = s.mailbox.last(COUNTERPARTY.email);
    expect(mail.subject).toBe('【Inkan】署名のお願い（再送）: 業務委託契約書');
    expect(mail.text).toContain('以前のリンクは無効になりました');
    const fresh = invitationLink(s).searchParams.get('t')!;
    expect(fresh).not.toBe(old);
    expect(invitationLink(s).hash).toBe('');
    expect(await errorCode(askCode(s, env.id, old))).toEqual([403, 'ACCESS_TOKEN_INVALID']);
    const cp = await counterpartySession(s, env.id, fresh);
    expect((await s.call('GET', `/envelopes/${env.id}`, { token: cp })).status).toBe(200);
    const events = await json<EnvelopeEvent[]>(await s.call('GET', `/envelopes/${env.id}/events`, { token }), 200);
    const resent = events.filter((e) => e.type === 'invitation-resent');
    expect(resent).toEqual([
      expect.objectContaining({
        email: SENDER.email,
        ip: '203.0.113.5',
        at: s.now.value.toISOString(),
        detail: { participantId: pid, to: COUNTERPARTY.email, keyInMail: false }
      })
    ]);
  });

  it('is limited per counterparty: 5 at once, then one per 2 minutes', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env } = await sentEnvelope(s, token);
    const resend = () =>
      s.call('POST', `/envelopes/${env.id}/participants/${counterpartyId(env)}/resend`, { token, json: {} });
    for (let i = 0; i < 5; i++) expect((await resend()).status).toBe(200);
    expect(await errorCode(resend())).toEqual([429, 'RATE_LIMITED']);
    s.now.value = new Date(s.now.value.getTime() + 120_000);
    expect((await resend()).status).toBe(200);
  });
});

describe('revoking a link', () => {
  it('refuses the link and ends the sessions opened with it; a resend lets the counterparty in again', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, head, accessToken } = await sentEnvelope(s, token);
    const pid = counterpartyId(env);
    const cp = await counterpartySession(s, env.id, accessToken);
    expect((await s.call('GET', `/envelopes/${env.id}`, { token: cp })).status).toBe(200);
    const mails = s.mailbox.mails.length;
    const revoked = await json<Envelope>(
      await s.call('POST', `/envelopes/${env.id}/participants/${pid}/revoke`, { token, json: {}, ip: '203.0.113.6' }),
      200
    );
    expect(revoked.participants.find((p) => p.id === pid)!.accessRevokedAt).toBe(s.now.value.toISOString());
    expect(s.mailbox.mails.length).toBe(mails);
    // Neither the session nor the link works: no viewing, no signing, no new code.
    expect(await errorCode(s.call('GET', `/envelopes/${env.id}`, { token: cp }))).toEqual([401, 'UNAUTHENTICATED']);
    expect(await errorCode(s.call('GET', `/blobs/${head}`, { token: cp }))).toEqual([401, 'UNAUTHENTICATED']);
    const blob = await upload(s, token);
    expect(await errorCode(addRevision(s, cp, env.id, { blob, previous: head, action: 'sign' }))).toEqual([
      401,
      'UNAUTHENTICATED'
    ]);
    expect(await errorCode(askCode(s, env.id, accessToken))).toEqual([403, 'ACCESS_TOKEN_INVALID']);
    // Revoking twice changes nothing and records nothing new.
    await json(await s.call('POST', `/envelopes/${env.id}/participants/${pid}/revoke`, { token, json: {} }), 200);
    const events = await json<EnvelopeEvent[]>(await s.call('GET', `/envelopes/${env.id}/events`, { token }), 200);
    expect(events.filter((e) => e.type === 'access-revoked')).toEqual([
      expect.objectContaining({
        email: SENDER.email,
        ip: '203.0.113.6',
        detail: { participantId: pid, to: COUNTERPARTY.email }
      })
    ]);
    await json(await s.call('POST', `/envelopes/${env.id}/participants/${pid}/resend`, { token, json: {} }), 200);
    const again = await counterpartySession(s, env.id, invitationLink(s).searchParams.get('t')!);
    const seen = await json<Envelope>(await s.call('GET', `/envelopes/${env.id}`, { token: again }), 200);
    expect(seen.participants.find((p) => p.id === pid)!.accessRevokedAt).toBeNull();
  });

  it('is the sender’s alone, for a sent envelope’s counterparty, and not once the envelope is completed', async () => {
    const s = await server();
    const token = await setupSender(s);
    const draft = await createEnvelope(s, token);
    const draftPid = counterpartyId(draft);
    for (const action of ['resend', 'revoke'])
      expect(
        await errorCode(
          s.call('POST', `/envelopes/${draft.id}/participants/${draftPid}/${action}`, { token, json: {} })
        )
      ).toEqual([409, 'ENVELOPE_STATE']);

    const { env, head, accessToken } = await sentEnvelope(s, token);
    const pid = counterpartyId(env);
    const own = env.participants.find((p) => p.role === 'sender')!.id;
    const cp = await counterpartySession(s, env.id, accessToken);
    for (const action of ['resend', 'revoke']) {
      const path = (p: string) => `/envelopes/${env.id}/participants/${p}/${action}`;
      expect(await errorCode(s.call('POST', path(pid), { token: cp, json: {} }))).toEqual([403, 'FORBIDDEN']);
      expect(await errorCode(s.call('POST', path(pid), { json: {} }))).toEqual([401, 'UNAUTHENTICATED']);
      expect(await errorCode(s.call('POST', path(own), { token, json: {} }))).toEqual([404, 'PARTICIPANT_NOT_FOUND']);
      expect(await errorCode(s.call('POST', path('par_nobody'), { token, json: {} }))).toEqual([
        404,
        'PARTICIPANT_NOT_FOUND'
      ]);
    }
    expect(
      await errorCode(
        s.call('POST', `/envelopes/${env.id}/participants/${pid}/resend`, { token, json: { linkSecret: 'not/b64' } })
      )
    ).toEqual([400, 'INVALID_REQUEST']);

    // Complete the envelope: counterparty signs, then finalizes.
    const signed = await upload(s, cp);
    await json(await addRevision(s, cp, env.id, { blob: signed, previous: head, action: 'sign' }), 201);
    const final = await upload(s, cp);
    await json(await addRevision(s, cp, env.id, { blob: final, previous: signed, action: 'finalize' }), 201);
    for (const action of ['resend', 'revoke'])
      expect(
        await errorCode(s.call('POST', `/envelopes/${env.id}/participants/${pid}/${action}`, { token, json: {} }))
      ).toEqual([409, 'ENVELOPE_STATE']);
    // The counterparty's session still reads the completed record.
    expect((await s.call('GET', `/envelopes/${env.id}`, { token: cp })).status).toBe(200);
  });
});
