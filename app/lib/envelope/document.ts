import { decryptStream, encryptStream, type ByteSource } from '@inkan/vault';

/** Encrypts a PDF for upload; the ciphertext is collected into a Blob (which browsers may keep on disk). */
export async function sealDocument(contentKey: CryptoKey, pdf: ByteSource): Promise<Blob> {
  const parts: BlobPart[] = [];
  for await (const chunk of encryptStream(contentKey, pdf)) parts.push(chunk);
  return new Blob(parts, { type: 'application/octet-stream' });
}

/**
 * Decrypts a downloaded revision. Nothing is returned unless every chunk authenticated and the file ended where
 * it should: a tampered or truncated document is refused (`VaultError` `VAULT_TAMPERED`), never shown.
 */
export async function openDocument(contentKey: CryptoKey, ciphertext: ByteSource): Promise<Uint8Array<ArrayBuffer>> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of decryptStream(contentKey, ciphertext)) {
    parts.push(chunk);
    size += chunk.length;
  }
  const out = new Uint8Array(size);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}
