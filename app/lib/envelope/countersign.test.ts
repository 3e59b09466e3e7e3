// @vitest-environment node
/**
 * The envelope journey without a browser: the app modules (send, SigningSession, countersign) against the real
 * server (createApp, SQLite, files, SMTP listener), signed with make-pki's openssl signer and the reference openssl
 * TSA (nobody on this project wrote either), judged by verify-pdf.sh's facts at B-LTA.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Signer } from '@inkan/pki';
import type { Envelope } from '@inkan/protocol';
import {
  decrypt,
  generateDeviceKey,
  generateRecoveryKey,
  importPrivateKey,
  importPublicKey,
  newLinkSecret,
  unwrapWithPrivateKey
} from '@inkan/vault';
import { pdfsig, startJudges, verifyPdf, type Judges } from '../../../packages/pades/test/judges.ts';
import { opensslSigner } from '../../../packages/pades/test/signers.ts';
import { plainPdf } from '../../../packages/pades/test/fixtures.ts';
import { mailedCode, startTestServer, type Mailbox, type TestServer } from '../../../server/src/envelopes/test-kit.ts';
import { EnvelopeApi } from './api.ts';
import { sendEnvelope } from './send.ts';
import { localEngine, signAsParticipant, type SigningServices } from './countersign.ts';
import { SigningSession } from './signing-session.svelte.ts';
import { SenderEnvelope } from './sender-envelope.svelte.ts';

const SENDER = { name: 'Hanako Sato', email: 'hanako@sender.example' };
const COUNTERPARTY = { name: 'Ichiro Suzuki', email: 'ichiro@acme.example' };

let j: Judges;
let s: TestServer;
let signer: Signer;
let services: SigningServices;
let recovery: { publicKey: string; privateKeyPkcs8: string };

beforeAll(async () => {
  j = await startJudges({ tsa: true });
  signer = await opensslSigner(j);
  services = { signer, tsa: { url: j.tsaUrl! }, fetch };
  recovery = await generateRecoveryKey();
  s = await startTestServer({ recoveryPublicKey: recovery.publicKey });
});
afterAll(async () => {
  s?.close();
  await s?.mailbox.stop();
  await j?.stop();
});

/** The counterparty's tab: link from the invitation mail, code from the mailbox, document open. */
async function openAsCounterparty(
  server: TestServer,
  client: EnvelopeApi,
  envelope: Envelope,
  secrets: Record<string, string>
): Promise<SigningSession> {
  const them = envelope.participants[1];
  const link = new URL(/https:\/\/\S+/.exec(server.mailbox.last(COUNTERPARTY.email).text)![0]);
  const session = new SigningSession(
    { envelopeId: envelope.id, accessToken: link.searchParams.get('t'), secret: secrets[them.id] },
    client,
    null
  );
  await session.requestCode();
  await session.verify(/確認コード: (\d{6})/.exec(server.mailbox.last(COUNTERPARTY.email).text)![1]);
  return session;
}

const api = () => new EnvelopeApi(null, '', async (url, init) => s.app.request(url, init));

/** The sender claims the server: setup mails a code, the code from the mailbox gives the session. */
async function claimSender(client: EnvelopeApi, mailbox: Mailbox): Promise<EnvelopeApi> {
  await client.setup(SENDER);
  const { token } = await client.verifySetup({ email: SENDER.email, code: mailedCode(mailbox, SENDER.email) });
  return client.withToken(token);
}

