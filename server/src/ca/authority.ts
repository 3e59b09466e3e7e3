import { createHash, randomBytes } from 'node:crypto';
import {
  requestCertification,
  buildCrl,
  issueCertificate,
  readCsr,
  respondOcsp,
  type CertificateProfile,
  type CertificateStatus,
  type DistinguishedName,
  type RevocationReason
} from '@inkan/pki';
import type { Db } from '../db/sqlite.ts';
import type { KeyAlgorithm, KeyStore, StoredKey } from '../keys/index.ts';

/** Typed CA failures; routes map them to HTTP statuses. */
export class CaError extends Error {
  constructor(
    readonly code:
      | 'CA_ENROLLMENT_INVALID'
      | 'CA_CSR_INVALID'
      | 'CA_POP_FAILED'
      | 'CA_NOT_FOUND'
      | 'CA_ALREADY_REVOKED'
      | 'CA_BAD_REQUEST',
    message: string
  ) {
    super(message);
    this.name = 'CaError';
  }
}

export type CertificateRole = 'root' | 'issuing' | 'ocsp' | 'tsa' | 'witness' | 'signer';

export interface CaOptions {
  db: Db;
  keys: KeyStore;
  clock: () => Date;
  /** Public origin: AIA / CRL URLs point at `${publicUrl}/api/ca/…`. */
  publicUrl: string;
  organization: string;
  keyAlgorithm: KeyAlgorithm;
  /**
   * An issuing CA certified by an external CA (a commercial / AATL root) instead of our own root: DER, the
   * issuing CA certificate first (its key must be the store's `ca-issuing` key), the root last.
   */
  importedChain?: Uint8Array<ArrayBuffer>[];
}

interface CertRow {
  serial: string;
  role: CertificateRole;
  der: Buffer;
  not_after: string;
  revoked_at: string | null;
  revocation_reason: string | null;
  key_label: string | null;
}

const YEAR = 365 * 24 * 3600 * 1000;
/** End-entity certificates for signers live two years; service certificates five; the issuing CA ten; the root twenty. */
const LIFETIME: Record<CertificateRole, number> = {
  root: 20 * YEAR,
  issuing: 10 * YEAR,
  ocsp: 5 * YEAR,
  tsa: 5 * YEAR,
  witness: 5 * YEAR,
  signer: 2 * YEAR
};
const CRL_VALIDITY_MS = 24 * 3600 * 1000;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/**
 * The platform CA: a root and an issuing CA created on first start (keys in the {@link KeyStore}), a delegated
 * OCSP responder, CRLs, and end-entity issuance from PKCS#10 CSRs against one-time enrollment tokens. Every
 * certificate is recorded in `ca_certificates`; serials are random 128-bit values, unique by primary key.
 */
export class CertificateAuthority {
  private constructor(
    private readonly o: CaOptions,
    readonly root: { certificate: Uint8Array<ArrayBuffer> },
    readonly issuing: { certificate: Uint8Array<ArrayBuffer>; key: StoredKey },
    readonly responder: { certificate: Uint8Array<ArrayBuffer>; key: StoredKey },
    /** Certificates above the issuing CA: intermediates of an imported chain, then the root. */
    private readonly upper: Uint8Array<ArrayBuffer>[]
  ) {}

  static async open(o: CaOptions): Promise<CertificateAuthority> {
    const base = { organization: o.organization };
    const issuingKey = await o.keys.ensure('ca-issuing', o.keyAlgorithm);
    const ocspKey = await o.keys.ensure('ca-ocsp', 'P-256');
    const issueFor = async (
      role: CertificateRole,
      key: StoredKey,
      subject: DistinguishedName,
      profile: CertificateProfile,
      issuer?: { certificate: Uint8Array<ArrayBuffer>; key: StoredKey }
    ) =>
      current(o.db, role, key, o.clock(), issuer?.certificate) ??
      record(o, role, key.label, subject, profile, key.spki, issuer);
    let issuingCert: Uint8Array<ArrayBuffer>;
    let upper: Uint8Array<ArrayBuffer>[];
    if (o.importedChain?.length) {
      const [first, ...rest] = o.importedChain;
      if (!rest.length) throw new CaError('CA_BAD_REQUEST', 'the imported CA chain must end with its root');
      if (!Buffer.from(first!).includes(Buffer.from(issuingKey.spki)))
        throw new CaError(
          'CA_BAD_REQUEST',
          "the imported issuing CA certificate does not certify this server's ca-issuing key"
        );
      issuingCert = first!;
      upper = rest;
    } else {
      const rootKey = await o.keys.ensure('ca-root', o.keyAlgorithm);
      const rootCert = await issueFor(
        'root',
        rootKey,
        { ...base, commonName: `${o.organization} Root CA` },
        { kind: 'root' }
      );
      issuingCert = await issueFor(
        'issuing',
        issuingKey,
        { ...base, commonName: `${o.organization} Issuing CA` },
        { kind: 'ca', pathLength: 0 },
        { certificate: rootCert, key: rootKey }
      );
      upper = [rootCert];
    }
    const issuing = { certificate: issuingCert, key: issuingKey };
    const ocspCert = await issueFor(
      'ocsp',
      ocspKey,
      { ...base, commonName: `${o.organization} OCSP Responder` },
      { kind: 'ocsp' },
      issuing
    );
    return new CertificateAuthority(
      o,
      { certificate: upper.at(-1)! },
      issuing,
      { certificate: ocspCert, key: ocspKey },
      upper
    );
  }

