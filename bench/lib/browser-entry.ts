// Browser side of bench/browser-signing.bench.mjs: signs with WebCrypto only (no node:crypto), as the PWA does.
import { createPkcs8Signer } from '@inkan/pki';
import { signPdf } from '@inkan/pades';

declare global {
  interface Window {
    benchSign(
      url: string,
      key: { pkcs8: number[]; certificate: number[]; chain: number[][] },
      runs: number
    ): Promise<unknown>;
  }
}

window.benchSign = async (url, key, runs) => {
  const input = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const signer = await createPkcs8Signer({
    pkcs8: new Uint8Array(key.pkcs8),
    certificate: new Uint8Array(key.certificate),
    chain: key.chain.map((c) => new Uint8Array(c))
  });
  const times: number[] = [];
  const limits: number[] = [];
  let appended = 0;
  await signPdf(input.slice(), signer, { level: 'B-B' }); // warm-up
  for (let i = 0; i < runs; i++) {
    const bytes = input.slice();
    const t0 = performance.now();
    const out = await signPdf(bytes, signer, { level: 'B-B' });
    const t1 = performance.now();
    const d = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
    await signer.signRaw({ data: d }, 'SHA-256');
    const t2 = performance.now();
    times.push(t1 - t0);
    limits.push(t2 - t1);
    appended = out.length - input.length;
  }
  const median = (a: number[]) => a.sort((x, y) => x - y)[Math.floor(a.length / 2)];
  return { median: median(times), limit: median(limits), appended };
};
