import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { EnvelopeEvent, EventChainVerification } from '@inkan/protocol';
import { counterpartySession, errorCode, json, sentEnvelope, setupSender, useServers } from './fixtures.ts';

const server = useServers();

describe('GET /api/envelopes/:id/events/verify', () => {
  it('reports an intact chain to both parties, and the first broken event after a row is edited in SQLite', async () => {
    const s = await server();
    const token = await setupSender(s);
    const { env, accessToken } = await sentEnvelope(s, token);
    const other = await sentEnvelope(s, token);
    const cp = await counterpartySession(s, env.id, accessToken);
    const verify = (t?: string, id = env.id) => s.call('GET', `/envelopes/${id}/events/verify`, { token: t });

    const events = await json<EnvelopeEvent[]>(await s.call('GET', `/envelopes/${env.id}/events`, { token }), 200);
    const intact = { intact: true, count: events.length, headHash: events.at(-1)!.hash };
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(await json<EventChainVerification>(await verify(token), 200)).toEqual(intact);
    expect(await json<EventChainVerification>(await verify(cp), 200)).toEqual(intact);
    expect(await errorCode(verify())).toEqual([401, 'UNAUTHENTICATED']);
    expect(await errorCode(verify(cp, other.env.id))).toEqual([404, 'ENVELOPE_NOT_FOUND']);

    // Someone with the database file, not the API: drops the append-only trigger and rewrites who sent it.
    const sent = events.find((e) => e.type === 'sent')!;
    const raw = new Database(join(s.dir, 'inkan.sqlite'));
    raw.exec('DROP TRIGGER events_append_only_update');
    raw
      .prepare('UPDATE events SET email = ? WHERE envelope_id = ? AND seq = ?')
      .run('mallory@evil.example', env.id, sent.seq);
    raw.close();
    const broken = await json<EventChainVerification>(await verify(cp), 200);
    expect(broken).toEqual({ ...intact, intact: false, firstBrokenSeq: sent.seq });
    // The other envelope's chain is untouched.
    expect(await json<EventChainVerification>(await verify(token, other.env.id), 200)).toMatchObject({ intact: true });
  });
});