  /** PKCS#10 request for the issuing CA key, for an external CA to certify (then configure INKAN_CA_CHAIN). */
  issuingRequest(): Promise<Uint8Array<ArrayBuffer>> {
    return requestCertification(this.issuing.key.authority(), {
      organization: this.o.organization,
      commonName: `${this.o.organization} Issuing CA`
    });
  }

  get urls() {
    const api = `${this.o.publicUrl}/api/ca`;
    return { ocsp: `${api}/ocsp`, caIssuers: `${api}/ca.crt`, crl: `${api}/crl` };
  }

  /** Chain above an end-entity certificate: issuing CA, any intermediates, root. */
  get chain(): Uint8Array<ArrayBuffer>[] {
    return [this.issuing.certificate, ...this.upper];
  }

  /** Everything between end entities and the root (the issuing CA first). */
  get intermediates(): Uint8Array<ArrayBuffer>[] {
    return this.chain.slice(0, -1);
  }

  /** A service certificate (TSA, witness) for `key`, reused while valid, issued by the issuing CA otherwise. */
  async serviceCertificate(
    role: 'tsa' | 'witness',
    key: StoredKey,
    subject: DistinguishedName
  ): Promise<Uint8Array<ArrayBuffer>> {
    const found = current(this.o.db, role, key, this.o.clock(), this.issuing.certificate);
    if (found) return found;
    const profile: CertificateProfile =
      role === 'tsa' ? { kind: 'tsa', urls: this.urls } : { kind: 'signer', urls: this.urls, email: subject.email };
    return record(this.o, role, key.label, subject, profile, key.spki, this.issuing);
  }

