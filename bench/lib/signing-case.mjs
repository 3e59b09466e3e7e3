// One bench case in its own process, run from the plain-JS bundle that bench/signing.bench.mjs builds with
// esbuild (no tsx loader resident, so peak RSS is the signer's own plus Node's baseline):
//   node bench/tmp/signing-case/signing-case.js CASE FILE P12 RUNS   → timing: warm-up, then RUNS runs, each
//                                                                     paired with a run of the limit
//   node bench/tmp/signing-case/signing-case.js CASE FILE P12 once   → memory: read the file once, sign once
// Prints one JSON line. CASE: limit | inkan | signpdf | libpdf; every case uses the same RSA-2048 key.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const [kind, file, p12Path, runsArg] = process.argv.slice(2);
const once = runsArg === 'once';
const runs = once ? 1 : Number(runsArg ?? 5);
const p12 = new Uint8Array(readFileSync(p12Path));
const length = (out) => (Array.isArray(out) ? out.reduce((n, c) => n + c.length, 0) : out.length);

/** The file as a plain Uint8Array over the bytes read (readFileSync's Buffer, not copied). */
function readInput() {
  const b = readFileSync(file);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

/** The floor: hash the whole file once (node:crypto, no copy) and make one signature with the same key. */
async function limitOp() {
  const { createPkcs12Signer } = await import('@inkan/pki');
  const signer = await createPkcs12Signer({ pfx: p12, password: 'test' });
  return async (bytes) => {
    const d = new Uint8Array(createHash('sha256').update(bytes).digest());
    await signer.signRaw({ data: d }, 'SHA-256');
    return bytes.length;
  };
}

async function setup() {
  if (kind === 'limit') return limitOp();
  if (kind === 'inkan') {
    const { createPkcs12Signer } = await import('@inkan/pki');
    const signer = await createPkcs12Signer({ pfx: p12, password: 'test' });
    const { signPdfChunks } = await import('@inkan/pades');
    const { nodeDigester } = await import('@inkan/pades/node');
    // the chunked result, as `inkan sign` writes it: the input followed by the new revision, no joined copy
    return async (bytes) => length(await signPdfChunks(bytes, signer, { level: 'B-B', digester: nodeDigester }));
  }
  if (kind === 'signpdf') {
    const { PDFDocument } = await import('pdf-lib');
    const { pdflibAddPlaceholder } = await import('@signpdf/placeholder-pdf-lib');
    const { P12Signer } = await import('@signpdf/signer-p12');
    const m = await import('@signpdf/signpdf');
    const signpdf = m.default.default ?? m.default; // CommonJS interop differs between tsx and plain Node
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
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20; // code loaded and key read, file not yet
const input = readInput();
const sha = createHash('sha256').update(input).digest('hex').slice(0, 8);
const times = [];
const limitTimes = [];
let outLen = 0;
if (once) {
  const t = performance.now();
  outLen = await op(input);
  times.push(performance.now() - t);
} else {
  // the limit again, in this process, interleaved run by run with the case: on a shared machine the load
  // changes from one second to the next, and this pairs each case with a floor measured under the same load
  const limit = kind === 'limit' ? undefined : await limitOp();
  await op(input.slice()); // warm-up (JIT, key import)
  await limit?.(input);
  for (let i = 0; i < runs; i++) {
    const bytes = input.slice(); // a fresh copy each run, made outside the timed region
    if (limit) {
      const l = performance.now();
      await limit(input);
      limitTimes.push(performance.now() - l);
    }
    const t = performance.now();
    outLen = await op(bytes);
    times.push(performance.now() - t);
  }
}
const med = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const median = med(times);
const peakRssMb = process.resourceUsage().maxRSS / 1024;
if (createHash('sha256').update(input).digest('hex').slice(0, 8) !== sha) throw new Error(`${kind} modified its input`);
console.log(
  JSON.stringify({
    kind,
    median,
    times,
    limitMedian: limitTimes.length ? med(limitTimes) : median,
    appended: kind === 'limit' ? 0 : outLen - input.length,
    peakRssMb,
    rssBeforeMb,
    sha
  })
);
