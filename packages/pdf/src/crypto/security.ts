/**
 * Standard security handler (ISO 32000-2 §7.6.4), revisions 2–6: authenticates a user or owner password,
 * then decrypts strings/streams on read and encrypts the objects of a new revision with the same keys.
 * Public-key handlers (§7.6.5, /Adobe.PubSec) are refused with `PDF_UNSUPPORTED`.
 */
import { PdfError } from '../core/errors.ts';
import type { PdfDict, PdfObject } from '../core/objects.ts';
import {
  hash2B,
  legacyFileKey,
  legacyU,
  legacyUserFromOwner,
  objectKey,
  passwordCandidatesLegacy,
  passwordBytesV5,
  type LegacyParams
} from './keys.ts';
import { aesCbcRaw, aesDecrypt, aesEcbDecryptBlock, aesEncrypt, rc4 } from './primitives.ts';
import { decodePermissions, type Permissions } from './permissions.ts';

/** Crypt filter method (§7.6.6 /CFM): None, V2 (RC4), AESV2 (AES-128), AESV3 (AES-256). */
export type CryptMethod = 'None' | 'V2' | 'AESV2' | 'AESV3';

export interface SecurityHandler {
  /** /R of the encryption dictionary. */
  readonly revision: number;
  readonly stringMethod: CryptMethod;
  readonly streamMethod: CryptMethod;
  /** True when the owner password was given: every operation is then allowed (§7.6.4.1). */
  readonly ownerAuthenticated: boolean;
  /** /P as a signed 32-bit integer and decoded (§7.6.4.2 Table 22). */
  readonly p: number;
  readonly permissions: Permissions;
  readonly encryptMetadata: boolean;
  /** Whether a stream with this dictionary is encrypted at all (metadata, /Identity crypt filter). */
  encryptsStream(dict: PdfDict): boolean;
  decryptString(data: Uint8Array, num: number, gen: number): Uint8Array;
  decryptStream(data: Uint8Array, num: number, gen: number, dict: PdfDict): Uint8Array;
  encryptString(data: Uint8Array, num: number, gen: number): Uint8Array;
  encryptStream(data: Uint8Array, num: number, gen: number, dict: PdfDict): Uint8Array;
}

function int(d: PdfDict, key: string, dflt?: number): number {
  const v = d.get(key);
  if (v?.kind === 'number') return v.value;
  if (dflt === undefined) throw new PdfError('PDF_MALFORMED', `encryption dictionary lacks /${key}`);
  return dflt;
}
function bytes(d: PdfDict, key: string): Uint8Array {
  const v = d.get(key);
  if (v?.kind !== 'string') throw new PdfError('PDF_MALFORMED', `encryption dictionary lacks /${key}`);
  return v.bytes;
}
function nameOf(o: PdfObject | undefined): string | undefined {
  return o?.kind === 'name' ? o.name : undefined;
}

/** §7.6.6 crypt filter lookup for V4/V5 (/CF, /StmF, /StrF). */
function cryptMethod(enc: PdfDict, filterName: string | undefined, v: number): CryptMethod {
  if (v < 4) return 'V2';
  if (!filterName || filterName === 'Identity') return 'None';
  const cf = enc.get('CF');
  const f = cf?.kind === 'dict' ? cf.get(filterName) : undefined;
  const cfm = f?.kind === 'dict' ? nameOf(f.get('CFM')) : undefined;
  if (cfm === 'V2' || cfm === 'AESV2' || cfm === 'AESV3') return cfm;
  if (cfm === 'None' || cfm === undefined) return 'None';
  throw new PdfError('PDF_UNSUPPORTED', `crypt filter method /${cfm} is not supported`);
}

