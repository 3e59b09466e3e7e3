import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { testPkiHandler, type TestPki } from './pki.ts';

export interface ServedTestPki {
  /** e.g. `http://127.0.0.1:41234` */
  readonly url: string;
  readonly tsa: string;
  readonly ocsp: string;
  readonly crl: string;
  close(): Promise<void>;
}

async function body(req: IncomingMessage, limit = 1 << 20): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  let n = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > limit) throw new Error('body too large');
    parts.push(chunk);
  }
  return new Uint8Array(Buffer.concat(parts));
}

/**
 * Serves the test PKI's TSA, OCSP responder and CRL on a loopback port (port 0: the OS picks), for tools that
 * need a real URL (openssl, pdfsig, a client under test).
 */
export async function serveTestPki(pki: TestPki): Promise<ServedTestPki> {
  const handle = testPkiHandler(pki);
  const server = createServer((req, res) => {
    void (async () => {
      try {
        const method = req.method ?? 'GET';
        const payload = method === 'POST' ? await body(req) : undefined;
        const r = await handle(new Request(`http://127.0.0.1${req.url}`, { method, body: payload?.slice() }));
        res.writeHead(r.status, Object.fromEntries(r.headers));
        res.end(Buffer.from(await r.arrayBuffer()));
      } catch {
        res.writeHead(500).end();
      }
    })();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    tsa: `${url}/tsa`,
    ocsp: `${url}/ocsp`,
    crl: `${url}/ca.crl`,
    close: () => new Promise<void>((ok) => server.close(() => ok()))
  };
}
