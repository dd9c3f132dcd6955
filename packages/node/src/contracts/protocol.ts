/**
 * The wire protocols a listener speaks, in the order `tsgi --help` lists
 * them: `'http'` (HTTP/1.1), `'uwsgi'` (Nginx's `uwsgi_pass`) and `'fastcgi'`
 * (Nginx's `fastcgi_pass`, kept alive). The listener's table of transports
 * is checked against it, so a protocol named here has a transport.
 */
export const protocols = ['http', 'uwsgi', 'fastcgi'] as const;

/** A wire protocol of `createListener`: one of {@link protocols}. */
export type Protocol = (typeof protocols)[number];
