import Dexie, { type Table } from 'dexie';
import { generateDeviceKey } from '@inkan/vault';
import type { Jitsuin } from './jitsuin.ts';

/**
 * This device's secrets, in their own IndexedDB database (`inkan-keys`, apart from the drafts): the ECDH P-256
 * device key pair, whose private half WebCrypto made non-extractable (IndexedDB keeps the CryptoKey as is), and
 * the sender's session token and 実印 (signing key pair + certificate), and per sent envelope the counterparties'
 * link secrets (`link:<envelopeId>`), which by default never leave this device except by the sender's own hand.
 */
interface KeyRow {
  name: string;
  pair?: CryptoKeyPair;
  token?: string;
  jitsuin?: Jitsuin;
  /** Participant id → `#k=` secret, for row `link:<envelopeId>`. */
  secrets?: Record<string, string>;
  /** Whether the invitation mails carried the secrets too (the sender opted in). */
  mailed?: boolean;
}

/** A sent envelope's link secrets on this device: participant id → key, and whether they also went by mail. */
export interface LinkKeys {
  secrets: Record<string, string>;
  mailed: boolean;
}

class KeyringDb extends Dexie {
  keys!: Table<KeyRow, string>;
  constructor() {
    super('inkan-keys');
    this.version(1).stores({ keys: 'name' });
  }
}

let db: KeyringDb | null = null;
const open = () => (db ??= new KeyringDb());

/** The device key pair, generated on first use. */
export async function deviceKey(): Promise<CryptoKeyPair> {
  const row = await open().keys.get('device');
  if (row?.pair) return row.pair;
  const pair = await generateDeviceKey();
  await open().keys.put({ name: 'device', pair });
  return pair;
}

export async function senderToken(): Promise<string | null> {
  return (await open().keys.get('sender'))?.token ?? null;
}

export async function saveSenderToken(token: string): Promise<void> {
  await open().keys.put({ name: 'sender', token });
}

/**
 * Forgets this device's sender session and 実印 — when the server no longer knows the session (its data was
 * reset, or it is another server): the 実印 certificate came from that server's CA, so a new one is needed too.
 * The device key and the kept link secrets stay.
 */
export async function forgetSender(): Promise<void> {
  await open().keys.bulkDelete(['sender', 'jitsuin']);
}

/** The sender's 実印 key pair (non-extractable) and certificate, once enrolled. */
export async function savedJitsuin(): Promise<Jitsuin | null> {
  return (await open().keys.get('jitsuin'))?.jitsuin ?? null;
}

export async function saveJitsuin(jitsuin: Jitsuin): Promise<void> {
  await open().keys.put({ name: 'jitsuin', jitsuin });
}

/** Keeps the counterparties' link secrets of a sent envelope on this device (the sender passes them on). */
export async function saveLinkSecrets(envelopeId: string, keys: LinkKeys): Promise<void> {
  await open().keys.put({ name: `link:${envelopeId}`, ...keys });
}

/** The link secrets kept for `envelopeId`; none when it was sent from another device. */
export async function linkSecrets(envelopeId: string): Promise<LinkKeys> {
  const row = await open().keys.get(`link:${envelopeId}`);
  return { secrets: row?.secrets ?? {}, mailed: row?.mailed ?? false };
}
