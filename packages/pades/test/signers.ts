/** Signers for tests whose certificates come from make-pki.sh (openssl), i.e. from nobody on this project. */
import { readFileSync } from 'node:fs';
import { createPkcs8Signer, type Signer } from '@inkan/pki';
import { pemBlocks, type Judges } from './judges.ts';

/** make-pki's "Test Signer" (RSA-2048, root → signer), with the root in the chain. */
export async function opensslSigner(j: Judges): Promise<Signer> {
  const [pkcs8] = pemBlocks(readFileSync(j.signerKeyPem, 'utf8'));
  const [certificate] = pemBlocks(readFileSync(j.signerCertPem, 'utf8'));
  const [root] = pemBlocks(readFileSync(j.rootPem, 'utf8'));
  return createPkcs8Signer({ pkcs8, certificate, chain: [root] });
}
