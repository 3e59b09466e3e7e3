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
  statSync
} from 'node:fs';
import { join } from 'node:path';

export class BlobError extends Error {
  constructor(
    readonly code: 'BLOB_NOT_FOUND' | 'BLOB_INVALID_ID',
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
    const dir = join(this.root, id.slice(0, 2));
    const final = join(dir, id);
    if (existsSync(final)) return id;
    mkdirSync(dir, { recursive: true });
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
    renameSync(tmp, final);
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
    return id;
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
