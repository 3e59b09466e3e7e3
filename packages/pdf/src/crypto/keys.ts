/** Password → file key algorithms of the standard security handler (ISO 32000-2 §7.6.4.3, §7.6.4.4). */
import { aesCbcRaw, concat, md5, rc4, sha256, sha384, sha512 } from './primitives.ts';

/** §7.6.4.3.2 Algorithm 2 padding string. */
export const PAD = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00,
  0xb6, 0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a
]);

export interface LegacyParams {
  r: number;
  o: Uint8Array;
  p: number;
  id0: Uint8Array;
  keyLength: number;
  encryptMetadata: boolean;
}

function padPassword(pw: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  out.set(pw.subarray(0, 32));
  out.set(PAD.subarray(0, 32 - Math.min(32, pw.length)), Math.min(32, pw.length));
  return out;
}

/** Algorithm 2: file encryption key from a (user) password, R2–R4. */
export function legacyFileKey(pw: Uint8Array, prm: LegacyParams): Uint8Array {
  const p = new Uint8Array(4);
  new DataView(p.buffer).setInt32(0, prm.p, true);
  const parts = [padPassword(pw), prm.o.subarray(0, 32), p, prm.id0];
  if (prm.r >= 4 && !prm.encryptMetadata) parts.push(Uint8Array.of(255, 255, 255, 255));
  let h = md5(concat(...parts));
  const n = prm.r === 2 ? 5 : prm.keyLength;
  if (prm.r >= 3) for (let i = 0; i < 50; i++) h = md5(h.subarray(0, n));
  return h.slice(0, n);
}

/** Algorithms 4/5: the /U value a file key produces (only the first 16 bytes are significant for R ≥ 3). */
export function legacyU(key: Uint8Array, prm: LegacyParams): Uint8Array {
  if (prm.r === 2) return rc4(key, PAD);
  let x = rc4(key, md5(concat(PAD, prm.id0)));
  for (let i = 1; i <= 19; i++) x = rc4(xorKey(key, i), x);
  return x;
}

/** Algorithm 7 (first half): recovers the padded user password from the owner password. */
export function legacyUserFromOwner(ownerPw: Uint8Array, prm: LegacyParams): Uint8Array {
  let h = md5(padPassword(ownerPw));
  const n = prm.r === 2 ? 5 : prm.keyLength;
  if (prm.r >= 3) for (let i = 0; i < 50; i++) h = md5(h.subarray(0, n));
  const key = h.subarray(0, n);
  if (prm.r === 2) return rc4(key, prm.o.subarray(0, 32));
  let x = prm.o.subarray(0, 32) as Uint8Array;
  for (let i = 19; i >= 0; i--) x = rc4(xorKey(key, i), x);
  return x;
}

function xorKey(key: Uint8Array, i: number): Uint8Array {
  return key.map((b) => b ^ i);
}

/** Algorithm 1: per-object key for RC4 / AESV2. */
export function objectKey(fileKey: Uint8Array, num: number, gen: number, aes: boolean): Uint8Array {
  const extra = Uint8Array.of(num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff);
  const salt = aes ? Uint8Array.of(0x73, 0x41, 0x6c, 0x54) : new Uint8Array(0);
  return md5(concat(fileKey, extra, salt)).slice(0, Math.min(16, fileKey.length + 5));
}

/** Algorithm 2.B (R6) or plain SHA-256 (R5): the hash of password, salt and (owner case) the 48-byte /U. */
export function hash2B(pw: Uint8Array, salt: Uint8Array, udata: Uint8Array, r: number): Uint8Array {
  let k: Uint8Array = sha256(concat(pw, salt, udata));
  if (r === 5) return k;
  for (let round = 0; ; round++) {
    const unit = concat(pw, k, udata);
    const k1 = new Uint8Array(unit.length * 64);
    for (let i = 0; i < 64; i++) k1.set(unit, i * unit.length);
    const e = aesCbcRaw(k.subarray(0, 16), k.subarray(16, 32), k1, false);
    let mod = 0;
    for (let i = 0; i < 16; i++) mod += e[i];
    mod %= 3;
    k = mod === 0 ? sha256(e) : mod === 1 ? sha384(e) : sha512(e);
    if (round >= 63 && e[e.length - 1] <= round - 31) break;
  }
  return k.subarray(0, 32);
}

/**
 * RFC 4013 SASLprep as used by §7.6.4.3.3, without the prohibited-output checks: non-ASCII spaces
 * (RFC 3454 C.1.2) become U+0020, "commonly mapped to nothing" characters (B.1) are removed, then NFKC.
 */
export function saslprep(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (NON_ASCII_SPACE.has(c) || (c >= 0x2000 && c <= 0x200a)) out += ' ';
    else if (!MAPPED_TO_NOTHING.has(c) && !(c >= 0xfe00 && c <= 0xfe0f) && !(c >= 0x180b && c <= 0x180d)) out += ch;
  }
  return out.normalize('NFKC');
}

const NON_ASCII_SPACE = new Set([0xa0, 0x1680, 0x202f, 0x205f, 0x3000]);
const MAPPED_TO_NOTHING = new Set([0xad, 0x34f, 0x1806, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);
const isLatin1 = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) <= 0xff);
const isAscii = (s: string): boolean => [...s].every((c) => c.charCodeAt(0) <= 0x7f);

/**
 * §7.6.4.3.3: password → candidate byte strings for R5/R6: UTF-8 of the SASLprep'd password (≤ 127
 * bytes), and, for compatibility with writers that skipped it, the Latin-1 bytes.
 */
export function passwordBytesV5(pw: string | Uint8Array): Uint8Array[] {
  if (typeof pw !== 'string') return [pw.subarray(0, 127)];
  const out: Uint8Array[] = [new TextEncoder().encode(saslprep(pw)).subarray(0, 127)];
  if (isLatin1(pw) && !isAscii(pw)) out.push(passwordBytesLegacy(pw).subarray(0, 127));
  return out;
}

/** §7.6.4.3.2 note: R2–R4 passwords are PDFDocEncoding bytes; Latin-1 is used for strings. */
export function passwordBytesLegacy(pw: string | Uint8Array): Uint8Array {
  if (typeof pw !== 'string') return pw;
  const out = new Uint8Array(pw.length);
  for (let i = 0; i < pw.length; i++) out[i] = pw.charCodeAt(i) & 0xff;
  return out;
}

/** R2–R4 candidates: Latin-1 bytes, plus UTF-8 when the password has non-ASCII characters. */
export function passwordCandidatesLegacy(pw: string | Uint8Array): Uint8Array[] {
  if (typeof pw !== 'string' || isAscii(pw)) return [passwordBytesLegacy(pw)];
  return [passwordBytesLegacy(pw), new TextEncoder().encode(pw)];
}
