// autocannon in its own process (its client work must not share the server's event loop), driven through its
// API rather than its CLI: the CLI reads a body file as UTF-8, which mangles a binary DER TimeStampReq (every
// byte ≥ 0x80 becomes U+FFFD) so the TSA would only ever be measured rejecting requests.
// Usage: node bench/lib/trust-cannon.mjs '<json {url, method, headers, bodyBase64, connections, duration}>'
import autocannon from 'autocannon';

const o = JSON.parse(process.argv[2]);
const result = await autocannon({
  url: o.url,
  method: o.method,
  headers: o.headers,
  body: Buffer.from(o.bodyBase64, 'base64'),
  connections: o.connections,
  duration: o.duration
});
process.stdout.write(JSON.stringify(result));
