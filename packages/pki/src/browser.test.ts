// The package must run unchanged in a browser: bundle it for the browser platform (no Node built-ins)
// and run signing, verification, PKCS#12 (legacy 3DES, forge ciphers) and CSR in Debian's Chromium.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { chromium, type Browser } from 'playwright';
import { makeReferencePki, type ReferencePki } from './test-support/reference-tsa.ts';

let browser: Browser;
let bundle: string;
let pki: ReferencePki;

beforeAll(async () => {
  const out = await build({
    entryPoints: [new URL('./index.ts', import.meta.url).pathname],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    globalName: 'InkanPki',
    write: false,
    logLevel: 'silent'
  });
  bundle = out.outputFiles[0]!.text;
  pki = makeReferencePki();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking']
  });
});
afterAll(async () => {
  await browser?.close();
});

describe('@inkan/pki in Chromium', () => {
  it('PKCS#12 (3DES) signer → CMS → verifyCms, and a CSR from a non-extractable key', async () => {
    const page = await browser.newPage();
    // WebCrypto needs a secure context: serve the page as http://localhost (no real server).
    await page.route('http://localhost/', (route) =>
      route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>pki</title>' })
    );
    await page.goto('http://localhost/');
    await page.addScriptTag({ content: bundle });
    const p12 = Array.from(readFileSync(pki.file('signer.p12')));
    const result = await page.evaluate(async (p12Bytes) => {
      const P = (globalThis as unknown as { InkanPki: typeof import('./index.ts') }).InkanPki;
      const signer = await P.createPkcs12Signer({ pfx: new Uint8Array(p12Bytes), password: 'test' });
      const content = new TextEncoder().encode('browser content');
      const cms = await P.signCms({ signer, contentDigest: await P.digest('SHA-256', content) });
      const v = await P.verifyCms(cms, { content: [content] });
      const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
        'sign',
        'verify'
      ])) as CryptoKeyPair;
      const csr = await P.readCsr(
        await P.createCsr(keys, { commonName: 'ブラウザ 花子', emailAddress: 'hanako@example.jp' })
      );
      let badPassword = '';
      await P.createPkcs12Signer({ pfx: new Uint8Array(p12Bytes), password: 'wrong' }).catch(
        (e: { code: string }) => (badPassword = e.code)
      );
      return {
        intact: v.intact,
        valid: v.signatureValid,
        cn: v.signer?.commonName,
        csrCn: csr.commonName,
        pop: csr.proofOfPossession,
        badPassword
      };
    }, p12);
    expect(result).toEqual({
      intact: true,
      valid: true,
      cn: 'Test Signer',
      csrCn: 'ブラウザ 花子',
      pop: true,
      badPassword: 'PKI_BAD_PASSWORD'
    });
    await page.close();
  });
});
