import { IntakeError } from '../drafts/intake-error.ts';
import { openPdf } from './pdfjs.ts';

/**
 * Proves pdf.js can use the document — it opens and its first page loads — and returns the page count.
 * Consumes (detaches) `bytes`. Encrypted documents are refused: a contract must be readable by every party.
 */
export async function inspectPdf(bytes: Uint8Array<ArrayBuffer>): Promise<{ pageCount: number }> {
  let doc;
  try {
    doc = await openPdf(bytes);
  } catch (e) {
    const name = (e as { name?: string } | null)?.name;
    throw new IntakeError(name === 'PasswordException' ? 'ENCRYPTED_PDF' : 'CORRUPT_PDF', String(e));
  }
  try {
    if (doc.numPages < 1) throw new IntakeError('CORRUPT_PDF', 'no pages');
    const page = await doc.getPage(1);
    await page.getOperatorList();
    return { pageCount: doc.numPages };
  } catch (e) {
    throw e instanceof IntakeError ? e : new IntakeError('CORRUPT_PDF', String(e));
  } finally {
    await doc.destroy();
  }
}
