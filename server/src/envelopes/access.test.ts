import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Envelope } from '@inkan/protocol';
import {
  COUNTERPARTY,
  addRevision,
  counterpartySession,
  createEnvelope,
  errorCode,
  json,
  lastCode,
  newEnvelopeRequest,
  sentEnvelope,
  setupSender,
  upload,
  useServers
} from './fixtures.ts';

const server = useServers();

describe('authorization', () => {
  it('refuses every route without a valid session', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, head } = await sentEnvelope(s, token);
    const routes: [string, string, unknown?][] = [
      ['GET', '/me'],
      ['POST', '/envelopes', newEnvelopeRequest()],
      ['GET', '/envelopes'],
      ['GET', `/envelopes/${env.id}`],
      ['POST', `/envelopes/${env.id}/keys`, { keys: [] }],
      ['POST', `/envelopes/${env.id}/revisions`, { blob: head, previous: head, action: 'sign' }],
      ['POST', `/envelopes/${env.id}/send`, {}],
      ['GET', `/envelopes/${env.id}/events`],
      ['GET', `/envelopes/${env.id}/events/verify`],
      ['POST', `/envelopes/${env.id}/participants/${env.participants[1].id}/resend`, {}],
      ['POST', `/envelopes/${env.id}/participants/${env.participants[1].id}/revoke`, {}],
      ['PUT', '/blobs'],
      ['GET', `/blobs/${head}`]
    ];
    for (const bad of [undefined, 'x'.repeat(43), `${token}x`]) {
      for (const [method, path, body] of routes) {
        const res = await s.call(method, path, { token: bad, json: body });
        expect(
          [res.status, ((await res.json()) as { error: { code: string } }).error.code],
          `${method} ${path}`
        ).toEqual([401, 'UNAUTHENTICATED']);
      }
    }
  });

  it("keeps a counterparty to their envelope and out of the sender's routes", async () => {
    const s = await server();
    const token = await setupSender(s);
    const a = await sentEnvelope(s, token);
    const b = await sentEnvelope(s, token);
    const cpA = await counterpartySession(s, a.env.id, a.accessToken);
    expect(await errorCode(s.call('POST', '/envelopes', { token: cpA, json: newEnvelopeRequest() }))).toEqual([
      403,
      'FORBIDDEN'
    ]);
    expect(await errorCode(s.call('GET', '/envelopes', { token: cpA }))).toEqual([403, 'FORBIDDEN']);
    expect(await errorCode(s.call('POST', `/envelopes/${a.env.id}/send`, { token: cpA, json: {} }))).toEqual([
      403,
      'FORBIDDEN'
    ]);
    expect(await errorCode(s.call('POST', `/envelopes/${a.env.id}/keys`, { token: cpA, json: { keys: [] } }))).toEqual([
      403,
      'FORBIDDEN'
    ]);
    // Envelope B is someone else's business: it does not exist for this session, nor do its blobs.
    expect(await errorCode(s.call('GET', `/envelopes/${b.env.id}`, { token: cpA }))).toEqual([
      404,
      'ENVELOPE_NOT_FOUND'
    ]);
    expect(await errorCode(s.call('GET', `/envelopes/${b.env.id}/events`, { token: cpA }))).toEqual([
      404,
      'ENVELOPE_NOT_FOUND'
    ]);
    const blob = await upload(s, cpA);
    expect(await errorCode(addRevision(s, cpA, b.env.id, { blob, previous: b.head, action: 'sign' }))).toEqual([
      404,
      'ENVELOPE_NOT_FOUND'
    ]);
    expect(await errorCode(s.call('GET', `/blobs/${b.head}`, { token: cpA }))).toEqual([404, 'BLOB_NOT_FOUND']);
    expect((await s.call('GET', `/blobs/${a.head}`, { token: cpA })).status).toBe(200);
    // A's signing link does not open B.
    expect(
      await errorCode(s.call('POST', `/envelopes/${b.env.id}/access`, { json: { token: a.accessToken } }))
    ).toEqual([403, 'ACCESS_TOKEN_INVALID']);
  });

  it('ends a counterparty session after 24 hours', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, accessToken } = await sentEnvelope(s, token);
    const cp = await counterpartySession(s, env.id, accessToken);
    s.now.value = new Date(s.now.value.getTime() + 24 * 3600_000 - 1000);
    expect((await s.call('GET', `/envelopes/${env.id}`, { token: cp })).status).toBe(200);
    s.now.value = new Date(s.now.value.getTime() + 2000);
    expect(await errorCode(s.call('GET', `/envelopes/${env.id}`, { token: cp }))).toEqual([401, 'UNAUTHENTICATED']);
  });
});

