import { type Agent, request } from 'node:http';
import { BOUNDS, bound } from '../../../../tools/test-support/index.ts';

/** A whole response read off the wire. */
export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/**
 * One plain `node:http` request to 127.0.0.1:`port`, bounded (a short bound); a fresh
 * connection unless an `agent` is given. For what the test client would hide:
 * exact bytes, raw headers, Nginx in between.
 */
export function send(
  port: number,
  method: string,
  path: string,
  options: {
    body?: Buffer | string;
    /** A list sends the header once per value. */
    headers?: Record<string, string | string[]>;
    agent?: Agent;
  } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: options.headers,
        agent: options.agent ?? false,
        timeout: bound(BOUNDS.short),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}
