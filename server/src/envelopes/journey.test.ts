import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type {
  AccessVerifyResponse,
  Envelope,
  EnvelopeEvent,
  SetupPendingResponse,
  SetupResponse
} from '@inkan/protocol';
import { mailedCode, startMailbox, startTestServer, PUBLIC_URL, type Mailbox, type TestServer } from './test-kit.ts';
import { COUNTERPARTY, SENDER, json, newEnvelopeRequest, upload } from './fixtures.ts';

const wrapped = (kind: 'device' | 'recovery' | 'link') => ({
  v: 1,
  kind,
  alg: kind === 'link' ? 'HKDF-SHA256+A256KW' : 'ECDH-ES+HKDF-SHA256+A256KW',
  ...(kind === 'link'
    ? {}
    : { kid: randomBytes(32).toString('base64url'), epk: randomBytes(65).toString('base64url') }),
  wrapped: randomBytes(40).toString('base64url')
});

describe('envelope journey over the API (real SQLite, files and SMTP)', () => {
  let mailbox: Mailbox;
  let s: TestServer;
  beforeAll(async () => {
    mailbox = await startMailbox();
    s = await startTestServer({ mailbox });
  });
  afterAll(async () => {
    s.close();
    await mailbox.stop();
  });

  it('runs draft → sender signs → sent → code → viewed → counterparty signs → finalized, and logs every step', async () => {
    // The sender proves their address before the server is theirs.
    const pending = await json<SetupPendingResponse>(await s.call('POST', '/setup', { json: SENDER }), 202);
    expect(pending).toEqual({ pending: true, sentTo: 'h***@sender.example' });
    const setup = await json<SetupResponse>(
      await s.call('POST', '/setup/verify', { json: { email: SENDER.email, code: mailedCode(mailbox, SENDER.email) } }),
      201
    );
    expect(setup.sender).toMatchObject(SENDER);
    expect((await s.call('POST', '/setup', { json: SENDER })).status).toBe(409);
    const token = setup.token;

    const created = await json<Envelope>(
      await s.call('POST', '/envelopes', { token, json: newEnvelopeRequest() }),
      201
    );
    expect(created).toMatchObject({ status: 'draft', head: null, transaction: { amount: 1_100_000, currency: 'JPY' } });
    const them = created.participants[1];
    const id = created.id;

    await json(
      await s.call('POST', `/envelopes/${id}/keys`, {
        token,
        json: {
          keys: [
            { key: wrapped('device') },
            { key: wrapped('recovery') },
            { participantId: them.id, key: wrapped('link') }
          ]
        }
      }),
      201
    );

    // The sender's signed, encrypted PDF: the server only ever sees these opaque bytes.
    const rev0 = randomBytes(300_000);
    const blob0 = await upload(s, token, rev0);
    const signed = await json<Envelope>(
      await s.call('POST', `/envelopes/${id}/revisions`, {
        token,
        json: { blob: blob0, previous: null, action: 'sign' }
      }),
      201
    );
    expect(signed).toMatchObject({ status: 'draft', head: blob0 });
    expect(signed.participants[0]).toMatchObject({ status: 'signed', signedAt: s.now.value.toISOString() });

    const secret = randomBytes(32).toString('base64url');
    const sent = await json<Envelope>(
      await s.call('POST', `/envelopes/${id}/send`, { token, json: { linkSecrets: { [them.id]: secret } } }),
      200
    );
    expect(sent.status).toBe('sent');
    expect((await s.call('POST', `/envelopes/${id}/send`, { token, json: {} })).status).toBe(409);

    // The invitation arrived over SMTP with the signing link; the link secret is nowhere in the database.
    const invitation = mailbox.last(COUNTERPARTY.email);
    expect(invitation.subject).toBe('【Inkan】署名のお願い: 業務委託契約書');
    expect(invitation.text).toContain(SENDER.name);
    const link = new URL(/https:\/\/\S+/.exec(invitation.text)![0]);
    expect(`${link.origin}${link.pathname}`).toBe(`${PUBLIC_URL}/sign/${id}`);
    expect(link.hash).toBe(`#k=${secret}`);
    const accessToken = link.searchParams.get('t')!;
    const dump =
      JSON.stringify(s.db.prepare('SELECT * FROM participants').all()) +
      JSON.stringify(s.db.prepare('SELECT * FROM events').all());
    expect(dump).not.toContain(secret);
    expect(dump).not.toContain(accessToken);

    // Counterparty on the phone: the link alone opens nothing; the e-mail code does.
    const phone = '198.51.100.23';
    expect((await s.call('GET', `/envelopes/${id}`, { token: accessToken, ip: phone })).status).toBe(401);
    const asked = await json<{ sentTo: string }>(
      await s.call('POST', `/envelopes/${id}/access`, { json: { token: accessToken }, ip: phone }),
      200
    );
    expect(asked.sentTo).toBe('i***@acme.example');
    const code = /確認コード: (\d{6})/.exec(mailbox.last(COUNTERPARTY.email).text)![1];
    const wrong = code === '000000' ? '111111' : '000000';
    const refused = await s.call('POST', `/envelopes/${id}/access/verify`, {
      json: { token: accessToken, code: wrong },
      ip: phone
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.code).toBe('OTP_INVALID');
    const access = await json<AccessVerifyResponse>(
      await s.call('POST', `/envelopes/${id}/access/verify`, { json: { token: accessToken, code }, ip: phone }),
      200
    );
    expect(access).toMatchObject({ envelopeId: id, participantId: them.id });
    const cp = access.token;

    const seen = await json<Envelope>(await s.call('GET', `/envelopes/${id}`, { token: cp, ip: phone }), 200);
    expect(seen.participants[1].status).toBe('viewed');
    expect(seen.wrappedKeys.map((k) => k.key.kind)).toEqual(['link']);
    const download = await s.call('GET', `/blobs/${blob0}`, { token: cp, ip: phone });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(rev0)).toBe(true);

    const blob1 = await upload(s, cp, randomBytes(310_000));
    const bothSigned = await json<Envelope>(
      await s.call('POST', `/envelopes/${id}/revisions`, {
        token: cp,
        ip: phone,
        json: { blob: blob1, previous: blob0, action: 'sign' }
      }),
      201
    );
    expect(bothSigned.status).toBe('signed');

    const before = mailbox.mails.length;
    const blob2 = await upload(s, cp, randomBytes(330_000));
    const done = await json<Envelope>(
      await s.call('POST', `/envelopes/${id}/revisions`, {
        token: cp,
        ip: phone,
        json: { blob: blob2, previous: blob1, action: 'finalize' }
      }),
      201
    );
    expect(done).toMatchObject({ status: 'completed', head: blob2 });
    expect(done.revisions.map((r) => [r.index, r.action, r.previous])).toEqual([
      [0, 'sign', null],
      [1, 'sign', blob0],
      [2, 'finalize', blob1]
    ]);
    const completion = mailbox.mails.slice(before);
    expect(completion.map((m) => [m.to[0], m.subject])).toEqual([
      [SENDER.email, '【Inkan】締結完了: 業務委託契約書'],
      [COUNTERPARTY.email, '【Inkan】締結完了: 業務委託契約書']
    ]);
    expect(completion[0].text).toContain(`${PUBLIC_URL}/envelopes/${id}`);
    expect(completion[1].text).toContain('招待メールのリンク');
    expect(completion[1].text).not.toContain(PUBLIC_URL);
    // Both parties can fetch the final revision.
    expect((await s.call('GET', `/blobs/${blob2}`, { token })).status).toBe(200);
    expect((await s.call('GET', `/blobs/${blob2}`, { token: cp })).status).toBe(200);

    const events = await json<EnvelopeEvent[]>(await s.call('GET', `/envelopes/${id}/events`, { token: cp }), 200);
    const steps = events
      .filter((e) => e.type !== 'revision' && e.type !== 'access')
      .map((e) => [e.type, e.email, e.ip]);
    expect(steps).toEqual([
      ['created', SENDER.email, '192.0.2.10'],
      ['signed', SENDER.email, '192.0.2.10'],
      ['sent', SENDER.email, '192.0.2.10'],
      ['viewed', COUNTERPARTY.email, phone],
      ['signed', COUNTERPARTY.email, phone],
      ['completed', COUNTERPARTY.email, phone]
    ]);
    expect(events.filter((e) => e.type === 'access').map((e) => e.detail.step)).toEqual([
      'code-sent',
      'code-refused',
      'granted'
    ]);
    expect(events.every((e) => e.at === s.now.value.toISOString())).toBe(true);
  });
});
