import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DigestAlgorithm } from '@inkan/pki';
import type { Db } from '../db/sqlite.ts';
import type { StoredKey } from '../keys/index.ts';

export class WitnessError extends Error {
  constructor(
    readonly code: 'SAD_INVALID' | 'SIGN_ALGORITHM_UNSUPPORTED' | 'INVALID_REQUEST',
    message: string
  ) {
    super(message);
    this.name = 'WitnessError';
  }
}

/** Who asked for a witness signature: a session of the envelope flow, or an e-mail proven by a one-time code. */
export interface WitnessCaller {
  principal: string;
  email: string;
  envelopeId?: string;
  ip: string | null;
}

const HASH_BY_OID: Record<string, DigestAlgorithm> = {
  '2.16.840.1.101.3.4.2.1': 'SHA-256',
  '2.16.840.1.101.3.4.2.2': 'SHA-384',
  '2.16.840.1.101.3.4.2.3': 'SHA-512'
};
const LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64 };
/** signAlgo values accepted for the RSA witness key: rsaEncryption (CSC's usual) or sha*WithRSAEncryption. */
const RSA_SIGN_ALGOS: Record<string, DigestAlgorithm | null> = {
  '1.2.840.113549.1.1.1': null,
  '1.2.840.113549.1.1.11': 'SHA-256',
  '1.2.840.113549.1.1.12': 'SHA-384',
  '1.2.840.113549.1.1.13': 'SHA-512'
};

export const SAD_TTL_MS = 5 * 60 * 1000;
const SAD_USES = 5;
const sha256 = (s: string) => createHash('sha256').update(s).digest();

/**
 * The platform's witness signature (契約印): signs digests of CMS signed attributes with the witness key, whose
 * certificate the platform CA issued. The server never sees a document. Every signature is recorded in
 * `witness_signatures` (append-only): who, e-mail, envelope, digest, time, IP.
 */
export class WitnessSigner {
  constructor(
    private readonly o: {
      db: Db;
      clock: () => Date;
      key: StoredKey;
      certificate: Uint8Array<ArrayBuffer>;
      chain: Uint8Array<ArrayBuffer>[];
      certificateSerial: string;
    }
  ) {}

  get credentialID(): string {
    return 'witness';
  }

  get certificates(): Uint8Array<ArrayBuffer>[] {
    return [this.o.certificate, ...this.o.chain];
  }

  get keyInfo() {
    return { algorithm: this.o.key.algorithm, bits: Number(this.o.key.algorithm.slice(4)) };
  }

  /** Signature activation data after a verified one-time code: 5 minutes, {@link SAD_USES} signHash calls. */
  grant(email: string): { sad: string; expiresIn: number } {
    const sad = randomBytes(32).toString('base64url');
    this.o.db
      .prepare('INSERT INTO witness_grants (token_hash, email, expires_at, uses_left) VALUES (?, ?, ?, ?)')
      .run(
        sha256(sad).toString('hex'),
        email.toLowerCase(),
        new Date(this.o.clock().getTime() + SAD_TTL_MS).toISOString(),
        SAD_USES
      );
    return { sad, expiresIn: SAD_TTL_MS / 1000 };
  }

  /** Consumes one use of a SAD; its e-mail, or SAD_INVALID. The lookup is by hash, the comparison constant-time. */
  redeem(sad: string): string {
    const hash = sha256(sad);
    const row = this.o.db
      .prepare(
        `UPDATE witness_grants SET uses_left = uses_left - 1 WHERE token_hash = ? AND uses_left > 0 AND expires_at > ?
         RETURNING token_hash, email`
      )
      .get(hash.toString('hex'), this.o.clock().toISOString()) as { token_hash: string; email: string } | undefined;
    if (!row || !timingSafeEqual(Buffer.from(row.token_hash, 'hex'), hash))
      throw new WitnessError('SAD_INVALID', 'signature activation data unknown, used up or expired');
    return row.email;
  }

  /**
   * CSC v2 signatures/signHash for the witness credential: every hash signed with RSASSA-PKCS1-v1_5 over its
   * DigestInfo. Hash algorithm from `hashAlgorithmOID`, or implied by a sha*WithRSAEncryption `signAlgo`.
   */
  async signHashes(
    caller: WitnessCaller,
    req: { credentialID: string; hashes: string[]; hashAlgorithmOID?: string; signAlgo: string }
  ): Promise<Uint8Array<ArrayBuffer>[]> {
    if (req.credentialID !== this.credentialID) throw new WitnessError('INVALID_REQUEST', 'unknown credentialID');
    if (!(req.signAlgo in RSA_SIGN_ALGOS))
      throw new WitnessError(
        'SIGN_ALGORITHM_UNSUPPORTED',
        `signAlgo ${req.signAlgo} is not offered (RSA PKCS#1 v1.5 only)`
      );
    const implied = RSA_SIGN_ALGOS[req.signAlgo];
    const hash = req.hashAlgorithmOID ? HASH_BY_OID[req.hashAlgorithmOID] : implied;
    if (!hash || (implied && implied !== hash))
      throw new WitnessError('SIGN_ALGORITHM_UNSUPPORTED', 'hash algorithm must be SHA-256, SHA-384 or SHA-512');
    const digests = req.hashes.map((h) => Buffer.from(h, 'base64'));
    if (digests.some((d) => d.length !== LENGTH[hash]))
      throw new WitnessError('INVALID_REQUEST', `each hash must be a ${hash} digest (${LENGTH[hash]} bytes)`);
    const at = this.o.clock().toISOString();
    const audit = this.o.db.prepare(
      `INSERT INTO witness_signatures (at, principal, email, envelope_id, hash_alg, digest, ip, certificate_serial)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
    );
    const signatures: Uint8Array<ArrayBuffer>[] = [];
    for (const d of digests) {
      signatures.push(await this.o.key.signDigest(d, hash));
      audit.run(
        at,
        caller.principal,
        caller.email,
        caller.envelopeId ?? null,
        hash,
        d.toString('hex'),
        caller.ip,
        this.o.certificateSerial
      );
    }
    return signatures;
  }
}