describe('envelope journey through the app modules', () => {
  it('sender signs and sends; counterparty opens, signs, finalizes to B-LTA; the sender decrypts a valid PDF', async () => {
    const sender = await claimSender(api(), s.mailbox);
    const device = await generateDeviceKey();
    const request = {
      title: 'Service agreement',
      transaction: { date: '2026-03-31', counterparty: 'ACME K.K.', amount: 1_100_000 },
      participants: [
        {
          role: 'sender' as const,
          ...SENDER,
          signingType: 'jitsuin' as const,
          fields: [{ page: 1, x: 50, y: 60, width: 160, height: 56 }]
        },
        {
          role: 'counterparty' as const,
          ...COUNTERPARTY,
          signingType: 'keiyakuin' as const,
          fields: [{ page: 1, x: 300, y: 60, width: 160, height: 56 }]
        }
      ]
    };
    // The sender signs in their browser before sending (here with the openssl test signer as their key).
    const senderSigned = await signAsParticipant(
      await plainPdf(1),
      { id: 'sender', status: 'pending', signedAt: null, ...request.participants[0] },
      services
    );
    const { envelope, secrets } = await sendEnvelope(sender, {
      request,
      pdf: [senderSigned],
      signed: true,
      deviceKey: device
    });
    expect(envelope.status).toBe('sent');
    const them = envelope.participants[1];
    const link = new URL(/https:\/\/\S+/.exec(s.mailbox.last(COUNTERPARTY.email).text)![0]);
    // By default the server never sees the key: the mailed link has no #k=, the sender passes it on by hand.
    expect(link.hash).toBe('');
    expect(s.mailbox.last(COUNTERPARTY.email).text).not.toContain(secrets[them.id]);

    // The counterparty's tab: the key is typed in; garbage is refused at once, a wrong key decrypts nothing.
    const session = new SigningSession(
      { envelopeId: envelope.id, accessToken: link.searchParams.get('t'), secret: null },
      api(),
      null
    );
    expect(session.phase).toBe('missing-secret');
    await session.useKey('not a key');
    expect([session.phase, session.problem?.code]).toEqual(['missing-secret', 'KEY_MALFORMED']);
    await session.useKey(newLinkSecret());
    expect(session.phase).toBe('start');
    await session.requestCode();
    expect(session.phase).toBe('code-sent');
    await session.verify(/確認コード: (\d{6})/.exec(s.mailbox.last(COUNTERPARTY.email).text)![1]);
    expect([session.phase, session.problem?.code, session.pdf]).toEqual(['missing-secret', 'VAULT_WRONG_KEY', null]);
    // A pasted link holding the right key opens it, with the session from the code (no new code).
    await session.useKey(`  https://inkan.test/sign/${envelope.id}#k=${secrets[them.id]}\n`);
    expect(session.problem).toBeNull();
    expect(session.phase).toBe('ready');
    expect(Buffer.from(session.pdf!).equals(Buffer.from(senderSigned))).toBe(true);

    const mailsBefore = s.mailbox.mails.length;
    await session.sign(localEngine(services));
    expect(session.problem).toBeNull();
    expect(session.phase).toBe('completed');
    expect(session.envelope!.revisions.map((r) => r.action)).toEqual(['sign', 'sign', 'finalize']);
    expect(s.mailbox.mails.slice(mailsBefore).map((m) => m.to[0])).toEqual([SENDER.email, COUNTERPARTY.email]);

    // Back on the sender's device (the page the completion mail links to): decrypt the head with the device key.
    const view = new SenderEnvelope(
      envelope.id,
      async () => sender,
      async () => device,
      async (id) => ({ secrets: id === envelope.id ? secrets : {}, mailed: false })
    );
    await view.load();
    expect(view.secrets).toEqual(secrets);
    expect(view.problem).toBeNull();
    expect(view.verification).toMatchObject({ intact: true, count: view.events.length });
    expect(view.envelope!.status).toBe('completed');
    expect(view.events.filter((e) => !['revision', 'access'].includes(e.type)).map((e) => e.type)).toEqual([
      'created',
      'signed',
      'sent',
      'viewed',
      'signed',
      'completed'
    ]);
    const pdf = view.pdf!;
    expect(Buffer.from(pdf).equals(Buffer.from(session.pdf!))).toBe(true);
    expect(Buffer.from(pdf.subarray(0, senderSigned.length)).equals(Buffer.from(senderSigned))).toBe(true);
    // Years later, every device lost: the organisation's offline recovery key still opens the final document.
    const rescue = view.envelope!.wrappedKeys.find((k) => k.key.kind === 'recovery')!;
    const recoveryPair = {
      privateKey: await importPrivateKey(recovery.privateKeyPkcs8),
      publicKey: await importPublicKey(recovery.publicKey)
    };
    const recovered = await decrypt(
      await unwrapWithPrivateKey(rescue.key, recoveryPair),
      await sender.downloadBlob(view.envelope!.head!)
    );
    expect(Buffer.from(recovered).equals(Buffer.from(pdf))).toBe(true);
    const file = join(mkdtempSync(join(tmpdir(), 'inkan-journey-')), 'final.pdf');
    writeFileSync(file, pdf);
    const v = await verifyPdf(file, j.rootPem, { level: 'B-LTA' });
    expect(v.verdict, v.output).toBe('PASS');
    expect(v.levels.map((l) => l.level)).toEqual(['B-LTA', 'B-LTA']);
    // pdfsig: both signatures cryptographically valid. (Its trust verdict for the second signature by the same
    // certificate is 'Unknown issue' even on plain pades output — reported to the signing engineer.)
    const sigs = (await pdfsig(file, j.rootPem)).signatures.filter((x) => x.field?.startsWith('Inkan-'));
    expect(sigs.map((x) => [x.field, x.valid])).toEqual([
      ['Inkan-sender-sender', true],
      [`Inkan-counterparty-${them.id}`, true]
    ]);
    expect(sigs[0].trusted).toBe(true);
  });

  it('refuses to sign with the TSA down and uploads nothing', async () => {
    // A fresh server for a clean sender profile.
    const t = await startTestServer({ mailbox: s.mailbox, recoveryPublicKey: recovery.publicKey });
    const tApi = () => new EnvelopeApi(null, '', async (url, init) => t.app.request(url, init));
    const owner = await claimSender(tApi(), s.mailbox);
    const { envelope, secrets } = await sendEnvelope(owner, {
      request: {
        title: 'NDA',
        transaction: { date: '2026-04-01', counterparty: 'ACME K.K.', amount: 0 },
        participants: [
          { role: 'sender', ...SENDER, signingType: 'jitsuin', fields: [] },
          { role: 'counterparty', ...COUNTERPARTY, signingType: 'keiyakuin', fields: [] }
        ]
      },
      pdf: [await plainPdf(1)],
      signed: false,
      deviceKey: await generateDeviceKey()
    });
    const session = await openAsCounterparty(t, tApi(), envelope, secrets);
    expect(session.phase).toBe('ready');
    await session.sign(localEngine({ ...services, tsa: { url: `http://127.0.0.1:${j.port}/no-such-tsa` } }));
    expect(session.phase).toBe('ready');
    expect(session.problem?.code).toMatch(/^TSA_/);
    expect((await owner.envelope(envelope.id)).revisions).toHaveLength(1);
    t.close();
  });
});

