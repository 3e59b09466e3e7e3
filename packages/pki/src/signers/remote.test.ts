import { describe, it, expect, beforeAll } from 'vitest';
import { createPrivateKey, privateEncrypt, constants } from 'node:crypto';
import { sharedTestPki, type TestIdentity } from '../testing/index.ts';
import { createRemoteSigner } from './remote.ts';
import { signCms } from '../cms/signed-data.ts';
import { verifyCms } from '../cms/verify.ts';
import { digest } from '../algorithms.ts';
import { fromBase64, toBase64, concatBytes } from '../bytes.ts';
import { OID } from '../oids.ts';

let rsa: TestIdentity;
const content = new TextEncoder().encode('document that never leaves the browser');
// DigestInfo prefix for SHA-256 (RFC 8017 §9.2 note 1)
const SHA256_PREFIX = Uint8Array.from([
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20
]);

beforeAll(async () => {
  rsa = (await sharedTestPki()).signers.rsa;
});

/** A CSC-shaped service that signs a bare SHA-256 hash with RSA PKCS#1 v1.5 (node:crypto). */
function cscService(seen: unknown[], opts: { garbage?: boolean; status?: number } = {}): typeof fetch {
  return async (input, init) => {
    const url = String(input);
    const body = JSON.parse(String(init?.body));
    seen.push({ url, body, auth: (init?.headers as Record<string, string>)?.authorization });
    if (opts.status) return new Response('nope', { status: opts.status });
    if (url.endsWith('/credentials/info'))
      return Response.json({ cert: { certificates: [rsa.certificate, ...rsa.chain].map(toBase64) } });
    const hash = fromBase64(body.hashes[0]);
    const sig = opts.garbage
      ? new Uint8Array(256).fill(1)
      : new Uint8Array(
          privateEncrypt(
            {
              key: createPrivateKey({ key: Buffer.from(rsa.pkcs8), format: 'der', type: 'pkcs8' }),
              padding: constants.RSA_PKCS1_PADDING
            },
            concatBytes(SHA256_PREFIX, hash)
          )
        );
    return Response.json({ signatures: [toBase64(sig)] });
  };
}

describe('remote hash signer (CSC signHash)', () => {
  it('gets the chain from credentials/info, sends only a hash, and the CMS verifies', async () => {
    const seen: { url: string; body: Record<string, unknown>; auth?: string }[] = [];
    const signer = await createRemoteSigner({
      baseUrl: 'https://sign.example/csc/v2/',
      credentialID: 'cred-1',
      fetch: cscService(seen),
      headers: { authorization: 'Bearer t' },
      sad: 'sad-1'
    });
    expect(signer.chain).toHaveLength(2);
    const cms = await signCms({ signer, contentDigest: await digest('SHA-256', content) });
    const v = await verifyCms(cms, { content: [content] });
    expect(v.intact && v.signatureValid).toBe(true);
    const call = seen[1]!;
    expect(call.url).toBe('https://sign.example/csc/v2/signatures/signHash');
    expect(call.auth).toBe('Bearer t');
    expect(call.body).toMatchObject({
      credentialID: 'cred-1',
      SAD: 'sad-1',
      hashAlgorithmOID: OID.sha256,
      signAlgo: OID.rsaEncryption
    });
    expect(fromBase64((call.body.hashes as string[])[0]!)).toHaveLength(32);
    expect(JSON.stringify(call.body)).not.toContain(toBase64(content));
  });

  it('dry run makes no request; a wrong answer or HTTP error → PKI_REMOTE_SIGNER_FAILED', async () => {
    const seen: unknown[] = [];
    const signer = await createRemoteSigner({
      baseUrl: 'https://s.example',
      credentialID: 'c',
      certificate: rsa.certificate,
      fetch: cscService(seen, { garbage: true })
    });
    expect(await signer.signRaw({ data: content }, 'SHA-256', { dryRun: true })).toHaveLength(256);
    expect(seen).toHaveLength(0);
    await expect(signer.signRaw({ data: content }, 'SHA-256')).rejects.toMatchObject({
      code: 'PKI_REMOTE_SIGNER_FAILED'
    });
    const denied = await createRemoteSigner({
      baseUrl: 'https://s.example',
      credentialID: 'c',
      certificate: rsa.certificate,
      fetch: cscService([], { status: 401 })
    });
    await expect(denied.signRaw({ digest: await digest('SHA-256', content) }, 'SHA-256')).rejects.toMatchObject({
      code: 'PKI_REMOTE_SIGNER_FAILED'
    });
  });
});
