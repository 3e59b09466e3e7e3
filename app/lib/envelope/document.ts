import { decrypt, encryptStream, type ByteSource } from '@inkan/vault';

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
export function openDocument(contentKey: CryptoKey, ciphertext: ByteSource): Promise<Uint8Array<ArrayBuffer>> {
  return decrypt(contentKey, ciphertext);
}

/**
 * Hands a decrypted PDF to the browser as a download named after the envelope's title. The object URL is freed a
 * minute later, once the browser has the file.
 */
export function savePdf(pdf: Uint8Array<ArrayBuffer>, title: string | undefined): void {
  const url = URL.createObjectURL(new Blob([pdf], { type: 'application/pdf' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `${title ?? 'document'}.pdf`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
