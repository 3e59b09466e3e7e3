import { describe, expect, it } from 'vitest';
import { makePdf, qpdfCheck, qpdfEncrypt, qpdfShow } from '../../test/helpers.ts';
import { PdfDict, PdfName, PdfStream, PdfString, dict, name, str } from '../core/objects.ts';
import { pages } from '../doc/pages.ts';
import { signatures } from '../doc/signatures.ts';
import { PdfFile } from '../file.ts';
import { fillByteRange, fillContents, signatureDict } from '../write/placeholder.ts';
import { IncrementalUpdate } from '../write/update.ts';
import { addSignatureField } from '../write/forms.ts';

const cases = [
  { label: 'RC4 40-bit R2', bits: 40, aes: false, r: 2 },
  { label: 'RC4 128-bit R3', bits: 128, aes: false, r: 3 },
  { label: 'AES-128 R4', bits: 128, aes: true, r: 4 },
  { label: 'AES-256 R6', bits: 256, aes: true, r: 6 }
] as const;

describe('standard security handler (ISO 32000-2 §7.6.4)', async () => {
  const plain = await makePdf(2, { title: 'Secret title' });

  for (const c of cases) {
    describe(c.label, () => {
      const bytes = qpdfEncrypt(plain, 'user', 'owner', c.bits, c.aes);

      it('needs a password, refuses a wrong one, accepts user and owner passwords', () => {
        expect(() => PdfFile.open(bytes)).toThrowError(expect.objectContaining({ code: 'PDF_ENCRYPTED' }));
        expect(() => PdfFile.open(bytes, { password: 'nope' })).toThrowError(
          expect.objectContaining({ code: 'PDF_BAD_PASSWORD' })
        );
        const u = PdfFile.open(bytes, { password: 'user' });
        expect(u.security).toMatchObject({ revision: c.r, ownerAuthenticated: false });
        const o = PdfFile.open(bytes, { password: 'owner' });
        expect(o.security?.ownerAuthenticated).toBe(true);
        for (const f of [u, o]) {
          const info = f.resolve(f.trailer.get('Info'));
          expect(info?.kind === 'dict' && (info.get('Title') as PdfString).text()).toBe('Secret title');
          expect(pages(f)).toHaveLength(2);
          const list = f.resolve(pages(f)[0].dict.get('Contents'));
          const content = list?.kind === 'array' ? f.resolve(list.items[list.items.length - 1]) : list;
          expect(content?.kind).toBe('stream');
          if (content?.kind === 'stream')
            expect(Buffer.from(f.decode(content)).toString('latin1')).toMatch(/BT[\s\S]*Tj[\s\S]*ET/);
        }
      });

      it('encrypts the new revision with the same keys, leaving the signature /Contents clear', () => {
        const f = PdfFile.open(bytes, { password: 'user' });
        const up = new IncrementalUpdate(f);
        const note = up.add(dict({ Type: name('Note'), Text: str('kept secret') }));
        const st = up.add(
          new PdfStream(new PdfDict([['Type', new PdfName('Blob')]]), new TextEncoder().encode('stream body'))
        );
        const sig = up.addSignature(signatureDict({ reason: 'encrypted reason' }), { contentsSize: 32 });
        addSignatureField(up, { name: 'Sig', sig });
        const res = up.write();
        fillByteRange(res.bytes, res.signature!);
        fillContents(res.bytes, res.signature!, Uint8Array.of(0x30, 0x02, 0xab, 0xcd));
        const text = Buffer.from(res.bytes.subarray(bytes.length)).toString('latin1');
        expect(text).not.toContain('kept secret');
        expect(text).not.toContain('stream body');
        expect(text).toContain('<3002ABCD');
        expect(qpdfCheck(res.bytes, 'user').code).toBe(0);
        expect(qpdfShow(res.bytes, `${note.num},0`, 'user')).toContain('(kept secret)');
        expect(qpdfShow(res.bytes, `${st.num},0`, 'user', true)).toBe('stream body');
        const g = PdfFile.open(res.bytes, { password: 'user' });
        expect((g.get(note) as PdfDict).get('Text')).toMatchObject({ kind: 'string' });
        expect(((g.get(note) as PdfDict).get('Text') as PdfString).text()).toBe('kept secret');
        const [s] = signatures(g);
        expect([...s.contents!.bytes]).toEqual([0x30, 0x02, 0xab, 0xcd]);
        expect((s.dict.get('Reason') as PdfString).text()).toBe('encrypted reason');
        expect(g.trailer.get('Encrypt')?.toString()).toBe(f.trailer.get('Encrypt')?.toString());
        expect(g.trailer.get('Encrypt')?.kind).toBe('ref');
      });
    });
  }

  it('decodes the /P permission bits', () => {
    const bytes = qpdfEncrypt(plain, '', 'owner', 256, true, ['--modify=none', '--print=none']);
    const f = PdfFile.open(bytes);
    expect(f.security?.permissions).toMatchObject({ modify: false, print: false });
    expect(f.security?.permissions.copy).toBe(true);
    expect(PdfFile.open(bytes, { password: 'owner' }).security?.permissions.modify).toBe(true);
  });
});
