import { environKeys } from '@tsgi/spec';

/**
 * Parts of a name that mark a credential. An environ key whose name, upper-cased
 * with `-` and `.` read as `_`, contains one of them is redacted: this covers
 * `HTTP_AUTHORIZATION`, `HTTP_PROXY_AUTHORIZATION`, `HTTP_COOKIE`,
 * `HTTP_SET_COOKIE`, `HTTP_X_API_KEY`, `HTTP_X_AUTH_TOKEN`, `HTTP_X_CSRF_TOKEN`,
 * `HTTP_X_AMZ_SECURITY_TOKEN` and any gateway variable such as `DB_PASSWORD`.
 */
export const REDACTED_NAME_PARTS: readonly string[] = [
  'AUTH',
  'COOKIE',
  'TOKEN',
  'SECRET',
  'PASSWORD',
  'PASSWD',
  'PASSPHRASE',
  'API_KEY',
  'APIKEY',
  'ACCESS_KEY',
  'SESSION',
  'CREDENTIAL',
  'PRIVATE',
];

/**
 * CGI variables a front server passes that are shown besides the literal keys
 * of SPEC.md's environ table (`REQUEST_METHOD`, `REMOTE_PORT`, …): RFC 3875's
 * meta-variables and those of Nginx's `uwsgi_params` and `fastcgi_params`.
 */
export const GATEWAY_CGI_KEYS: readonly string[] = [
  'GATEWAY_INTERFACE',
  'PATH_TRANSLATED',
  'REMOTE_HOST',
  'REMOTE_IDENT',
  'REMOTE_USER',
  'SERVER_SOFTWARE',
  'DOCUMENT_ROOT',
  'DOCUMENT_URI',
  'REQUEST_SCHEME',
  'HTTPS',
  'SERVER_ADDR',
  'SCRIPT_FILENAME',
  'REDIRECT_STATUS',
];

const SHOWN_CGI = new Set([
  ...environKeys.map(({ key }) => key).filter((key) => /^[A-Z][A-Z0-9_]*$/.test(key)),
  ...GATEWAY_CGI_KEYS,
]);

/**
 * Whether `/environ` shows `key`'s value as `"[redacted]"`: its name contains
 * one of {@link REDACTED_NAME_PARTS}, or it is a variable that is neither a
 * header (`HTTP_*`), nor a TSGI key (`tsgi.*`, `<owner>.<name>`), nor a CGI key
 * (SPEC.md's table or {@link GATEWAY_CGI_KEYS}): a parameter a gateway adds,
 * such as a FastCGI `DB_PASSWORD`, may hold anything.
 */
export function isRedacted(key: string): boolean {
  const name = key.toUpperCase().replace(/[-.]/g, '_');
  if (REDACTED_NAME_PARTS.some((part) => name.includes(part))) return true;
  return !key.startsWith('HTTP_') && !key.includes('.') && !SHOWN_CGI.has(key);
}
