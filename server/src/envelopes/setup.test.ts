import { describe, expect, it } from 'vitest';
import type { SetupResponse } from '@inkan/protocol';
import { SENDER, errorCode, json, useServers } from './fixtures.ts';
import { mailedCode } from './test-kit.ts';

const server = useServers();
const OTHER = { name: '田中 次郎', email: 'jiro@other.example' };
const senders = (s: { db: { prepare(sql: string): { get(): unknown } } }) =>
  (s.db.prepare('SELECT count(*) AS n FROM senders').get() as { n: number }).n;

describe('sender setup: a verified e-mail claims the server', () => {
  it('mails a code first and creates the profile only when the code comes back', async () => {
    const s = await server();
    const res = await s.call('POST', '/setup', { json: SENDER });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ pending: true, sentTo: 'h***@sender.example' });
    expect(senders(s)).toBe(0);
    const mail = s.mailbox.last(SENDER.email);
    expect(mail.subject).toMatch(/^【Inkan】確認コード \d{6}$/);
    const code = mailedCode(s.mailbox, SENDER.email);
    const wrong = code === '000000' ? '111111' : '000000';
    const verify = (c: string, email = SENDER.email) => s.call('POST', '/setup/verify', { json: { email, code: c } });
    expect(await errorCode(verify(wrong))).toEqual([400, 'OTP_INVALID']);
    // Another address cannot use this code.
    expect(await errorCode(verify(code, OTHER.email))).toEqual([400, 'OTP_INVALID']);
    expect(senders(s)).toBe(0);
    const done = await json<SetupResponse>(await verify(code), 201);
    expect(done.sender).toMatchObject(SENDER);
    const me = await json<{ kind: string; email: string }>(await s.call('GET', '/me', { token: done.token }), 200);
    expect(me).toMatchObject({ kind: 'sender', ...SENDER });
    // Claimed: no second profile, no code spent or mailed, and the used code is gone.
    const mailsBefore = s.mailbox.mails.length;
    expect(await errorCode(s.call('POST', '/setup', { json: OTHER }))).toEqual([409, 'SETUP_DONE']);
    expect(await errorCode(verify(code))).toEqual([409, 'SETUP_DONE']);
    expect(s.mailbox.mails.length).toBe(mailsBefore);
    expect(senders(s)).toBe(1);
    expect(s.db.prepare('SELECT count(*) AS n FROM sender_setups').get()).toEqual({ n: 0 });
  });

  it('lets an unverified setup be overtaken: the first address verified wins, the other gets SETUP_DONE', async () => {
    const s = await server();
    await json(await s.call('POST', '/setup', { json: SENDER }), 202);
    const senderCode = mailedCode(s.mailbox, SENDER.email);
    // A pending setup does not block another one.
    await json(await s.call('POST', '/setup', { json: OTHER }), 202);
    const otherCode = mailedCode(s.mailbox, OTHER.email);
    const [a, b] = await Promise.all([
      s.call('POST', '/setup/verify', { json: { email: OTHER.email, code: otherCode } }),
      s.call('POST', '/setup/verify', { json: { email: SENDER.email, code: senderCode } })
    ]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([201, 409]);
    const loser = a.status === 409 ? a : b;
    expect(((await loser.json()) as { error: { code: string } }).error.code).toBe('SETUP_DONE');
    expect(senders(s)).toBe(1);
    const winner = (await (a.status === 201 ? a : b).json()) as SetupResponse;
    expect(s.db.prepare('SELECT email FROM senders').get()).toEqual({ email: winner.sender.email });
  });

  it('keeps the code rules: 10 minutes, 5 tries, a new code replaces the old one; the name is the latest asked', async () => {
    const s = await server();
    const verify = (code: string) => s.call('POST', '/setup/verify', { json: { email: SENDER.email, code } });
    expect(await errorCode(verify('123456'))).toEqual([400, 'OTP_INVALID']);
    await json(await s.call('POST', '/setup', { json: SENDER }), 202);
    const first = mailedCode(s.mailbox, SENDER.email);
    s.now.value = new Date(s.now.value.getTime() + 10 * 60_000);
    expect(await errorCode(verify(first))).toEqual([400, 'OTP_EXPIRED']);
    await json(await s.call('POST', '/setup', { json: { ...SENDER, name: '佐藤 花子（総務）' } }), 202);
    const second = mailedCode(s.mailbox, SENDER.email);
    const wrong = second === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) expect(await errorCode(verify(wrong))).toEqual([400, 'OTP_INVALID']);
    expect(await errorCode(verify(second))).toEqual([429, 'OTP_TOO_MANY_ATTEMPTS']);
    await json(await s.call('POST', '/setup', { json: SENDER }), 202);
    const done = await json<SetupResponse>(await verify(mailedCode(s.mailbox, SENDER.email)), 201);
    expect(done.sender.name).toBe(SENDER.name);
  });

  it('limits code mails per address: 5 at once, then one per 2 minutes', async () => {
    const s = await server();
    const ask = () => s.call('POST', '/setup', { json: SENDER });
    for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(202);
    const before = s.mailbox.mails.length;
    expect(await errorCode(ask())).toEqual([429, 'RATE_LIMITED']);
    expect(s.mailbox.mails.length).toBe(before);
    // Another address is not held up by this one.
    expect((await s.call('POST', '/setup', { json: OTHER })).status).toBe(202);
    s.now.value = new Date(s.now.value.getTime() + 120_000);
    expect((await ask()).status).toBe(202);
    // Pending setups are forgotten once their code has expired.
    const pending = () => s.db.prepare('SELECT email FROM sender_setups ORDER BY email').all();
    expect(pending()).toEqual([{ email: SENDER.email }, { email: OTHER.email }]);
    s.now.value = new Date(s.now.value.getTime() + 10 * 60_000);
    expect((await ask()).status).toBe(202);
    expect(pending()).toEqual([{ email: SENDER.email }]);
    expect(await errorCode(s.call('POST', '/setup', { json: { name: 'x', email: 'not-an-address' } }))).toEqual([
      400,
      'INVALID_REQUEST'
    ]);
  });

  it('limits attempts per client across addresses', async () => {
    const s = await server();
    const verify = (i: number) =>
      s.call('POST', '/setup/verify', { json: { email: `guess${i}@x.example`, code: '000000' }, ip: '203.0.113.9' });
    for (let i = 0; i < 20; i++) expect((await verify(i)).status).toBe(400);
    expect(await errorCode(verify(20))).toEqual([429, 'RATE_LIMITED']);
    // Another client is not affected.
    expect(
      await errorCode(s.call('POST', '/setup/verify', { json: { email: 'a@x.example', code: '000000' } }))
    ).toEqual([400, 'OTP_INVALID']);
  });
});
