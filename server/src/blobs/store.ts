import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  writeSync,
  renameSync,
  readFileSync,
  existsSync,
  rmSync,
  statSync,
  readdirSync
} from 'node:fs';
import { join } from 'node:path';
import { open as openFile } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

export class BlobError extends Error {
  constructor(
    readonly code: 'BLOB_NOT_FOUND' | 'BLOB_INVALID_ID' | 'BLOB_TOO_LARGE',
    message: string
  ) {
    super(message);
    this.name = 'BlobError';
  }
}

const ID = /^[0-9a-f]{64}$/;

/**
 * Content-addressed blob store on the local file system. A blob's id is the hex SHA-256 of its bytes.
 * Writes are atomic: temp file in the same folder, fsync, rename, fsync of the folder.
 */
export class FileBlobStore {
  constructor(readonly root: string) {
    mkdirSync(join(root, 'tmp'), { recursive: true });
  }

  put(bytes: Uint8Array): string {
    const id = createHash('sha256').update(bytes).digest('hex');
    if (existsSync(join(this.root, id.slice(0, 2), id))) return id;
    const tmp = join(this.root, 'tmp', `${id}.${randomBytes(6).toString('hex')}`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(fd, bytes, off, bytes.length - off);
      fsyncSync(fd);
    } catch (e) {
      closeSync(fd);
      rmSync(tmp, { force: true });
      throw e;
    }
    closeSync(fd);
    this.commit(tmp, id);
    return id;
  }

  /** Moves a written, fsynced temp file to its content address, then fsyncs the folder (the rename is durable). */
  private commit(tmp: string, id: string): void {
    const dir = join(this.root, id.slice(0, 2));
    mkdirSync(dir, { recursive: true });
    renameSync(tmp, join(dir, id));
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  }

  /**
   * Streams a body into the store without holding it in memory: hashed while written to a temp file, then the
   * same fsync + rename as `put`. More than `maxBytes` aborts with `BLOB_TOO_LARGE` and leaves nothing behind.
   */
  async putStream(
    source: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>,
    maxBytes: number
  ): Promise<{ id: string; size: number }> {
    const hash = createHash('sha256');
    const tmp = join(this.root, 'tmp', `upload.${randomBytes(8).toString('hex')}`);
    const fh = await openFile(tmp, 'wx', 0o600);
    let size = 0;
    try {
      for await (const piece of source as AsyncIterable<Uint8Array>) {
        size += piece.length;
        if (size > maxBytes) throw new BlobError('BLOB_TOO_LARGE', `blob exceeds ${maxBytes} bytes`);
        hash.update(piece);
        let off = 0;
        while (off < piece.length) off += (await fh.write(piece, off, piece.length - off)).bytesWritten;
      }
      await fh.sync();
    } catch (e) {
      await fh.close();
      rmSync(tmp, { force: true });
      throw e;
    }
    await fh.close();
    const id = hash.digest('hex');
    if (existsSync(join(this.root, id.slice(0, 2), id))) rmSync(tmp, { force: true });
    else this.commit(tmp, id);
    return { id, size };
  }

  /** A blob as a web stream plus its size, for download responses without reading it whole. */
  openStream(id: string): { size: number; stream: ReadableStream<Uint8Array> } {
    const file = this.path(id);
    const size = statSync(file).size;
    return { size, stream: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array> };
  }

  private path(id: string): string {
    if (!ID.test(id)) throw new BlobError('BLOB_INVALID_ID', `not a blob id: ${id}`);
    const file = join(this.root, id.slice(0, 2), id);
    if (!existsSync(file)) throw new BlobError('BLOB_NOT_FOUND', `no blob ${id}`);
    return file;
  }

  get(id: string): Uint8Array {
    if (!ID.test(id)) throw new BlobError('BLOB_INVALID_ID', `not a blob id: ${id}`);
    const file = join(this.root, id.slice(0, 2), id);
    if (!existsSync(file)) throw new BlobError('BLOB_NOT_FOUND', `no blob ${id}`);
    return readFileSync(file);
  }

  has(id: string): boolean {
    return ID.test(id) && existsSync(join(this.root, id.slice(0, 2), id));
  }

  /** Every stored blob with its file's modification time (for the orphan sweep); temp files are not listed. */
  *entries(): Generator<{ id: string; modifiedAt: Date }> {
    for (const dir of readdirSync(this.root)) {
      if (!/^[0-9a-f]{2}$/.test(dir)) continue;
      for (const id of readdirSync(join(this.root, dir))) {
        if (!ID.test(id) || id.slice(0, 2) !== dir) continue;
        const stat = statSync(join(this.root, dir, id), { throwIfNoEntry: false });
        if (stat) yield { id, modifiedAt: stat.mtime };
      }
    }
  }

  /** Removes a blob's file (no-op when it is already gone). Deciding that nobody needs it is the caller's job. */
  delete(id: string): void {
    if (!ID.test(id)) throw new BlobError('BLOB_INVALID_ID', `not a blob id: ${id}`);
    rmSync(join(this.root, id.slice(0, 2), id), { force: true });
  }

  /** Removes temp files last written before `before` (uploads abandoned by a crash); returns how many. */
  removeStaleTemp(before: Date): number {
    let removed = 0;
    for (const name of readdirSync(join(this.root, 'tmp'))) {
      const file = join(this.root, 'tmp', name);
      const stat = statSync(file, { throwIfNoEntry: false });
      if (stat?.isFile() && stat.mtime < before) {
        rmSync(file, { force: true });
        removed++;
      }
    }
    return removed;
  }

  /** Health probe: the folder exists and is writable. */
  status(): { ok: boolean; root: string } {
    try {
      return {
        ok: statSync(this.root).isDirectory() && statSync(join(this.root, 'tmp')).isDirectory(),
        root: this.root
      };
    } catch {
      return { ok: false, root: this.root };
    }
  }
}
