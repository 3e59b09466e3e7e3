import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import type { Envelope } from '@inkan/protocol';
import {
  addRevision,
  counterpartySession,
  createEnvelope,
  errorCode,
  json,
  sentEnvelope,
  setupSender,
  upload,
  useServers
} from './fixtures.ts';

const server = useServers();

describe('revision chain', () => {
  it('accepts exactly one of two concurrent signatures on the same head; the other gets REVISION_CONFLICT', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, head, accessToken } = await sentEnvelope(s, token);
    const cp = await counterpartySession(s, env.id, accessToken);
    // The counterparty signs in two tabs at once: both revisions extend the same head.
    const [a, b] = await Promise.all([upload(s, cp), upload(s, cp)]);
    const outcomes = await Promise.all(
      [a, b].map((blob) => addRevision(s, cp, env.id, { blob, previous: head, action: 'sign' }))
    );
    expect(outcomes.map((o) => o.status).sort()).toEqual([201, 409]);
    const loser = outcomes.find((o) => o.status === 409)!;
    expect(((await loser.json()) as { error: { code: string } }).error.code).toBe('REVISION_CONFLICT');
    const state = await json<Envelope>(await s.call('GET', `/envelopes/${env.id}`, { token }), 200);
    expect(state.revisions).toHaveLength(2);
    expect([a, b]).toContain(state.head);
    expect(state.revisions[1].previous).toBe(head);
  });

  it('answers 409 REVISION_CONFLICT to a stale previous, keeps the head and the refused blob, and takes the retry', async () => {
    const s = await server();
    const token = await setupSender(s);
    const env = await createEnvelope(s, token);
    const r0 = await upload(s, token);
    await json(await addRevision(s, token, env.id, { blob: r0, previous: null, action: 'draft' }), 201);
    const r1 = await upload(s, token);
    const r2 = await upload(s, token);
    // Two tabs each extend r0; all requests race.
    const outcomes = await Promise.all(
      [r1, r2].map((blob) => addRevision(s, token, env.id, { blob, previous: r0, action: 'draft' }))
    );
    const statuses = outcomes.map((o) => o.status).sort();
    expect(statuses).toEqual([201, 409]);
    const loser = outcomes.find((o) => o.status === 409)!;
    const body = (await loser.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('REVISION_CONFLICT');
    const winner = (await json<Envelope>(await s.call('GET', `/envelopes/${env.id}`, { token }), 200)).head!;
    const lost = winner === r1 ? r2 : r1;
    // Nothing lost: the refused upload is still downloadable, and succeeds once rebased on the new head.
    expect((await s.call('GET', `/blobs/${lost}`, { token })).status).toBe(200);
    expect(await errorCode(addRevision(s, token, env.id, { blob: lost, previous: null, action: 'draft' }))).toEqual([
      409,
      'REVISION_CONFLICT'
    ]);
    const retried = await json<Envelope>(
      await addRevision(s, token, env.id, { blob: lost, previous: winner, action: 'draft' }),
      201
    );
    expect(retried.revisions.map((r) => r.blob)).toEqual([r0, winner, lost]);
  });

  it('refuses revisions that do not fit the lifecycle', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, head, accessToken } = await sentEnvelope(s, token);
    const cp = await counterpartySession(s, env.id, accessToken);
    const blob = await upload(s, cp);
    expect(await errorCode(addRevision(s, cp, env.id, { blob, previous: head, action: 'draft' }))).toEqual([
      403,
      'FORBIDDEN'
    ]);
    expect(await errorCode(addRevision(s, cp, env.id, { blob, previous: head, action: 'finalize' }))).toEqual([
      409,
      'ENVELOPE_STATE'
    ]);
    expect(await errorCode(addRevision(s, token, env.id, { blob, previous: head, action: 'sign' }))).toEqual([
      409,
      'ENVELOPE_STATE'
    ]);
    expect(
      await errorCode(addRevision(s, cp, env.id, { blob: 'a'.repeat(64), previous: head, action: 'sign' }))
    ).toEqual([404, 'BLOB_NOT_FOUND']);
    expect(await errorCode(addRevision(s, cp, env.id, { blob: 'nope', previous: head, action: 'sign' }))).toEqual([
      400,
      'INVALID_REQUEST'
    ]);
  });
});

describe('restart', () => {
  it('continues after the server is stopped between steps: same database, same blob folder', async () => {
    const first = await server();
    const token = await setupSender(first);
    const { env, head, accessToken } = await sentEnvelope(first, token);
    // Code requested before the restart, entered after it.
    await json(await first.call('POST', `/envelopes/${env.id}/access`, { json: { token: accessToken } }), 200);
    const code = /確認コード: (\d{6})/.exec(first.mailbox.mails.at(-1)!.text)![1];
    first.close();

    const second = await server({ dir: first.dir, mailbox: first.mailbox });
    const cp = (
      await json<{ token: string }>(
        await second.call('POST', `/envelopes/${env.id}/access/verify`, { json: { token: accessToken, code } }),
        200
      )
    ).token;
    const before = await second.call('GET', `/blobs/${head}`, { token });
    expect(before.status).toBe(200);
    const next = await upload(second, cp, randomBytes(5000));
    const signed = await json<Envelope>(
      await addRevision(second, cp, env.id, { blob: next, previous: head, action: 'sign' }),
      201
    );
    expect(signed.status).toBe('signed');
    second.close();

    const third = await server({ dir: first.dir, mailbox: first.mailbox });
    const final = await upload(third, token, randomBytes(6000));
    const done = await json<Envelope>(
      await addRevision(third, token, env.id, { blob: final, previous: next, action: 'finalize' }),
      201
    );
    expect(done.status).toBe('completed');
    expect(done.revisions).toHaveLength(3);
    const events = await json<{ type: string }[]>(
      await third.call('GET', `/envelopes/${env.id}/events`, { token }),
      200
    );
    expect(events.map((e) => e.type).filter((t) => t !== 'revision' && t !== 'access')).toEqual([
      'created',
      'signed',
      'sent',
      'signed',
      'completed'
    ]);
  });
});
