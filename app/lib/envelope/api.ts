import type {
  AccessResponse,
  AccessVerifyResponse,
  AddKeysRequest,
  AddRevisionRequest,
  BlobUploadResponse,
  CreateEnvelopeRequest,
  Envelope,
  EnvelopeEvent,
  EventChainVerification,
  RecoveryKeyResponse,
  ResendRequest,
  SendRequest,
  SetupPendingResponse,
  SetupRequest,
  SetupResponse,
  SetupVerifyRequest
} from '@inkan/protocol';

/** A refusal from the API, with the stable code from `packages/protocol` (e.g. `REVISION_CONFLICT`). */
export class EnvelopeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'EnvelopeApiError';
  }
}

/** The typed error for a refused response (`{ error: { code, message } }`, the server's one error shape). */
export async function refusal(res: Response): Promise<EnvelopeApiError> {
  const err = (await res.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
  return new EnvelopeApiError(
    res.status,
    err?.error?.code ?? `HTTP_${res.status}`,
    err?.error?.message ?? res.statusText
  );
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** Typed client for the envelope, blob and access routes. `token` is the sender's or the counterparty's session. */
export class EnvelopeApi {
  constructor(
    private readonly token: string | null = null,
    private readonly base = '',
    private readonly fetchFn: Fetch = (i, init) => fetch(i, init)
  ) {}

  withToken(token: string): EnvelopeApi {
    return new EnvelopeApi(token, this.base, this.fetchFn);
  }

  private async call(method: string, path: string, body?: unknown, raw?: BodyInit): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw !== undefined) headers['content-type'] = 'application/octet-stream';
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/api${path}`, {
        method,
        headers,
        body: body !== undefined ? JSON.stringify(body) : raw
      });
    } catch {
      throw new EnvelopeApiError(0, 'NETWORK', 'the server cannot be reached');
    }
    if (!res.ok) throw await refusal(res);
    return res;
  }

  private async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await (await this.call(method, path, body)).json()) as T;
  }

  /** Claiming the server, step 1: mails a 6-digit code to `req.email` (409 SETUP_DONE once a sender exists). */
  setup = (req: SetupRequest) => this.json<SetupPendingResponse>('POST', '/setup', req);
  /** Step 2: the mailed code creates the sender profile and answers its session (OTP_* codes when it is wrong). */
  verifySetup = (req: SetupVerifyRequest) => this.json<SetupResponse>('POST', '/setup/verify', req);
  /** Who this session is: `{ kind: 'sender', … }` or `{ kind: 'participant', participantId, envelopeId, … }`. */
  me = () =>
    this.json<{ kind: 'sender' | 'participant'; participantId?: string; email: string; name: string }>('GET', '/me');
  recoveryKey = () => this.json<RecoveryKeyResponse>('GET', '/recovery-key');
  createEnvelope = (req: CreateEnvelopeRequest) => this.json<Envelope>('POST', '/envelopes', req);
  envelope = (id: string) => this.json<Envelope>('GET', `/envelopes/${encodeURIComponent(id)}`);
  envelopes = () => this.json<Envelope[]>('GET', '/envelopes');
  addKeys = (id: string, req: AddKeysRequest) => this.json<Envelope>('POST', `/envelopes/${id}/keys`, req);
  addRevision = (id: string, req: AddRevisionRequest) => this.json<Envelope>('POST', `/envelopes/${id}/revisions`, req);
  send = (id: string, req: SendRequest) => this.json<Envelope>('POST', `/envelopes/${id}/send`, req);
  events = (id: string) => this.json<EnvelopeEvent[]>('GET', `/envelopes/${id}/events`);
  /** Recomputes the event log's hash chain on the server (sender or participant of the envelope). */
  verifyEvents = (id: string) => this.json<EventChainVerification>('GET', `/envelopes/${id}/events/verify`);
  /**
   * Sender only: a fresh signing link for counterparty `pid`, mailed again; the previous link stops working.
   * `linkSecret` puts the key in the mail (opt-in); without it the sender hands the key over on another channel.
   */
  resendInvitation = (id: string, pid: string, req: ResendRequest = {}) =>
    this.json<Envelope>('POST', `/envelopes/${id}/participants/${encodeURIComponent(pid)}/resend`, req);
  /** Sender only: counterparty `pid`'s link stops working and their open sessions end. */
  revokeAccess = (id: string, pid: string) =>
    this.json<Envelope>('POST', `/envelopes/${id}/participants/${encodeURIComponent(pid)}/revoke`, {});
  requestCode = (id: string, token: string) =>
    this.json<AccessResponse>('POST', `/envelopes/${encodeURIComponent(id)}/access`, { token });
  verifyCode = (id: string, token: string, code: string) =>
    this.json<AccessVerifyResponse>('POST', `/envelopes/${encodeURIComponent(id)}/access/verify`, { token, code });

  async uploadBlob(ciphertext: Blob): Promise<BlobUploadResponse> {
    return (await (await this.call('PUT', '/blobs', undefined, ciphertext)).json()) as BlobUploadResponse;
  }

  /** The ciphertext as a stream (decrypt it while it downloads). */
  async downloadBlob(id: string): Promise<ReadableStream<Uint8Array>> {
    const res = await this.call('GET', `/blobs/${id}`);
    if (!res.body) throw new EnvelopeApiError(res.status, 'BLOB_NOT_FOUND', 'empty response');
    return res.body;
  }
}
