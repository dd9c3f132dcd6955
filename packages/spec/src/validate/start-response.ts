import type { StartResponse, Write } from '../application.js';
import type { Environ } from '../environ.js';
import { TsgiValidationError } from '../errors.js';
import { checkEnviron } from './environ.js';
import { checkHeaders, checkStatus } from './headers.js';
import type { ResponseState } from './response-state.js';
import { show, violation } from './violation.js';
import { wrapWrite } from './write.js';

/**
 * Wraps the server's `startResponse`: checks the application's arguments and
 * call order (sr.1–sr.11, and ws.7 after a WebSocket `accept()`), that the
 * environ is still valid (mw.1), and what the server returns or throws
 * (sr.10, sr.12).
 */
export function wrapStartResponse(
  inner: StartResponse,
  state: ResponseState,
  environ: Environ,
): StartResponse {
  return (...args: unknown[]): Write => {
    const [status, headers] = args;
    const hasExcInfo = args.length >= 3 && args[2] !== undefined;
    if (state.accepted) {
      throw violation('ws.7', 'startResponse was called after tsgi.websocket.accept()');
    }
    if (args.length < 2 || args.length > 3) {
      throw violation('sr.3', `startResponse was called with ${args.length} arguments`);
    }
    if (state.ended || state.closed) {
      throw violation('sr.9', 'startResponse was called after the body had ended');
    }
    if (state.started && !hasExcInfo) {
      throw violation('sr.9', 'startResponse was called a second time without excInfo');
    }
    if (state.started && state.headersSent) {
      // The server must rethrow excInfo (PEP 3333): if it does, that propagates.
      inner(status as string, headers as [string, string][], args[2]);
      throw violation('sr.10', 'startResponse returned instead of throwing excInfo');
    }
    const code = checkStatus(status);
    const contentLength = checkHeaders(headers, code);
    try {
      checkEnviron(environ);
    } catch (error) {
      if (error instanceof TsgiValidationError) {
        throw violation('mw.1', `the environ was changed into an invalid one: ${error.message}`);
      }
      throw error;
    }
    const write: unknown = inner(status as string, headers as [string, string][], args[2]);
    if (typeof write !== 'function') {
      throw violation('sr.12', `startResponse returned ${show(write)}`);
    }
    state.started = true;
    state.status = code;
    state.contentLength = contentLength;
    return wrapWrite(write as Write, state);
  };
}
