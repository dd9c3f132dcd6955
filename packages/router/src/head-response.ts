import type { Application, Environ, ResponseBody, StartResponse, Write } from '@tsgi/spec';

const discard: Write = () => Promise.resolve();

function isThenable(value: unknown): value is PromiseLike<ResponseBody> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/**
 * Runs a `GET` application for a `HEAD` request and answers with its status and
 * headers but no body bytes (SPEC.md body.3): `write` discards, and the body is
 * closed without being read. An application that calls `startResponse` lazily,
 * from inside its body (SPEC.md sr.11), has its body read up to that call only.
 */
export function runWithoutBody(app: Application, environ: Environ, startResponse: StartResponse) {
  let started = false;
  const start: StartResponse = (status, headers, excInfo) => {
    startResponse(status, headers, excInfo);
    started = true;
    return discard;
  };
  const result = app(environ, start);
  const empty = (body: ResponseBody): ResponseBody => {
    let closed = false;
    const close = () => {
      if (closed) return;
      closed = true;
      return body.close?.();
    };
    if (started) return Object.assign([] as Uint8Array[], { close });
    const drain = async (): Promise<IteratorResult<Uint8Array>> => {
      for await (const _chunk of body) if (started) break;
      return { done: true, value: undefined };
    };
    return { [Symbol.asyncIterator]: () => ({ next: drain }), close };
  };
  return isThenable(result) ? Promise.resolve(result).then(empty) : empty(result);
}
