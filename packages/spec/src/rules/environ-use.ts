import type { Rule } from './rule.js';

/**
 * The rules of SPEC.md's "Middleware" (`mw.*`), "URL reconstruction" (`url.*`) and
 * "Extension keys" (`ext.*`): how middleware changes the environ, the
 * `SCRIPT_NAME`/`PATH_INFO` invariants, and the keys beyond CGI's.
 */
export const environUseRules = {
  // Middleware
  'mw.1': {
    text: 'A middleware that changes the environ (for example with `shiftPathInfo`) changes it in place and keeps every `env` and `ext` rule true for the application it calls.',
    enforcedBy: 'validate',
  },

  // URL reconstruction
  'url.1': {
    text: 'The server sets `SCRIPT_NAME + PATH_INFO` to the path of `REQUEST_URI` percent-decoded as UTF-8, with `%2F` decoded too and dot segments kept as sent; a path that does not decode to valid UTF-8 or contains `%00` is answered with 400.',
    enforcedBy: 'server',
  },
  'url.2': {
    text: '`SCRIPT_NAME` and `PATH_INFO` are well-formed Unicode text with no NUL character.',
    enforcedBy: 'validate',
  },

  // Extension keys
  'ext.1': {
    text: 'A key that is not a CGI variable contains a dot, and the part before the first dot names who owns it, e.g. `node.request`.',
    enforcedBy: 'validate',
  },
  'ext.2': {
    text: 'Keys starting with `tsgi.` are reserved: only the keys of this specification and the registered extensions (`tsgi.route`, `tsgi.request_id`, `tsgi.websocket`) may be used.',
    enforcedBy: 'validate',
  },
  'ext.3': {
    text: '`tsgi.route`, when present, is `{ pattern: string, params: Record<string, string> }`, set by the router that matched the request.',
    enforcedBy: 'validate',
  },
  'ext.4': {
    text: '`tsgi.request_id`, when present, is a non-empty string of visible ASCII characters.',
    enforcedBy: 'validate',
  },
} as const satisfies Record<string, Rule>;
