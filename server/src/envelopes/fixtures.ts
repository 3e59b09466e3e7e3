import { createHash, randomBytes } from 'node:crypto';
import { afterEach, expect } from 'vitest';
import type { AccessVerifyResponse, Envelope, SetupPendingResponse, SetupResponse } from '@inkan/protocol';
import { mailedCode, startTestServer, type TestServer } from './test-kit.ts';

/** Shared steps for the envelope tests: each one goes through the API, as a client would. */
export const SENDER = { name: '佐藤 花子', email: 'hanako@sender.example' };
export const COUNTERPARTY = { name: '鈴木 一郎', email: 'ichiro@acme.example' };

export function newEnvelopeRequest(
  overrides: { title?: string; date?: string; counterparty?: string; amount?: number } = {}
) {
  return {
    title: overrides.title ?? '業務委託契約書',
    transaction: {
      date: overrides.date ?? '2026-03-31',
      counterparty: overrides.counterparty ?? '株式会社ACME',
      amount: overrides.amount ?? 1_100_000
    },
    participants: [
      {
        role: 'sender',
        ...SENDER,
        signingType: 'jitsuin',
        fields: [{ page: 1, x: 50, y: 60, width: 120, height: 50 }]
      },
      {
        role: 'counterparty',
        ...COUNTERPARTY,
        signingType: 'keiyakuin',
        fields: [{ page: 1, x: 300, y: 60, width: 120, height: 50 }]
      }
    ]
  };
}

export async function json<T>(res: Response, status: number): Promise<T> {
  const body = await res.json();
  expect(res.status, JSON.stringify(body)).toBe(status);
  return body as T;
}

export async function errorCode(res: Response | Promise<Response>): Promise<[number, string]> {
  const r = await res;
  return [r.status, ((await r.json()) as { error: { code: string } }).error.code];
}

/** Claims the server as SENDER: asks for the setup code, reads it from the real SMTP capture, verifies it. */
export async function setupSender(s: TestServer, who: { name: string; email: string } = SENDER): Promise<string> {
  await json<SetupPendingResponse>(await s.call('POST', '/setup', { json: who }), 202);
  const code = mailedCode(s.mailbox, who.email);
  return (await json<SetupResponse>(await s.call('POST', '/setup/verify', { json: { email: who.email, code } }), 201))
    .token;
}

export async function upload(
  s: TestServer,
  token: string,
  bytes: Uint8Array<ArrayBuffer> = randomBytes(2000)
): Promise<string> {
  const r = await json<{ id: string; size: number }>(await s.call('PUT', '/blobs', { token, body: bytes }), 201);
  expect(r).toEqual({ id: createHash('sha256').update(bytes).digest('hex'), size: bytes.length });
  return r.id;
}

export async function createEnvelope(s: TestServer, token: string, req = newEnvelopeRequest()): Promise<Envelope> {
  return json<Envelope>(await s.call('POST', '/envelopes', { token, json: req }), 201);
}

export async function addRevision(
  s: TestServer,
  token: string,
  id: string,
  body: { blob: string; previous: string | null; action: string }
): Promise<Response> {
  return s.call('POST', `/envelopes/${id}/revisions`, { token, json: body });
}

/** Sender creates, signs revision 0 and sends; returns the envelope, its head and the signing link's token. */
export async function sentEnvelope(s: TestServer, token: string) {
  const env = await createEnvelope(s, token);
  const head = await upload(s, token);
  await json(await addRevision(s, token, env.id, { blob: head, previous: null, action: 'sign' }), 201);
  await json(await s.call('POST', `/envelopes/${env.id}/send`, { token, json: {} }), 200);
  const link = new URL(/https:\/\/\S+/.exec(s.mailbox.last(COUNTERPARTY.email).text)![0]);
  return { env, head, accessToken: link.searchParams.get('t')! };
}

/** The counterparty asks for a code, reads it from the mailbox and exchanges it for a session. */
export async function counterpartySession(s: TestServer, id: string, accessToken: string): Promise<string> {
  await json(await s.call('POST', `/envelopes/${id}/access`, { json: { token: accessToken } }), 200);
  const code = lastCode(s);
  const r = await json<AccessVerifyResponse>(
    await s.call('POST', `/envelopes/${id}/access/verify`, { json: { token: accessToken, code } }),
    200
  );
  return r.token;
}

export function lastCode(s: TestServer): string {
  return mailedCode(s.mailbox, COUNTERPARTY.email);
}

/** Test servers started through the returned function are closed (with their mailbox) after each test. */
export function useServers(): (opts?: Parameters<typeof startTestServer>[0]) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterEach(async () => {
    const started = servers.splice(0);
    for (const s of started) s.close();
    for (const mailbox of new Set(started.map((s) => s.mailbox))) await mailbox.stop();
  });
  return async (opts) => {
    const s = await startTestServer(opts);
    servers.push(s);
    return s;
  };
}
