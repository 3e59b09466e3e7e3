/** `GET /api/health` response. */
export interface Health {
  status: 'ok' | 'degraded';
  name: 'inkan';
  version: string;
  time: string;
  stores: {
    database: { ok: boolean; kind: 'sqlite' | 'postgres'; schemaVersion: number };
    blobs: { ok: boolean; kind: 'file' };
  };
  /** Trust services, when the server runs them: key store, TSA mode, SHA-256 fingerprint of the CA root. */
  trust?: { keys: 'software' | 'pkcs11'; tsa: 'builtin' | 'proxy'; rootSha256: string };
}
