// One bench case in its own process (so peak RSS is this case's alone):
//   node --import tsx bench/lib/signing-case.mjs CASE FILE P12 RUNS  → prints one JSON line
// CASE: limit | inkan | signpdf | libpdf. Every case uses the same RSA-2048 key from the same PKCS#12.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [kind, file, p12Path, runsArg] = process.argv.slice(2);
const runs = Number(runsArg ?? 5);
const p12 = new Uint8Array(readFileSync(p12Path));

async function setup() {
  if (kind === 'limit' || kind === 'inkan') {
    const { createPkcs12Signer } = await import('@inkan/pki');
    const signer = await createPkcs12Signer({ pfx: p12, password: 'test' });
    if (kind === 'limit')
      // the floor: hash the whole file once (node:crypto, no copy) and make one signature with the same key
      return async (bytes) => {
        const d = new Uint8Array(createHash('sha256').update(bytes).digest());
        await signer.signRaw({ data: d }, 'SHA-256');
        return bytes.length;
      };
    const { signPdf } = await import('@inkan/pades');
    const { nodeDigester } = await import('@inkan/pades/node');
    return async (bytes) => (await signPdf(bytes, signer, { level: 'B-B', digester: nodeDigester })).length;
  }
  if (kind === 'signpdf') {
    const { PDFDocument } = await import('pdf-lib');
    const { pdflibAddPlaceholder } = await import('@signpdf/placeholder-pdf-lib');
    const { P12Signer } = await import('@signpdf/signer-p12');
    const signpdf = (await import('@signpdf/signpdf')).default;
    const p12Buffer = readFileSync(p12Path);
    return async (bytes) => {
      // a P12Signer consumes its forge buffer on first use: one per signature
      const signer = new P12Signer(p12Buffer, { passphrase: 'test' });
      const doc = await PDFDocument.load(bytes);
      pdflibAddPlaceholder({
        pdfDoc: doc,
        reason: 'bench',
        contactInfo: '',
        name: 'bench',
        location: '',
        subFilter: 'ETSI.CAdES.detached'
      });
      const withPlaceholder = Buffer.from(await doc.save({ useObjectStreams: false }));
      return (await signpdf.sign(withPlaceholder, signer)).length;
    };
  }
  if (kind === 'libpdf') {
    const { PDF, P12Signer } = await import('@libpdf/core');
    const signer = await P12Signer.create(p12, 'test');
    return async (bytes) => {
      const pdf = await PDF.load(bytes);
      return (await pdf.sign({ signer, reason: 'bench' })).bytes.length;
    };
  }
  throw new Error(`unknown case ${kind}`);
}

const op = await setup();
const input = new Uint8Array(readFileSync(file));
const times = [];
let outLen = 0;
await op(input.slice()); // warm-up (JIT, key import)
for (let i = 0; i < runs; i++) {
  const bytes = input.slice();
  const t = performance.now();
  outLen = await op(bytes);
  times.push(performance.now() - t);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
const peakRssMb = process.resourceUsage().maxRSS / 1024;
console.log(
  JSON.stringify({
    kind,
    median,
    times,
    appended: kind === 'limit' ? 0 : outLen - input.length,
    peakRssMb,
    sha: createHash('sha256').update(input).digest('hex').slice(0, 8)
  })
);