  /** Grants a one-time enrollment token for `email` (admin action or the envelope flow). Only its hash is kept. */
  grantEnrollment(email: string, name: string, ttlMs = 24 * 3600 * 1000): string {
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) || email.length > 254)
      throw new CaError('CA_BAD_REQUEST', 'bad e-mail');
    if (!name.trim() || name.length > 128) throw new CaError('CA_BAD_REQUEST', 'bad name');
    const token = randomBytes(32).toString('base64url');
    const now = this.o.clock();
    this.o.db
      .prepare('INSERT INTO ca_enrollments (token_hash, email, name, created_at, expires_at) VALUES (?, ?, ?, ?, ?)')
      .run(sha256(token), email, name.trim(), now.toISOString(), new Date(now.getTime() + ttlMs).toISOString());
    return token;
  }

  /**
   * Issues a signer certificate for a PKCS#10 CSR redeemed with a one-time enrollment token. The subject comes
   * from the enrollment (the verified identity), never from the CSR; the CSR must prove possession of its key.
   */
  async issue(csr: Uint8Array, token: string): Promise<{ certificate: Uint8Array<ArrayBuffer>; serial: string }> {
    const db = this.o.db;
    // Read the CSR before touching the token: a malformed request does not burn it.
    let info;
    try {
      info = await readCsr(csr);
    } catch (e) {
      throw new CaError('CA_CSR_INVALID', `CSR refused: ${(e as Error).message}`);
    }
    if (!info.proofOfPossession) throw new CaError('CA_POP_FAILED', 'the CSR is not signed by the key it carries');
    const now = this.o.clock().toISOString();
    // Claim the token (one UPDATE: a concurrent or replayed redemption finds it used).
    const enrollment = db
      .prepare(
        `UPDATE ca_enrollments SET used_at = ? WHERE token_hash = ? AND used_at IS NULL AND expires_at > ?
         RETURNING email, name`
      )
      .get(now, sha256(token), now) as { email: string; name: string } | undefined;
    if (!enrollment) throw new CaError('CA_ENROLLMENT_INVALID', 'enrollment token unknown, used or expired');
    const certificate = await record(
      this.o,
      'signer',
      null,
      { organization: this.o.organization, commonName: enrollment.name, email: enrollment.email },
      { kind: 'signer', urls: this.urls, email: enrollment.email },
      info.publicKey.slice(),
      this.issuing,
      enrollment.email
    );
    const serial = serialHexOf(db, certificate);
    db.prepare('UPDATE ca_enrollments SET certificate_serial = ? WHERE token_hash = ?').run(serial, sha256(token));
    return { certificate, serial };
  }

  /** Revokes an end-entity certificate issued here; the CRL is rebuilt at once. */
  revoke(serialHex: string, reason: RevocationReason = 'unspecified'): void {
    const serial = normaliseSerial(serialHex);
    const row = this.o.db.prepare('SELECT role, revoked_at FROM ca_certificates WHERE serial = ?').get(serial) as
      { role: CertificateRole; revoked_at: string | null } | undefined;
    if (!row || row.role === 'root' || row.role === 'issuing')
      throw new CaError('CA_NOT_FOUND', `no revocable certificate ${serial}`);
    if (row.revoked_at) throw new CaError('CA_ALREADY_REVOKED', `certificate ${serial} is already revoked`);
    this.o.db
      .prepare('UPDATE ca_certificates SET revoked_at = ?, revocation_reason = ? WHERE serial = ?')
      .run(this.o.clock().toISOString(), reason, serial);
    this.o.db.prepare("DELETE FROM ca_state WHERE key = 'crl'").run();
    this.crlGeneration++;
    // Regenerated now, not only when next asked for (a failure here is retried by the next request or tick).
    this.crl().catch((e: unknown) =>
      console.warn(`[inkan] CRL rebuild after revocation failed: ${(e as Error).message}`)
    );
  }

  status(serial: bigint): CertificateStatus {
    const row = this.o.db
      .prepare(
        "SELECT revoked_at, revocation_reason FROM ca_certificates WHERE serial = ? AND role NOT IN ('root', 'issuing')"
      )
      .get(serial.toString(16)) as { revoked_at: string | null; revocation_reason: string | null } | undefined;
    if (!row) return { status: 'unknown' };
    if (row.revoked_at)
      return {
        status: 'revoked',
        revokedAt: new Date(row.revoked_at),
        reason: (row.revocation_reason ?? 'unspecified') as RevocationReason
      };
    return { status: 'good' };
  }

  /**
   * The current CRL (DER): rebuilt after a revocation and when half of its validity has passed. One build at a
   * time (callers meanwhile share it, so no two CRLs get the same number), and a build overtaken by a revocation
   * is redone before it is stored — a stored CRL never misses a revocation made before it was stored.
   */
  async crl(): Promise<Uint8Array<ArrayBuffer>> {
    const cached = this.o.db.prepare("SELECT value FROM ca_state WHERE key = 'crl'").get() as
      { value: string } | undefined;
    if (cached) {
      const { der, refreshAt } = JSON.parse(cached.value) as { der: string; refreshAt: string };
      if (new Date(refreshAt) > this.o.clock()) return new Uint8Array(Buffer.from(der, 'base64'));
    }
    this.crlBuild ??= this.buildCrl().finally(() => {
      this.crlBuild = null;
    });
    return this.crlBuild;
  }

  private crlBuild: Promise<Uint8Array<ArrayBuffer>> | null = null;
  /** Revocations so far in this process: a build that sees this change while it signs starts over. */
  private crlGeneration = 0;

  private async buildCrl(): Promise<Uint8Array<ArrayBuffer>> {
    for (;;) {
      const der = await this.signCrl();
      if (der) return der;
    }
  }

  /** Signs and stores the next CRL; null when a revocation came in while signing (nothing stored). */
  private async signCrl(): Promise<Uint8Array<ArrayBuffer> | null> {
    const generation = this.crlGeneration;
    const db = this.o.db;
    const now = this.o.clock();
    const number =
      BigInt(
        (db.prepare("SELECT value FROM ca_state WHERE key = 'crl_number'").get() as { value: string } | undefined)
          ?.value ?? '0'
      ) + 1n;
    const revoked = (
      db
        .prepare('SELECT serial, revoked_at, revocation_reason FROM ca_certificates WHERE revoked_at IS NOT NULL')
        .all() as {
        serial: string;
        revoked_at: string;
        revocation_reason: string | null;
      }[]
    ).map((r) => ({
      serialNumber: BigInt('0x' + r.serial),
      revokedAt: new Date(r.revoked_at),
      reason: (r.revocation_reason ?? undefined) as RevocationReason | undefined
    }));
    const der = await buildCrl({
      issuer: { certificate: this.issuing.certificate, key: this.issuing.key.authority() },
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + CRL_VALIDITY_MS),
      crlNumber: number,
      revoked
    });
    const put = db.prepare(
      'INSERT INTO ca_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'
    );
    if (generation !== this.crlGeneration) return null;
    db.transaction(() => {
      put.run('crl_number', number.toString());
      put.run(
        'crl',
        JSON.stringify({
          der: Buffer.from(der).toString('base64'),
          refreshAt: new Date(now.getTime() + CRL_VALIDITY_MS / 2).toISOString()
        })
      );
    })();
    return der;
  }

  /** Answers an OCSPRequest (DER) as the delegated responder. */
  ocsp(request: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
    return respondOcsp(request.slice(), {
      issuer: this.issuing.certificate,
      responder: { certificate: this.responder.certificate, key: this.responder.key.authority() },
      lookup: (serial) => this.status(serial),
      now: this.o.clock(),
      validitySeconds: 3600
    });
  }
}