describe('the sender signs last', () => {
  it('counterparty first, then the sender from the envelope page: completed at B-LTA', async () => {
    const t = await startTestServer({ mailbox: s.mailbox, recoveryPublicKey: recovery.publicKey });
    const tApi = () => new EnvelopeApi(null, '', async (url, init) => t.app.request(url, init));
    const owner = await claimSender(tApi(), s.mailbox);
    const device = await generateDeviceKey();
    const { envelope, secrets } = await sendEnvelope(owner, {
      request: {
        title: 'Lease',
        transaction: { date: '2026-04-02', counterparty: 'ACME K.K.', amount: 240_000 },
        participants: [
          {
            role: 'sender',
            ...SENDER,
            signingType: 'jitsuin',
            fields: [{ page: 1, x: 50, y: 60, width: 160, height: 56 }]
          },
          {
            role: 'counterparty',
            ...COUNTERPARTY,
            signingType: 'keiyakuin',
            fields: [{ page: 1, x: 300, y: 60, width: 160, height: 56 }]
          }
        ]
      },
      pdf: [await plainPdf(1)],
      signed: false,
      deviceKey: device
    });
    const session = await openAsCounterparty(t, tApi(), envelope, secrets);
    await session.sign(localEngine(services));
    expect(session.problem).toBeNull();
    // The sender has not signed yet: the counterparty's signature alone does not complete the envelope.
    expect(session.phase).toBe('signed');
    expect(session.envelope!.status).toBe('sent');

    const view = new SenderEnvelope(
      envelope.id,
      async () => owner,
      async () => device,
      async (id) => ({ secrets: id === envelope.id ? secrets : {}, mailed: false })
    );
    await view.load();
    expect(view.secrets).toEqual(secrets);
    expect(view.mayStillSign).toBe(true);
    await view.sign(localEngine(services));
    expect(view.problem).toBeNull();
    expect(view.envelope!.status).toBe('completed');
    expect(view.mayStillSign).toBe(false);
    expect(view.envelope!.revisions.map((r) => r.action)).toEqual(['draft', 'sign', 'sign', 'finalize']);
    const file = join(mkdtempSync(join(tmpdir(), 'inkan-journey-')), 'final.pdf');
    writeFileSync(file, view.pdf!);
    const v = await verifyPdf(file, j.rootPem, { level: 'B-LTA' });
    expect(v.verdict, v.output).toBe('PASS');
    t.close();
  });
});
