import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { Draft } from '../drafts/draft.ts';
import { DraftStore } from '../drafts/store.ts';
import { EnvelopeDraft, parseYen, type Deliver } from './envelope-draft.svelte.ts';

const draft: Draft = {
  id: 'd1',
  title: '業務委託契約書',
  fileName: '業務委託契約書.pdf',
  createdAt: 1,
  size: 10,
  pageCount: 2,
  sha256: '0'.repeat(64)
};

async function fresh(name: string) {
  const store = new DraftStore(name);
  await store.add(draft, new Blob(['%PDF-']));
  // fake-indexeddb cannot clone Blobs under Node: hand back the PDF as Chromium's IndexedDB would.
  store.pdf = async () => new Blob(['%PDF-']);
  let n = 0;
  return { store, envelope: new EnvelopeDraft(store, draft, () => `f${++n}`, 0) };
}

function fillAll(e: EnvelopeDraft) {
  e.setup.sender = { name: '佐藤 一郎', email: 'ichiro@example.jp' };
  e.setup.counterparty = { name: '山田 花子', email: 'hanako@example.co.jp', signingType: 'jitsuin' };
  e.setup.transaction = { date: '2026-11-25', counterparty: '株式会社サンプル', amount: '¥1,100,000' };
  e.addField(1, { x: 300, y: 100, width: 180, height: 60 }, 'counterparty');
  e.addField(2, { x: 60, y: 100, width: 5, height: 5 }, 'sender');
}

describe('EnvelopeDraft', () => {
  it('lists what is missing, then becomes ready and builds the envelope API request', async () => {
    const { store, envelope } = await fresh('env-1');
    expect(envelope.problems).toContain('counterpartyEmail');
    expect(envelope.problems).toContain('senderField');
    fillAll(envelope);
    expect(envelope.problems).toEqual([]);
    const request = envelope.toEnvelopeRequest();
    expect(request.transaction).toEqual({
      date: '2026-11-25',
      counterparty: '株式会社サンプル',
      amount: 1_100_000,
      currency: 'JPY'
    });
    expect(request.participants[1]).toMatchObject({
      role: 'counterparty',
      signingType: 'jitsuin',
      fields: [{ page: 1, x: 300, y: 100, width: 180, height: 60 }]
    });
    // A tiny rectangle (a tap) grows to the default field size.
    expect(request.participants[0]!.fields).toEqual([{ page: 2, x: 60, y: 100, width: 160, height: 56 }]);
    store.close();
  });

  it('refuses the same e-mail for both parties', async () => {
    const { store, envelope } = await fresh('env-2');
    fillAll(envelope);
    envelope.setup.counterparty.email = 'ICHIRO@example.jp';
    expect(envelope.problems).toEqual(['sameEmail']);
    store.close();
  });

  it('saves title and setup on the draft; a new session sees them', async () => {
    const { store, envelope } = await fresh('env-3');
    fillAll(envelope);
    envelope.title = '業務委託契約書（改訂）';
    envelope.changed();
    await envelope.flush();
    expect(envelope.saveState).toBe('saved');
    const stored = (await store.get('d1'))!;
    expect(stored.title).toBe('業務委託契約書（改訂）');
    const again = new EnvelopeDraft(store, stored);
    expect(again.setup.fields).toHaveLength(2);
    expect(again.ready).toBe(true);
    again.removeField('f1');
    expect(again.problems).toEqual(['counterpartyField']);
    store.close();
  });
});

describe('EnvelopeDraft.send', () => {
  it('refuses while incomplete, then delivers the request with the PDF bytes and marks the draft sent', async () => {
    const { store, envelope } = await fresh('env-4');
    const calls: { title: string; pdf: number }[] = [];
    const deliver = async (request: { title: string }, pdf: Uint8Array) => {
      calls.push({ title: request.title, pdf: pdf.length });
      return { envelope: { id: 'env_0123456789012345678901' } };
    };
    expect(await envelope.send(deliver)).toBe(false);
    expect(calls).toEqual([]);
    fillAll(envelope);
    expect(await envelope.send(deliver, () => 42)).toBe(true);
    expect(calls).toEqual([{ title: '業務委託契約書', pdf: 5 }]);
    expect((await store.get('d1'))!.sent).toEqual({ envelopeId: 'env_0123456789012345678901', at: 42 });
    expect(await envelope.send(deliver)).toBe(false); // once only
    store.close();
  });

  it('keeps the error code when delivery fails, and the draft stays unsent', async () => {
    const { store, envelope } = await fresh('env-5');
    fillAll(envelope);
    const fail = async () => {
      throw Object.assign(new Error('conflict'), { code: 'SETUP_DONE' });
    };
    expect(await envelope.send(fail)).toBe(false);
    expect([envelope.sendError, envelope.sent, envelope.sending]).toEqual(['SETUP_DONE', null, false]);
    expect(await envelope.send(async () => Promise.reject(new TypeError('Failed to fetch')))).toBe(false);
    expect(envelope.sendError).toBe('NETWORK');
    expect((await store.get('d1'))!.sent).toBeUndefined();
    store.close();
  });
});

describe('EnvelopeDraft.send options', () => {
  it('signs first, keeps the key off the mail by default, reports steps and asks for the sender code', async () => {
    const { store, envelope } = await fresh('env-6');
    fillAll(envelope);
    expect(envelope.signsFirst).toBe(true);
    const seen: unknown[] = [];
    const deliver: Deliver = async (request, _pdf, options) => {
      seen.push(request.participants[0]!.signingType, options.sign, options.mailSecret);
      options.onStep('sign');
      seen.push(envelope.step);
      const code = options.askCode('h***@example.jp', null);
      seen.push(envelope.verification);
      envelope.submitCode(' 123456 ');
      seen.push(await code, envelope.verification?.checking);
      return { envelope: { id: 'env_0123456789012345678901' } };
    };
    expect(await envelope.send(deliver)).toBe(true);
    expect(seen).toEqual([
      'jitsuin',
      true,
      false,
      'sign',
      { sentTo: 'h***@example.jp', problem: null, checking: false },
      '123456',
      true
    ]);
    expect([envelope.step, envelope.verification]).toEqual([null, null]);
    store.close();
  });

  it('passes the opt-in mail key, and stopping at the code sends nothing', async () => {
    const { store, envelope } = await fresh('env-7');
    fillAll(envelope);
    envelope.keyDelivery = 'mail';
    let mailSecret: boolean | undefined;
    const deliver: Deliver = async (_r, _p, options) => {
      mailSecret = options.mailSecret;
      const code = options.askCode('h***@example.jp', null);
      envelope.cancelCode();
      await code;
      return { envelope: { id: 'env_0123456789012345678901' } };
    };
    expect(await envelope.send(deliver)).toBe(false);
    expect([mailSecret, envelope.sendError, envelope.sent]).toEqual([true, 'SEND_CANCELLED', null]);
    expect((await store.get('d1'))!.sent).toBeUndefined();
    store.close();
  });
});

describe('parseYen', () => {
  it.each([
    ['1100000', 1_100_000],
    ['¥1,100,000', 1_100_000],
    ['１，１００円', 1100],
    ['0', 0],
    ['', null],
    ['12.5', null],
    ['-3', null]
  ])('%s → %s', (text, yen) => expect(parseYen(text)).toBe(yen));
});
