/** The text of `items-api --help`. */
export function helpText(): string {
  return `items-api — the tutorial's items service on TSGI

Usage:
  items-api --mode server  [--host 127.0.0.1] [--port 8002] [--workers N] [--socket PATH] [--protocol http|uwsgi|fastcgi]
                           [--environ on|off] [-- <tsgi serve options>]
  items-api --mode demo    [--host 127.0.0.1] [--port 8002]
  items-api --mode environ
  items-api migrate
  items-api --help

Modes:
  server    Migrates the database, then runs the app under \`tsgi serve\` (from @tsgi/node):
            one process by default, a master and N workers with --workers N. Ctrl+C stops it.
  demo      Calls a running server over HTTP (with @tsgi/test-client) and prints each call:
            ✅/❌, the status, the body and X-Process-Time. Exit code 1 if any call is ❌.
  environ   Prints the environ reference table of TSGI (from @tsgi/spec's SPEC.md). The default.

Commands:
  migrate   Creates the schema and inserts the three seed items, once. Safe to run again and
            from several processes at once. \`--mode server\` and every worker run it on start too.

Options:
  --mode <mode>          server, demo or environ (default: environ)
  --host <address>       address to listen on (server) or to call (demo) (default: $HOST or 127.0.0.1)
  -p, --port <port>      TCP port (default: $PORT or 8002)
  -w, --workers <n>      worker processes sharing the socket (server; default: 1, or $TSGI_WORKERS)
  --socket <path>        listen on this Unix socket instead of host:port (server)
  --protocol <p>         http (default), uwsgi (Nginx's uwsgi_pass) or fastcgi (fastcgi_pass) (server)
  --environ on|off       serve GET /environ (server; sets ITEMS_ENVIRON; default: on, off when
                         NODE_ENV=production)
  -- <options>           anything after -- goes to \`tsgi serve\` as is, e.g. -- --max-requests 10000
  -h, --help             this text

Environment:
  DATABASE_URL   sqlite:./data/items.db (default; relative to the working directory),
                 sqlite:/var/lib/items-api/items.db, or postgres://user:password@host:5432/db
  DATABASE_POOL_SIZE, DATABASE_CONNECT_TIMEOUT_MS, DATABASE_STATEMENT_TIMEOUT_MS
                 PostgreSQL connections per process (default 5), the wait for one (2000 ms) and
                 the longest statement (5000 ms); past them a request gets a 503
  CORS_ORIGINS   origins browsers may call from, comma-separated (default: any, *)
  REQUEST_ID_TRUST_PROXY
                 whose X-Request-Id to keep: true (behind Nginx on a Unix socket), or addresses,
                 CIDRs, loopback, unix (default: none; every request gets a new id)
  NODE_ENV       production turns validate() off (it is on otherwise), and GET /environ
  ITEMS_ENVIRON  on or off: GET /environ, credentials redacted (default: on unless NODE_ENV=production)
  HOST, PORT     defaults of --host and --port
  TSGI_*         other tsgi serve settings (TSGI_WORKERS, TSGI_ACCESS_LOG, …; see tsgi --help)
  TSGI_BIN       the tsgi CLI script to run (default: the one @tsgi/node installs)

Routes:
  GET /health · GET /items?limit=&offset= · POST /items (Idempotency-Key: once per key) · GET /items/:id · GET /environ (see ITEMS_ENVIRON)
`;
}
