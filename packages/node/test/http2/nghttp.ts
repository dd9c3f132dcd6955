import { execFile } from 'node:child_process';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** One frame as `nghttp -v` logged it: its head line and the indented lines under it. */
export interface NghttpFrame {
  direction: 'send' | 'recv';
  type: string;
  flags: number;
  stream: number;
  lines: string[];
}

/** One stream as `nghttp -v` logged it: the request nghttp sent and what came back on it. */
export interface NghttpStream {
  id: number;
  method: string | undefined;
  path: string | undefined;
  status: number | undefined;
  /** The DATA received on the stream, one character per byte (latin1). */
  body: string;
  /** A frame with END_STREAM came back. */
  ended: boolean;
}

/** What one `nghttp -v` run did: its exit, its connections, frames and streams. */
export interface NghttpLog {
  code: number;
  /** nghttp's warnings, e.g. "Certificate verification failed". */
  stderr: string;
  /** How many connections nghttp opened ("Connected" lines). */
  connections: number;
  /** The protocol ALPN chose. */
  protocol: string | undefined;
  /** The first non-ACK SETTINGS frame received: the server's settings by name. */
  serverSettings: Record<string, number>;
  frames: NghttpFrame[];
  streams: Map<number, NghttpStream>;
  output: string;
}

const END_STREAM = 0x1;
const ACK = 0x1;
const STAMP = String.raw`\[\s*\d+\.\d+\] `;
const DATA_RECV = new RegExp(
  `${STAMP}recv DATA frame <length=(\\d+), flags=0x([0-9a-f]+), stream_id=(\\d+)>`,
  'g',
);
const HEAD = new RegExp(`^${STAMP}(.*)$`);
const FRAME = /^(send|recv) (\w+) frame <length=\d+, flags=0x([0-9a-f]+), stream_id=(\d+)>$/;
const STATUS = /^recv \(stream_id=(\d+)\) :status: (\d+)$/;

/**
 * Takes the response bodies out of `nghttp -v`'s output: nghttp writes each
 * DATA frame's bytes just before the frame's `recv DATA` line, without a
 * newline. Returns the log without them and the bodies in frame order.
 */
function splitBodies(output: string): { log: string; chunks: string[] } {
  const chunks: string[] = [];
  let log = '';
  let from = 0;
  for (const match of output.matchAll(DATA_RECV)) {
    const start = match.index - Number(match[1]);
    if (start < from) throw new Error(`a DATA frame's bytes overlap the log:\n${output}`);
    log += output.slice(from, start);
    chunks.push(output.slice(start, match.index));
    from = match.index;
  }
  return { log: log + output.slice(from), chunks };
}

/** Reads `nghttp -v`'s stdout (latin1) into connections, settings, frames and streams. */
export function parseNghttp(output: string, code = 0, stderr = ''): NghttpLog {
  const { log, chunks } = splitBodies(output);
  const result: NghttpLog = {
    code,
    stderr,
    connections: 0,
    protocol: undefined,
    serverSettings: {},
    frames: [],
    streams: new Map(),
    output,
  };
  const stream = (id: number): NghttpStream => {
    let found = result.streams.get(id);
    if (found === undefined) {
      found = { id, method: undefined, path: undefined, status: undefined, body: '', ended: false };
      result.streams.set(id, found);
    }
    return found;
  };
  let frame: NghttpFrame | undefined;
  for (const line of log.split('\n')) {
    if (frame !== undefined && /^\s/.test(line)) {
      frame.lines.push(line.trim());
      continue;
    }
    frame = undefined;
    const protocol = /^The negotiated protocol: (\S+)/.exec(line);
    if (protocol !== null) result.protocol = protocol[1];
    const head = HEAD.exec(line)?.[1];
    if (head === undefined) continue;
    if (head === 'Connected') result.connections++;
    const status = STATUS.exec(head);
    if (status !== null) stream(Number(status[1])).status = Number(status[2]);
    const parts = FRAME.exec(head);
    if (parts === null) continue;
    frame = {
      direction: parts[1] as 'send' | 'recv',
      type: parts[2]!,
      flags: Number.parseInt(parts[3]!, 16),
      stream: Number(parts[4]),
      lines: [],
    };
    result.frames.push(frame);
    if (frame.direction === 'recv' && frame.type === 'DATA') {
      stream(frame.stream).body += chunks.shift() ?? '';
    }
    if (frame.direction === 'recv' && (frame.type === 'DATA' || frame.type === 'HEADERS')) {
      if ((frame.flags & END_STREAM) !== 0) stream(frame.stream).ended = true;
    }
  }
  for (const f of result.frames) {
    if (f.direction === 'send' && f.type === 'HEADERS') {
      const request = stream(f.stream);
      request.method = f.lines.find((l) => l.startsWith(':method: '))?.slice(9);
      request.path = f.lines.find((l) => l.startsWith(':path: '))?.slice(7);
    }
  }
  const settings = result.frames.find(
    (f) => f.direction === 'recv' && f.type === 'SETTINGS' && (f.flags & ACK) === 0,
  );
  for (const l of settings?.lines ?? []) {
    const setting = /^\[(SETTINGS_\w+)\(0x[0-9a-f]+\):(\d+)\]$/.exec(l);
    if (setting !== null) result.serverSettings[setting[1]!] = Number(setting[2]);
  }
  return result;
}

/**
 * Runs Debian's `nghttp -v ...args ...urls` (h2 over TLS, one connection for
 * all of them), trusting only `ca` (`SSL_CERT_FILE`: nghttp checks the chain
 * and warns on stderr when it fails); bounded by `BOUNDS.process`. Resolves
 * with the parsed log whatever nghttp's exit code.
 */
export function nghttp(urls: string[], args: string[], ca: string): Promise<NghttpLog> {
  return new Promise((resolve, reject) => {
    execFile(
      'nghttp',
      ['-v', ...args, ...urls],
      {
        encoding: 'latin1',
        env: { ...process.env, SSL_CERT_FILE: ca },
        maxBuffer: 256 * 1024 * 1024,
        timeout: bound(BOUNDS.process),
      },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        if (error !== null && code === -1) {
          reject(new Error(`nghttp failed: ${error.message}\n${stderr}`));
          return;
        }
        try {
          resolve(parseNghttp(stdout, code, stderr));
        } catch (parseError) {
          reject(parseError);
        }
      },
    );
  });
}
