/** Byte helpers shared inside the package (not exported from the index). */

export type Bytes = Uint8Array<ArrayBuffer>;

/** A fresh, exactly-sized ArrayBuffer copy (WebCrypto and asn1js want ArrayBuffer, not views). */
export function toArrayBuffer(data: Uint8Array): ArrayBuffer {
  // Not data.slice(): on a Node Buffer that is a view into a shared pool, not a copy.
  const out = new Uint8Array(data.length);
  out.set(data);
  return out.buffer;
}

export function bytes(data: ArrayBuffer | ArrayBufferView): Bytes {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}

export function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

export function concatBytes(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export function toHex(data: Uint8Array): string {
  return Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');
}

export function toBase64(data: Uint8Array): string {
  let s = '';
  for (let i = 0; i < data.length; i += 0x8000) s += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(s);
}

export function fromBase64(text: string): Bytes {
  const bin = atob(text.replace(/\s+/g, ''));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Decode every `-----BEGIN label-----` block of a PEM text (all labels when `label` is omitted). */
export function pemBlocks(text: string, label?: string): { label: string; der: Bytes }[] {
  const re = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
  const out: { label: string; der: Bytes }[] = [];
  for (const m of text.matchAll(re)) {
    if (label && m[1] !== label) continue;
    const body = m[2]!.replace(/^[A-Za-z-]+:.*$/gm, '');
    out.push({ label: m[1]!, der: fromBase64(body) });
  }
  return out;
}

export function toPem(der: Uint8Array, label: string): string {
  const b64 = toBase64(der)
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}
