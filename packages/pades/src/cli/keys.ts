/** Turns the command line's key options into a Signer (PKCS#12 file or PEM key + certificates). */
import { readFile } from 'node:fs/promises';
import { createPemSigner, createPkcs12Signer, type Signer } from '@inkan/pki';
import type { KeySource } from './args.ts';

export async function loadSigner(key: KeySource): Promise<Signer> {
  if (key.kind === 'p12')
    return createPkcs12Signer({ pfx: new Uint8Array(await readFile(key.file)), password: key.password });
  const pem = await readFile(key.keyFile, 'utf8');
  let certificates = await readFile(key.certFile, 'utf8');
  if (key.chainFile) certificates += '\n' + (await readFile(key.chainFile, 'utf8'));
  return createPemSigner({ key: pem, certificates });
}
