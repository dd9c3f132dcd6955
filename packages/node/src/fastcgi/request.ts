import { RequestProblem } from '@tsgi/spec';
import { cgiVarsProblem } from '../cgi/var-checks.js';
import { decodeParams, MalformedRecordError } from './params.js';
import type { FastcgiBody } from './request-body.js';
import type { FastcgiResponse } from './response.js';

/** The most `FCGI_PARAMS` bytes one request may send: as much as a uwsgi packet's vars. */
export const MAX_PARAMS_SIZE = 65_535;

/** One request on a connection, from `FCGI_BEGIN_REQUEST` to `FCGI_END_REQUEST`. */
export class FastcgiRequest {
  readonly id: number;
  /** `FCGI_KEEP_CONN`: the web server keeps the connection after the response. */
  readonly keepConn: boolean;
  /** True once the empty `FCGI_STDIN` arrived. */
  stdinDone = false;
  body: FastcgiBody | undefined;
  response: FastcgiResponse | undefined;
  /** The `FCGI_PARAMS` contents while they arrive; `undefined` once their stream ended. */
  private params: Buffer[] | undefined = [];
  private paramsSize = 0;

  constructor(id: number, keepConn: boolean) {
    this.id = id;
    this.keepConn = keepConn;
  }

  /** True while `FCGI_PARAMS` records are still coming. */
  get readingParams(): boolean {
    return this.params !== undefined;
  }

  /**
   * Takes one `FCGI_PARAMS` record's content. Returns `undefined` while more
   * are to come; at the empty one that ends them, the variables, or why the
   * request is refused (400: malformed pairs, or a problem `cgiVarsProblem`
   * finds); a 431 as soon as they pass {@link MAX_PARAMS_SIZE}.
   */
  addParams(
    content: Buffer,
  ): Map<string, string> | { problem: RequestProblem; vars: Map<string, string> } | undefined {
    const parts = this.params!;
    if (content.byteLength > 0) {
      this.paramsSize += content.byteLength;
      parts.push(content);
      if (this.paramsSize <= MAX_PARAMS_SIZE) return undefined;
      this.params = undefined;
      const message = `FastCGI params larger than ${MAX_PARAMS_SIZE} bytes`;
      return { problem: new RequestProblem(431, message), vars: new Map() };
    }
    this.params = undefined;
    let vars: Map<string, string>;
    try {
      vars = decodeParams(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
    } catch (error) {
      if (!(error instanceof MalformedRecordError)) throw error;
      const problem = new RequestProblem(400, `malformed FCGI_PARAMS: ${error.message}`);
      return { problem, vars: new Map() };
    }
    const problem = cgiVarsProblem(vars);
    return problem === undefined ? vars : { problem, vars };
  }
}

/**
 * The body length a request announces: its `CONTENT_LENGTH`, or -1 when it
 * has none (a GET, or a body Nginx streams unbuffered, `fastcgi_request_buffering off`);
 * `NaN` for one that is not digits, which the environ builder refuses.
 */
export function declaredLength(vars: ReadonlyMap<string, string>): number {
  const length = vars.get('CONTENT_LENGTH') ?? '';
  return length === '' ? -1 : Number(length);
}
