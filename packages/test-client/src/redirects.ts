import type { OutgoingRequest, Transport } from './outgoing-request.js';
import { withoutHeaders } from './request-headers.js';
import { type Origin, originOf } from './request-target.js';
import type { TestResponse } from './response.js';

/** The statuses that redirect: 301, 302, 303, 307 and 308. */
export const REDIRECTS: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
const DEFAULT_REDIRECT_LIMIT = 10;

/**
 * How many redirects the `followRedirects` option follows: none for `false`
 * (the default), 10 for `true`, or the number given.
 */
export function redirectLimit(follow: boolean | number = false): number {
  return follow === true ? DEFAULT_REDIRECT_LIMIT : follow === false ? 0 : follow;
}

/** What following redirects needs from the client. */
export interface RedirectPolicy {
  /** The most redirects to follow; one more is an error naming the limit. */
  readonly limit: number;
  /** In-process, the app's origin: a redirect to another host cannot be followed. Undefined over HTTP. */
  readonly inProcess: Origin | undefined;
  /** Sends one request (the cookie jar on both sides) and resolves to its response. */
  readonly exchange: Transport;
}

/**
 * Follows the redirects from `firstResponse` (the answer to `first`) as
 * `fetch` does: 303, and 301/302 after a POST, become a GET without a body;
 * 307/308 resend the method and body (a streamed body cannot be sent twice);
 * `Authorization` and `Host` are dropped when the origin changes. Resolves to
 * the last response, with `redirected` set when a redirect was followed.
 */
export async function followRedirects(
  first: OutgoingRequest,
  firstResponse: TestResponse,
  policy: RedirectPolicy,
): Promise<TestResponse> {
  let request = first;
  let response = firstResponse;
  let hops = 0;
  while (REDIRECTS.has(response.status)) {
    const location = response.headers.get('location');
    if (location === null) break;
    if (hops === policy.limit) {
      throw new Error(
        `test-client: stopped after ${hops} redirects; ${response.url} redirects again to ${location}`,
      );
    }
    hops++;
    await response.close();
    let next: URL;
    try {
      next = new URL(location, response.url);
    } catch {
      throw new Error(
        `test-client: cannot follow the ${response.status} from ${response.url}: Location ${JSON.stringify(location)} is not a URL`,
      );
    }
    const origin = originOf(next);
    const app = policy.inProcess;
    if (app !== undefined && origin.hostname !== app.hostname) {
      throw new Error(
        `test-client: cannot follow the redirect from ${response.url} to ${next.href} in-process: it leaves ${app.href}`,
      );
    }
    let { method, body, headers } = request;
    const status = response.status;
    if (
      (status === 303 && method !== 'HEAD') ||
      ((status === 301 || status === 302) && method === 'POST')
    ) {
      method = 'GET';
      body = undefined;
      headers = withoutHeaders(headers, ['content-type', 'content-length', 'transfer-encoding']);
    } else if (body !== undefined && !(body instanceof Uint8Array)) {
      throw new Error(
        `test-client: cannot follow the ${status} redirect to ${next.href}: a streamed request body cannot be sent twice`,
      );
    }
    if (origin.href !== request.location.origin.href) {
      headers = withoutHeaders(headers, ['authorization', 'host']);
    }
    request = {
      ...request,
      method,
      body,
      headers,
      location: { origin, target: next.pathname + next.search },
    };
    response = await policy.exchange(request);
  }
  response.redirected = hops > 0;
  return response;
}
