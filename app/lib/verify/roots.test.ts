import { beforeEach, describe, expect, it } from 'vitest';
import { addExtraRoots, pemCertificates, serverRoots, trustMaterial } from './roots.ts';

const der = new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x05]);
const b64 = btoa(String.fromCharCode(...der));
const pem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
const answer = (body: string, status = 200) => (async () => new Response(body, { status })) as unknown as typeof fetch;

describe('trust roots of the verification page', () => {
  beforeEach(() => localStorage.clear());

  it('reads PEM bundles', () => {
    expect(pemCertificates(`junk\n${pem}${pem}`)).toEqual([der, der]);
  });

  it('reads the server JSON {roots, intermediates} and a PEM body', async () => {
    expect(await serverRoots(answer(JSON.stringify({ roots: [b64], intermediates: [b64, b64], pem })))).toEqual({
      roots: [der],
      intermediates: [der, der]
    });
    expect((await serverRoots(answer(pem))).roots).toEqual([der]);
  });

  it('trusts nothing when the server has no CA route', async () => {
    expect(await serverRoots(answer('not found', 404))).toEqual({ roots: [], intermediates: [] });
  });

  it('adds extra roots configured in this browser', async () => {
    expect(addExtraRoots('no certificate here')).toBe(0);
    expect(addExtraRoots(pem)).toBe(1);
    expect((await trustMaterial(answer(JSON.stringify({ roots: [b64] })))).roots).toHaveLength(2);
  });
});
