import {
  type Environ,
  type HeaderList,
  type ResponseBody,
  type StartResponse,
  TOKEN,
} from '@tsgi/spec';
import type { ResolvedCorsOptions } from './options.js';

/** One token, from the spec's `TOKEN` without its anchors. */
const NAME = TOKEN.source.slice(1, -1);

/** A comma-separated list of header names, as `Access-Control-Request-Headers` must be. */
const HEADER_NAME_LIST = new RegExp(`^[\\t ]*${NAME}(?:[\\t ]*,[\\t ]*${NAME})*[\\t ]*$`);

/**
 * The `Vary` tokens of a preflight answer: `Origin` when the answer depends on
 * it, the request headers when they are reflected, and the private-network
 * request header when that option is on.
 */
export function preflightVary(options: ResolvedCorsOptions): string[] {
  const vary: string[] = [];
  if (!options.anyOrigin) vary.push('Origin');
  if (options.allowedHeaders === undefined) vary.push('Access-Control-Request-Headers');
  if (options.privateNetwork) vary.push('Access-Control-Request-Private-Network');
  return vary;
}

/**
 * Answers a preflight for an allowed origin, without calling the app:
 * `allowOrigin` is the `Access-Control-Allow-Origin` value. The body is empty;
 * 204 carries no `Content-Length`, 200 carries `Content-Length: 0`.
 */
export function answerPreflight(
  environ: Environ,
  startResponse: StartResponse,
  options: ResolvedCorsOptions,
  allowOrigin: string | undefined,
  statusLine: string,
  varyValue: string,
): ResponseBody {
  const headers: HeaderList = [];
  if (allowOrigin !== undefined) {
    headers.push(['Access-Control-Allow-Origin', allowOrigin]);
    if (options.credentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
    if (options.methods !== '') headers.push(['Access-Control-Allow-Methods', options.methods]);
    if (options.allowedHeaders === undefined) {
      const requested = environ.HTTP_ACCESS_CONTROL_REQUEST_HEADERS;
      if (requested !== undefined && HEADER_NAME_LIST.test(requested)) {
        headers.push(['Access-Control-Allow-Headers', requested.trim()]);
      }
    } else if (options.allowedHeaders !== '') {
      headers.push(['Access-Control-Allow-Headers', options.allowedHeaders]);
    }
    if (options.maxAge !== undefined) headers.push(['Access-Control-Max-Age', options.maxAge]);
    if (
      options.privateNetwork &&
      environ.HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK?.trim().toLowerCase() === 'true'
    ) {
      headers.push(['Access-Control-Allow-Private-Network', 'true']);
    }
  }
  if (varyValue !== '') headers.push(['Vary', varyValue]);
  if (options.preflightStatus === 200) headers.push(['Content-Length', '0']);
  startResponse(statusLine, headers);
  return [];
}
