/**
 * PAdES baseline levels (ETSI EN 319 142-1 §6) as a typed plan, checked for consistency once, up front —
 * not loose booleans. A level names what it needs: B-T and above a time-stamp authority, B-LT and above a
 * way to fetch validation data; the plan carries exactly that.
 *
 * @example
 * planLevel({ level: 'B-LTA', tsa: { url: 'http://127.0.0.1:8778/tsa' }, fetch })
 */
import type { TimestampClientOptions } from '@inkan/pki';
import { PadesError } from '../errors.ts';

export type PadesLevel = 'B-B' | 'B-T' | 'B-LT' | 'B-LTA';
export const PADES_LEVELS: readonly PadesLevel[] = ['B-B', 'B-T', 'B-LT', 'B-LTA'];

/** Fetches validation data (AIA caIssuers, CRL distribution points, OCSP responders); inject it. */
export type Fetcher = typeof fetch;

export interface LevelRequest {
  readonly level: PadesLevel;
  /** The time-stamp authority (RFC 3161 over HTTP; `transport` injectable). Required from B-T. */
  readonly tsa?: TimestampClientOptions;
  /** Required from B-LT (defaults to nothing: never a hidden global fetch). */
  readonly fetch?: Fetcher;
  /** Extra certificates to help build chains for the DSS (e.g. the issuing CA when no AIA is present). */
  readonly extraCertificates?: readonly Uint8Array[];
}

export type LevelPlan =
  | { readonly level: 'B-B' }
  | { readonly level: 'B-T'; readonly tsa: TimestampClientOptions }
  | {
      readonly level: 'B-LT' | 'B-LTA';
      readonly tsa: TimestampClientOptions;
      readonly fetch: Fetcher;
      readonly extraCertificates: readonly Uint8Array[];
    };

/** Checks that the request can reach its level; throws `PADES_INVALID_ARGUMENT` naming what is missing. */
export function planLevel(r: LevelRequest): LevelPlan {
  if (!PADES_LEVELS.includes(r.level))
    throw new PadesError('PADES_INVALID_ARGUMENT', `unknown PAdES level ${String(r.level)}`);
  if (r.level === 'B-B') return { level: 'B-B' };
  if (!r.tsa?.url)
    throw new PadesError('PADES_INVALID_ARGUMENT', `PAdES ${r.level} needs a time-stamp authority (tsa.url)`);
  if (r.level === 'B-T') return { level: 'B-T', tsa: r.tsa };
  if (!r.fetch)
    throw new PadesError(
      'PADES_INVALID_ARGUMENT',
      `PAdES ${r.level} needs a fetcher for certificates, CRLs and OCSP responses`
    );
  return { level: r.level, tsa: r.tsa, fetch: r.fetch, extraCertificates: r.extraCertificates ?? [] };
}
