import { describe, expect, it } from 'vitest';
import { ExecError } from '../../src/errors.js';
import { DEFAULT_MAX_OUTPUT_BYTES, exec } from '../../src/util/exec.js';

// Node as the child: it writes exact byte sequences the same way on every platform.
const node = (script: string) => [process.execPath, ['-e', script]] as const;

const LINES = 100_000;
const allLines = Array.from({ length: LINES }, (_, i) => `line ${String(i).padStart(6, '0')}\n`).join('');

describe('exec output capture', () => {
  it('keeps only the tail of a stream past maxOutputBytes, while the callback sees all of it', async () => {
    const [cmd, args] = node(
      `for (let i = 0; i < ${LINES}; i++) process.stdout.write('line ' + String(i).padStart(6, '0') + '\\n');`,
    );
    const chunks: string[] = [];
    const result = await exec(cmd, args, { maxOutputBytes: 10_000, onStdout: (chunk) => chunks.push(chunk) });

    expect(Buffer.byteLength(result.stdout)).toBe(10_000);
    expect(result.stdout).toBe(allLines.slice(-10_000));
    expect(result.truncated).toBe(true);
    expect(result.droppedBytes).toEqual({ stdout: allLines.length - 10_000, stderr: 0 });
    expect(chunks.join('')).toBe(allLines);
  });

  it('bounds output by default', async () => {
    const size = DEFAULT_MAX_OUTPUT_BYTES + 1024 * 1024;
    const [cmd, args] = node(`process.stdout.write(Buffer.alloc(${size}, 'x'))`);
    const result = await exec(cmd, args);

    expect(result.stdout.length).toBe(DEFAULT_MAX_OUTPUT_BYTES);
    expect(result.droppedBytes.stdout).toBe(1024 * 1024);
    expect(result.truncated).toBe(true);
  });

  it('reports whole output as not truncated', async () => {
    const result = await exec('sh', ['-c', 'echo out; echo err >&2'], { maxOutputBytes: 8 });
    expect(result).toMatchObject({
      stdout: 'out\n',
      stderr: 'err\n',
      truncated: false,
      droppedBytes: { stdout: 0, stderr: 0 },
    });
  });

  it('says in the error that the start of stderr was dropped, and keeps its end', async () => {
    const [cmd, args] = node(
      "for (let i = 0; i < 5000; i++) process.stderr.write('noise ' + i + '\\n'); process.stderr.write('the real cause\\n'); process.exitCode = 4",
    );
    const error = await exec(cmd, args, { maxOutputBytes: 1000 }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(ExecError);
    const { stderr, message, code } = error as ExecError;
    expect(code).toBe(4);
    expect(stderr).toMatch(/^\(\d+ earlier bytes of stderr dropped\)\n/);
    expect(Buffer.byteLength(stderr.slice(stderr.indexOf('\n') + 1))).toBeLessThanOrEqual(1000);
    expect(message).toMatch(/the real cause$/);
  });

  it('does not cut a multi-byte character where the tail starts', async () => {
    // 3-byte characters and a 1000-byte cap: the cut falls inside a character.
    const [cmd, args] = node("process.stdout.write('€'.repeat(5000))");
    const result = await exec(cmd, args, { maxOutputBytes: 1000 });

    expect(result.stdout).toBe('€'.repeat(333));
    expect(result.droppedBytes.stdout).toBe(5000 * 3 - 999);
  });

  it('decodes a character split across two reads, in the result and in the callback', async () => {
    // Regression guard for decoding raw Buffers: é is \303\251, written in two parts.
    const chunks: string[] = [];
    const result = await exec('sh', ['-c', "printf '\\303'; sleep 0.2; printf '\\251\\n'"], {
      onStdout: (chunk) => chunks.push(chunk),
    });

    expect(result.stdout).toBe('é\n');
    expect(chunks.join('')).toBe('é\n');
    expect(chunks.some((chunk) => chunk.includes('\uFFFD'))).toBe(false);
  });

  it('survives a child that exits without reading a large input (EPIPE)', async () => {
    const [cmd, args] = node('process.exit(3)');
    const result = await exec(cmd, args, { input: 'x'.repeat(4 * 1024 * 1024), allowFailure: true });
    expect(result.code).toBe(3);
  });

  it('pipes a stream into stdin and stdout into a stream, capturing neither', async () => {
    const { PassThrough } = await import('node:stream');
    const source = new PassThrough();
    const sink = new PassThrough();
    const received: Buffer[] = [];
    sink.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => sink.on('end', resolve));
    const [cmd, args] = node('process.stdin.pipe(process.stdout)');
    const running = exec(cmd, args, { input: source, stdoutTo: sink });
    const payload = Buffer.alloc(3 * 1024 * 1024, 7);
    source.end(payload);
    const result = await running;
    await ended;
    expect(result.stdout).toBe('');
    expect(Buffer.concat(received).equals(payload)).toBe(true);
  });

  it('rejects a negative maxOutputBytes', async () => {
    await expect(exec('true', [], { maxOutputBytes: -1 })).rejects.toThrow(RangeError);
  });
});
