import type { TestResponse } from '../response.js';

/**
 * Thrown by `client.websocket()` when the app denies the upgrade: it called
 * `startResponse` instead of `accept()`, and that response (a `403`, say) is
 * what a client receives instead of the `101`.
 *
 * @example
 * const error = await client.websocket('/admin').catch((e) => e);
 * expect(error).toBeInstanceOf(WebSocketDenied);
 * expect(error.status).toBe(403);
 */
export class WebSocketDenied extends Error {
  /** The response the app sent instead of the `101`. */
  readonly response: TestResponse;
  /** Its status code, e.g. `403`. */
  readonly status: number;
  /** Its body, decoded as UTF-8. */
  readonly body: string;

  /** Made by `client.websocket()` from the denial's response and its body text. */
  constructor(url: string, response: TestResponse, body: string) {
    const shown = body.length > 200 ? `${body.slice(0, 200)}…` : body;
    super(
      `test-client: the WebSocket upgrade of ${url} was denied with ${response.status} ${response.statusText}${shown === '' ? '' : `: ${JSON.stringify(shown)}`}`,
    );
    this.name = 'WebSocketDenied';
    this.response = response;
    this.status = response.status;
    this.body = body;
  }
}
