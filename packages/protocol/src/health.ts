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
}