describe('e-mail code', () => {
  it('allows 5 wrong tries, then refuses even the right code until a new one is sent', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, accessToken } = await sentEnvelope(s, token);
    await json(await s.call('POST', `/envelopes/${env.id}/access`, { json: { token: accessToken } }), 200);
    const code = lastCode(s);
    const wrong = code === '000000' ? '111111' : '000000';
    const verify = (c: string) =>
      s.call('POST', `/envelopes/${env.id}/access/verify`, { json: { token: accessToken, code: c } });
    for (let i = 0; i < 5; i++) expect(await errorCode(verify(wrong))).toEqual([400, 'OTP_INVALID']);
    expect(await errorCode(verify(code))).toEqual([429, 'OTP_TOO_MANY_ATTEMPTS']);
    await json(await s.call('POST', `/envelopes/${env.id}/access`, { json: { token: accessToken } }), 200);
    expect((await verify(lastCode(s))).status).toBe(200);
  });

  it('expires after 10 minutes and cannot be replayed', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, accessToken } = await sentEnvelope(s, token);
    const verify = (c: string) =>
      s.call('POST', `/envelopes/${env.id}/access/verify`, { json: { token: accessToken, code: c } });
    await json(await s.call('POST', `/envelopes/${env.id}/access`, { json: { token: accessToken } }), 200);
    s.now.value = new Date(s.now.value.getTime() + 10 * 60_000);
    expect(await errorCode(verify(lastCode(s)))).toEqual([400, 'OTP_EXPIRED']);
    await json(await s.call('POST', `/envelopes/${env.id}/access`, { json: { token: accessToken } }), 200);
    const code = lastCode(s);
    expect((await verify(code)).status).toBe(200);
    expect(await errorCode(verify(code))).toEqual([400, 'OTP_INVALID']);
    expect(await errorCode(verify('12345'))).toEqual([400, 'INVALID_REQUEST']);
    expect(await errorCode(s.call('POST', `/envelopes/${env.id}/access`, { json: { token: 'A'.repeat(43) } }))).toEqual(
      [403, 'ACCESS_TOKEN_INVALID']
    );
  });
});

describe('code mails', () => {
  it('are limited per envelope: 5 at once, then one per 2 minutes', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, accessToken } = await sentEnvelope(s, token);
    const ask = () => s.call('POST', `/envelopes/${env.id}/access`, { json: { token: accessToken } });
    for (let i = 0; i < 5; i++) expect((await ask()).status).toBe(200);
    const before = s.mailbox.mails.length;
    expect(await errorCode(ask())).toEqual([429, 'RATE_LIMITED']);
    expect(s.mailbox.mails.length).toBe(before);
    s.now.value = new Date(s.now.value.getTime() + 120_000);
    expect((await ask()).status).toBe(200);
    expect(await errorCode(ask())).toEqual([429, 'RATE_LIMITED']);
  });
});

describe('sending, blobs and search', () => {
  it('mails the link without #k when the sender keeps the secret for another channel', async () => {
    const s = await server();
    const token = await setupSender(s);
    const env = await createEnvelope(s, token);
    expect(await errorCode(s.call('POST', `/envelopes/${env.id}/send`, { token, json: {} }))).toEqual([
      409,
      'ENVELOPE_STATE'
    ]);
    const blob = await upload(s, token);
    await json(await addRevision(s, token, env.id, { blob, previous: null, action: 'sign' }), 201);
    expect(
      await errorCode(
        s.call('POST', `/envelopes/${env.id}/send`, { token, json: { linkSecrets: { par_unknown: 'abc' } } })
      )
    ).toEqual([400, 'INVALID_REQUEST']);
    await json(await s.call('POST', `/envelopes/${env.id}/send`, { token, json: {} }), 200);
    const mail = s.mailbox.last(COUNTERPARTY.email);
    expect(/https:\/\/\S+/.exec(mail.text)![0]).not.toContain('#');
    expect(mail.text).toContain('The key that opens the document is not in this mail');
  });

  it('refuses a blob above the size limit and stores nothing', async () => {
    const s = await server({ maxBlobBytes: 64 * 1024 });
    const token = await setupSender(s);
    expect((await s.call('PUT', '/blobs', { token, body: randomBytes(64 * 1024) })).status).toBe(201);
    expect(await errorCode(s.call('PUT', '/blobs', { token, body: randomBytes(64 * 1024 + 1) }))).toEqual([
      413,
      'BLOB_TOO_LARGE'
    ]);
    // Without a Content-Length (a stream), the limit is enforced while writing.
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        c.enqueue(randomBytes(16 * 1024));
      }
    });
    const res = await s.app.request('/api/blobs', {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}` },
      body,
      duplex: 'half'
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((s.db.prepare('SELECT count(*) AS n FROM blobs').get() as { n: number }).n).toBe(1);
  });

  it('finds envelopes by the 電帳法 search keys: date range, counterparty, amount range', async () => {
    const s = await server();
    const token = await setupSender(s);
    const make = (title: string, date: string, counterparty: string, amount: number) =>
      createEnvelope(s, token, newEnvelopeRequest({ title, date, counterparty, amount }));
    await make('A', '2025-04-01', '株式会社ACME', 500_000);
    await make('B', '2025-12-15', '山田商店', 80_000);
    await make('C', '2026-01-20', '株式会社ACME 大阪支店', 2_000_000);
    const titles = async (q: string) =>
      (await json<Envelope[]>(await s.call('GET', `/envelopes?${q}`, { token }), 200)).map((e) => e.title);
    expect(await titles('')).toEqual(['C', 'B', 'A']);
    expect(await titles('from=2025-06-01&to=2025-12-31')).toEqual(['B']);
    expect(await titles(`counterparty=${encodeURIComponent('ACME')}`)).toEqual(['C', 'A']);
    expect(await titles('minAmount=100000&maxAmount=1000000')).toEqual(['A']);
    expect(await titles('counterparty=%25')).toEqual([]);
    expect(await errorCode(s.call('GET', '/envelopes?minAmount=lots', { token }))).toEqual([400, 'INVALID_REQUEST']);
  });
});
