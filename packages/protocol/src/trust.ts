import { z } from 'zod';

/**
 * Trust services API (issue 5): certificate authority (`/api/ca/*`), RFC 3161 TSA (`/api/tsa`) and witness
 * (契約印) hash signing shaped after the Cloud Signature Consortium API v2 (`/api/csc/v2/*`, `/api/sign/*`).
 * Binary values travel as standard base64 in JSON; DER endpoints use their RFC media types.
 */

/** Stable error codes of the trust routes (`{ error: { code, message } }`). */
export const TRUST_ERROR_CODES = [
  'INVALID_REQUEST', // body does not match the schema, bad base64 (400)
  'UNAUTHENTICATED', // no or unknown bearer / SAD (401)
  'FORBIDDEN', // authenticated but not allowed (403)
  'PAYLOAD_TOO_LARGE', // body above the route's limit (413)
  'UNSUPPORTED_MEDIA_TYPE', // wrong Content-Type for a DER endpoint (415)
  'RATE_LIMITED', // too many requests from this client (429)
  'CA_ENROLLMENT_INVALID', // enrollment token unknown, used or expired (403)
  'CA_CSR_INVALID', // the CSR is not readable or uses a refused algorithm/key (400)
  'CA_POP_FAILED', // the CSR is not signed by its own key (400)
  'CA_NOT_FOUND', // no revocable certificate with this serial (404)
  'CA_ALREADY_REVOKED', // (409)
  'TSA_UNAVAILABLE', // proxy mode: no upstream TSA gave a verifiable answer (503) — never a local time instead
  'OTP_INVALID', // wrong code, or none requested (400)
  'OTP_EXPIRED', // (400)
  'OTP_TOO_MANY_ATTEMPTS', // five wrong codes: ask for a new one (429)
  'SAD_INVALID', // signature activation data unknown, used up or expired (401)
  'SIGN_ALGORITHM_UNSUPPORTED' // hash or signature algorithm not offered (400)
] as const;
export type TrustErrorCode = (typeof TRUST_ERROR_CODES)[number];

const base64 = (max: number) =>
  z
    .string()
    .max(max)
    .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'not base64');
export const TrustEmailSchema = z.email().max(254);

/** `POST /api/ca/enrollments` (sender only): grants a one-time enrollment token. */
export const EnrollmentRequestSchema = z.object({ email: TrustEmailSchema, name: z.string().min(1).max(128) });
export type EnrollmentRequest = z.infer<typeof EnrollmentRequestSchema>;
export interface EnrollmentResponse {
  token: string;
  expiresAt: string;
}

/** `POST /api/ca/issue`: PKCS#10 CSR (base64 DER) + enrollment token → signer certificate and chain. */
export const IssueCertificateRequestSchema = z.object({ csr: base64(16_384), token: z.string().min(20).max(128) });
export type IssueCertificateRequest = z.infer<typeof IssueCertificateRequestSchema>;
export interface IssueCertificateResponse {
  /** base64 DER of the signer certificate. */
  certificate: string;
  /** base64 DER: issuing CA, root. */
  chain: string[];
  serial: string;
}

export const REVOCATION_REASON_NAMES = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'privilegeWithdrawn',
  'aACompromise'
] as const;
/** `POST /api/ca/revoke` (sender only). */
export const RevokeRequestSchema = z.object({
  serial: z.string().regex(/^(0x)?[0-9a-fA-F:]{1,60}$/),
  reason: z.enum(REVOCATION_REASON_NAMES).default('unspecified')
});
export type RevokeRequest = z.infer<typeof RevokeRequestSchema>;

/** `GET /api/ca/roots`: the trust anchors the app and the validator use. */
export interface RootsResponse {
  /** base64 DER of each root. */
  roots: string[];
  /** base64 DER of intermediates (issuing CA). */
  intermediates: string[];
  /** The same roots as one PEM bundle. */
  pem: string;
}

/** `POST /api/sign/code`: mails a one-time code to prove control of `email` before witness signing. */
export const WitnessCodeRequestSchema = z.object({ email: TrustEmailSchema });
/** `POST /api/sign/authorize`: the code → signature activation data (CSC "SAD"), valid 5 minutes, 10 hashes. */
export const WitnessAuthorizeRequestSchema = z.object({ email: TrustEmailSchema, code: z.string().regex(/^\d{6}$/) });
export interface WitnessAuthorizeResponse {
  SAD: string;
  expiresIn: number;
  credentialID: string;
}

/** CSC API v2 `credentials/info` request/response (subset). */
export const CredentialsInfoRequestSchema = z.object({
  credentialID: z.string().max(64),
  certificates: z.enum(['none', 'single', 'chain']).optional()
});
export interface CredentialsInfoResponse {
  key: { status: 'enabled'; algo: string[]; len: number };
  cert: { status: 'valid'; certificates: string[]; issuerDN?: string; serialNumber?: string };
  authMode: 'explicit';
}

/** CSC API v2 `signatures/signHash` request (subset: one credential, up to 10 hashes). */
export const SignHashRequestSchema = z.object({
  credentialID: z.string().max(64),
  SAD: z.string().max(128).optional(),
  hashes: z.array(base64(128)).min(1).max(10),
  hashAlgorithmOID: z.string().max(64).optional(),
  signAlgo: z.string().max(64),
  signAlgoParams: base64(512).optional()
});
export type SignHashRequest = z.infer<typeof SignHashRequestSchema>;
export interface SignHashResponse {
  /** base64 signature values, in request order. */
  signatures: string[];
  /** base64 DER: the witness certificate then its chain (an Inkan extension, so a client needs no second call). */
  certificates: string[];
}
