/**
 * Trust roots of the public verification page: the server's own CA (`GET /api/ca/roots`, PEM bundle or
 * JSON `{ roots: [base64 DER] }`) plus extra roots the visitor configured in this browser (PEM, kept in
 * localStorage). Nothing else is trusted.
 */
const EXTRA_KEY = 'inkan.verify.extraRoots';

/** DER of each `-----BEGIN CERTIFICATE-----` block (RFC 7468 §5). */
export function pemCertificates(text: string): Uint8Array[] {
  const re = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;
  return [...text.matchAll(re)].map((m) => base64(m[1]!.replace(/\s+/g, '')));
}

function base64(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Certificates the page trusts (`roots`) and may use to build paths (`intermediates`). */
export interface TrustMaterial {
  roots: Uint8Array[];
  intermediates: Uint8Array[];
}

const b64List = (v: unknown): Uint8Array[] =>
  Array.isArray(v) ? v.filter((r): r is string => typeof r === 'string').map(base64) : [];

export async function serverRoots(fetchFn: typeof fetch = fetch): Promise<TrustMaterial> {
  const none = { roots: [], intermediates: [] };
  try {
    const res = await fetchFn('/api/ca/roots', {
      headers: { accept: 'application/json, application/pem-certificate-chain, text/plain' }
    });
    if (!res.ok) return none;
    const text = await res.text();
    if (text.trimStart().startsWith('{')) {
      const body = JSON.parse(text) as { roots?: unknown; intermediates?: unknown };
      return { roots: b64List(body.roots), intermediates: b64List(body.intermediates) };
    }
    return { roots: pemCertificates(text), intermediates: [] };
  } catch {
    return none;
  }
}

export function extraRootsPem(): string {
  return typeof localStorage === 'undefined' ? '' : (localStorage.getItem(EXTRA_KEY) ?? '');
}

/** Adds PEM certificates to this browser's extra roots; returns how many were found in `pem`. */
export function addExtraRoots(pem: string): number {
  const found = pemCertificates(pem).length;
  if (found > 0) localStorage.setItem(EXTRA_KEY, `${extraRootsPem()}\n${pem}`.trim());
  return found;
}

export async function trustMaterial(fetchFn?: typeof fetch): Promise<TrustMaterial> {
  const server = await serverRoots(fetchFn);
  return { roots: [...server.roots, ...pemCertificates(extraRootsPem())], intermediates: server.intermediates };
}