function normaliseSerial(hex: string): string {
  const s = hex
    .trim()
    .toLowerCase()
    .replace(/^0x/, '')
    .replace(/:/g, '')
    .replace(/^0+(?=.)/, '');
  if (!/^[0-9a-f]{1,40}$/.test(s)) throw new CaError('CA_BAD_REQUEST', 'serial must be hexadecimal');
  return s;
}

function serialHexOf(db: Db, der: Uint8Array): string {
  const row = db.prepare('SELECT serial FROM ca_certificates WHERE der = ?').get(Buffer.from(der)) as {
    serial: string;
  };
  return row.serial;
}

/** Names the issuer certificate a row was issued under (null: self-signed). */
function issuerTag(issuer: Uint8Array | undefined): string | null {
  return issuer ? createHash('sha256').update(issuer).digest('hex') : null;
}

/** The newest valid certificate of `role` for this key under this issuer certificate, if any. */
function current(
  db: Db,
  role: CertificateRole,
  key: StoredKey,
  now: Date,
  issuer?: Uint8Array
): Uint8Array<ArrayBuffer> | null {
  const rows = db
    .prepare(
      `SELECT der, not_after FROM ca_certificates
       WHERE role = ? AND key_label = ? AND issuer_sha256 IS ? AND revoked_at IS NULL ORDER BY issued_at DESC`
    )
    .all(role, key.label, issuerTag(issuer)) as Pick<CertRow, 'der' | 'not_after'>[];
  for (const r of rows) {
    // Same key (a re-generated key under the same label needs a new certificate) and not near expiry.
    if (
      new Date(r.not_after).getTime() - now.getTime() > 30 * 24 * 3600 * 1000 &&
      Buffer.from(r.der).includes(Buffer.from(key.spki))
    )
      return new Uint8Array(r.der);
  }
  return null;
}

async function record(
  o: CaOptions,
  role: CertificateRole,
  keyLabel: string | null,
  subject: DistinguishedName,
  profile: CertificateProfile,
  spki: Uint8Array<ArrayBuffer>,
  issuer?: { certificate: Uint8Array<ArrayBuffer>; key: StoredKey },
  email?: string
): Promise<Uint8Array<ArrayBuffer>> {
  const now = o.clock();
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000 - 60_000);
  const notAfter = new Date(notBefore.getTime() + LIFETIME[role]);
  for (;;) {
    const bytes = randomBytes(16);
    bytes[0]! &= 0x7f;
    bytes[0]! |= 0x01;
    const serialNumber = BigInt('0x' + bytes.toString('hex'));
    const serial = serialNumber.toString(16);
    if (o.db.prepare('SELECT 1 FROM ca_certificates WHERE serial = ?').get(serial)) continue;
    const der = await issueCertificate({
      subject,
      subjectPublicKey: spki,
      serialNumber,
      notBefore,
      notAfter,
      issuer: issuer
        ? { certificate: issuer.certificate, key: issuer.key.authority() }
        : { key: (await o.keys.find(keyLabel!))!.authority() },
      profile
    });
    o.db
      .prepare(
        `INSERT INTO ca_certificates (serial, role, issuer_sha256, subject, email, key_label, der, not_before, not_after,
           issued_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
      )
      .run(
        serial,
        role,
        issuerTag(issuer?.certificate),
        subject.commonName,
        email ?? subject.email ?? null,
        keyLabel,
        Buffer.from(der),
        notBefore.toISOString(),
        notAfter.toISOString(),
        now.toISOString()
      );
    return der;
  }
}
