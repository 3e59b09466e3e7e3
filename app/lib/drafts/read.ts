import { MAX_PDF_BYTES } from './draft.ts';
import { IntakeError } from './intake-error.ts';

export interface ReadProgress {
  phase: 'reading' | 'hashing';
  loaded: number;
  total: number;
}

export interface ReadPdfOptions {
  chunkSize?: number;
  maxBytes?: number;
  onProgress?: (p: ReadProgress) => void;
}

export interface ReadPdf {
  bytes: Uint8Array<ArrayBuffer>;
  /** Lower-case hex SHA-256 of `bytes`. */
  sha256: string;
}

/** ISO 32000-2 §7.5.2: the file begins with `%PDF-`; like common readers, allow junk in the first 1 KB. */
const HEADER = [0x25, 0x50, 0x44, 0x46, 0x2d];
const HEADER_WINDOW = 1024;

export function hasPdfHeader(head: Uint8Array): boolean {
  const end = Math.min(head.length, HEADER_WINDOW) - HEADER.length;
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < HEADER.length; j++) if (head[i + j] !== HEADER[j]) continue outer;
    return true;
  }
  return false;
}

/**
 * Reads a PDF chosen by the user in chunks (reporting progress), refuses empty, oversized and non-PDF files
 * early, and hashes the bytes exactly as read. Meant to run in a worker: nothing here touches the DOM.
 *
 * @example const { bytes, sha256 } = await readPdf(file, { onProgress: (p) => post(p) });
 */
export async function readPdf(file: Blob, options: ReadPdfOptions = {}): Promise<ReadPdf> {
  const { chunkSize = 4 * 1024 * 1024, maxBytes = MAX_PDF_BYTES, onProgress } = options;
  const total = file.size;
  if (total === 0) throw new IntakeError('EMPTY_FILE');
  if (total > maxBytes) throw new IntakeError('TOO_LARGE');
  const bytes = new Uint8Array(total);
  let loaded = 0;
  onProgress?.({ phase: 'reading', loaded, total });
  while (loaded < total) {
    const end = Math.min(total, loaded + chunkSize);
    let chunk: ArrayBuffer;
    try {
      chunk = await file.slice(loaded, end).arrayBuffer();
    } catch (e) {
      throw new IntakeError('READ_FAILED', String(e));
    }
    if (chunk.byteLength !== end - loaded) throw new IntakeError('READ_FAILED', 'short read');
    bytes.set(new Uint8Array(chunk), loaded);
    if (loaded === 0 && !hasPdfHeader(bytes.subarray(0, Math.min(end, HEADER_WINDOW)))) {
      throw new IntakeError('NOT_PDF');
    }
    loaded = end;
    onProgress?.({ phase: 'reading', loaded, total });
  }
  onProgress?.({ phase: 'hashing', loaded, total });
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  return { bytes, sha256 };
}