function eq(a: Uint8Array, b: Uint8Array, n: number): boolean {
  if (a.length < n || b.length < n) return false;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Opens the standard security handler of `enc` (the resolved /Encrypt dictionary). Tries the empty user
 * password, then `password` as user and as owner password.
 * Throws `PDF_ENCRYPTED` (no password and the empty one fails), `PDF_BAD_PASSWORD`, `PDF_UNSUPPORTED`.
 */
export function openSecurity(enc: PdfDict, id0: Uint8Array, password?: string | Uint8Array): SecurityHandler {
  const filter = nameOf(enc.get('Filter'));
  if (filter !== 'Standard')
    throw new PdfError('PDF_UNSUPPORTED', `security handler /${filter ?? '?'} is not supported (only /Standard)`);
  const v = int(enc, 'V', 0);
  const r = int(enc, 'R');
  if (![1, 2, 4, 5].includes(v) || r < 2 || r > 6)
    throw new PdfError('PDF_UNSUPPORTED', `encryption /V ${v} /R ${r} is not supported`);
  const p = int(enc, 'P') | 0;
  const em = enc.get('EncryptMetadata');
  const encryptMetadata = em?.kind === 'bool' ? em.value : true;
  const strM = cryptMethod(enc, nameOf(enc.get('StrF')), v);
  const stmM = cryptMethod(enc, nameOf(enc.get('StmF')), v);
  const o = bytes(enc, 'O');
  const u = bytes(enc, 'U');
  let fileKey: Uint8Array | undefined;
  let owner = false;
  // The given password first (so an owner password is recognised as such), then the empty user password.
  const candidates: (string | Uint8Array)[] = [''];
  if (password !== undefined && !(typeof password === 'string' && password === '')) candidates.unshift(password);
  if (r >= 5) {
    const ue = bytes(enc, 'UE');
    const oe = bytes(enc, 'OE');
    if (o.length < 48 || u.length < 48 || ue.length < 32 || oe.length < 32)
      throw new PdfError('PDF_MALFORMED', 'AES-256 /O /U /OE /UE too short');
    const iv0 = new Uint8Array(16);
    for (const pw of candidates.flatMap(passwordBytesV5)) {
      if (eq(hash2B(pw, o.subarray(32, 40), u.subarray(0, 48), r), o, 32)) {
        fileKey = aesCbcRaw(hash2B(pw, o.subarray(40, 48), u.subarray(0, 48), r), iv0, oe.subarray(0, 32), true);
        owner = true;
      } else if (eq(hash2B(pw, u.subarray(32, 40), new Uint8Array(0), r), u, 32)) {
        fileKey = aesCbcRaw(hash2B(pw, u.subarray(40, 48), new Uint8Array(0), r), iv0, ue.subarray(0, 32), true);
      }
      if (fileKey) break;
    }
  } else {
    const keyLength = r === 2 ? 5 : Math.max(5, Math.min(16, int(enc, 'Length', 40) >> 3));
    const prm: LegacyParams = { r, o, p, id0, keyLength, encryptMetadata };
    const n = r === 2 ? 32 : 16;
    for (const pw of candidates.flatMap(passwordCandidatesLegacy)) {
      const asOwner = legacyFileKey(legacyUserFromOwner(pw, prm), prm);
      if (pw.length > 0 && eq(legacyU(asOwner, prm), u, n)) {
        fileKey = asOwner;
        owner = true;
      } else {
        const asUser = legacyFileKey(pw, prm);
        if (eq(legacyU(asUser, prm), u, n)) fileKey = asUser;
      }
      if (fileKey) break;
    }
  }
  if (!fileKey) {
    if (password === undefined || password === '')
      throw new PdfError('PDF_ENCRYPTED', 'the document is encrypted; a password is required');
    throw new PdfError('PDF_BAD_PASSWORD', 'the password is neither the user nor the owner password');
  }
  if (r >= 6) checkPerms(enc, fileKey, p);
  return makeHandler(fileKey, { revision: r, p, owner, encryptMetadata, strM, stmM, enc });
}

/** §7.6.4.4.12 Algorithm 13: /Perms must decrypt to P and "adb"; a mismatch means tampering. */
function checkPerms(enc: PdfDict, key: Uint8Array, p: number): void {
  const perms = enc.get('Perms');
  if (perms?.kind !== 'string' || perms.bytes.length < 16) return;
  const d = aesEcbDecryptBlock(key, perms.bytes.subarray(0, 16));
  const pp = d[0] | (d[1] << 8) | (d[2] << 16) | (d[3] << 24);
  if (d[9] !== 0x61 || d[10] !== 0x64 || d[11] !== 0x62 || pp !== p)
    throw new PdfError('PDF_MALFORMED', 'encryption /Perms does not match /P (tampered permissions)');
}

interface HandlerParams {
  revision: number;
  p: number;
  owner: boolean;
  encryptMetadata: boolean;
  strM: CryptMethod;
  stmM: CryptMethod;
  enc: PdfDict;
}

function makeHandler(fileKey: Uint8Array, h: HandlerParams): SecurityHandler {
  const key = (m: CryptMethod, num: number, gen: number): Uint8Array =>
    m === 'AESV3' ? fileKey : objectKey(fileKey, num, gen, m === 'AESV2');
  const dec = (m: CryptMethod, d: Uint8Array, num: number, gen: number): Uint8Array =>
    m === 'None' ? d : m === 'V2' ? rc4(key(m, num, gen), d) : aesDecrypt(key(m, num, gen), d);
  const encr = (m: CryptMethod, d: Uint8Array, num: number, gen: number): Uint8Array =>
    m === 'None' ? d : m === 'V2' ? rc4(key(m, num, gen), d) : aesEncrypt(key(m, num, gen), d);
  const streamMethod = (dict: PdfDict): CryptMethod => {
    const t = dict.get('Type');
    if (t?.kind === 'name' && t.name === 'Metadata' && !h.encryptMetadata) return 'None';
    const f = dict.get('Filter');
    const first = f?.kind === 'array' ? f.items[0] : f;
    if (first?.kind === 'name' && first.name === 'Crypt') {
      const dp = dict.get('DecodeParms');
      const dpd = dp?.kind === 'array' ? dp.items[0] : dp;
      const n = dpd?.kind === 'dict' ? nameOf(dpd.get('Name')) : undefined;
      return cryptMethod(h.enc, n ?? 'Identity', 4);
    }
    return h.stmM;
  };
  return {
    revision: h.revision,
    stringMethod: h.strM,
    streamMethod: h.stmM,
    ownerAuthenticated: h.owner,
    p: h.p,
    permissions: decodePermissions(h.p, h.owner),
    encryptMetadata: h.encryptMetadata,
    encryptsStream: (dict) => streamMethod(dict) !== 'None',
    decryptString: (d, num, gen) => dec(h.strM, d, num, gen),
    decryptStream: (d, num, gen, dict) => dec(streamMethod(dict), d, num, gen),
    encryptString: (d, num, gen) => encr(h.strM, d, num, gen),
    encryptStream: (d, num, gen, dict) => encr(streamMethod(dict), d, num, gen)
  };
}
