/**
 * Writes tar archives for the scan tests: ustar headers, a pax header for long paths, GNU
 * base-256 never needed at these sizes. Tests build image archives (Docker and OCI) and layers
 * with it, and the e2e tests ADD one to get a setuid file into an image.
 */
import { gzipSync } from 'node:zlib';

export interface TarEntry {
  readonly path: string;
  readonly type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
  readonly content?: string | Buffer;
  readonly linkname?: string;
}

const FLAGS = { file: '0', hardlink: '1', symlink: '2', dir: '5' } as const;

function header(fields: {
  name: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  flag: string;
  linkname: string;
}) {
  const block = Buffer.alloc(512);
  const put = (value: string, offset: number, length: number) => block.write(value, offset, length, 'utf8');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0');
  put(fields.name, 0, 100);
  put(octal(fields.mode, 8), 100, 8);
  put(octal(fields.uid, 8), 108, 8);
  put(octal(fields.gid, 8), 116, 8);
  put(octal(fields.size, 12), 124, 12);
  put(octal(0, 12), 136, 12);
  put('        ', 148, 8);
  put(fields.flag, 156, 1);
  put(fields.linkname, 157, 100);
  put('ustar\u000000', 257, 8);
  let sum = 0;
  for (const byte of block) sum += byte;
  put(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return block;
}

function padded(data: Buffer): Buffer[] {
  const rest = (512 - (data.length % 512)) % 512;
  return [data, Buffer.alloc(rest)];
}

export function tar(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    const data = type === 'file' ? Buffer.from(entry.content ?? '') : Buffer.alloc(0);
    const name = type === 'dir' && !entry.path.endsWith('/') ? `${entry.path}/` : entry.path;
    const common = {
      mode: entry.mode ?? (type === 'dir' ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: entry.gid ?? 0,
    };
    if (Buffer.byteLength(name) > 99) {
      const record = ` path=${name}\n`;
      let length = record.length + 2;
      if (String(length).length + record.length !== length)
        length = String(length + 1).length + record.length;
      const pax = Buffer.from(`${length}${record}`);
      parts.push(
        header({ name: 'PaxHeader', ...common, size: pax.length, flag: 'x', linkname: '' }),
        ...padded(pax),
      );
    }
    parts.push(
      header({
        name: name.slice(0, 99),
        ...common,
        size: data.length,
        flag: FLAGS[type],
        linkname: entry.linkname ?? '',
      }),
      ...padded(data),
    );
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

export function tarGz(entries: readonly TarEntry[]): Buffer {
  return gzipSync(tar(entries));
}
