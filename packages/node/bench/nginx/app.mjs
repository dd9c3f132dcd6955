// The TSGI app behind Nginx in the benchmark: the same small JSON body as the other contenders.
// No imports, so a rebuild of another package during a run cannot break it.
const body = new TextEncoder().encode(JSON.stringify({ hello: 'world' }));
const headers = [
  ['Content-Type', 'application/json; charset=utf-8'],
  ['Content-Length', String(body.byteLength)],
];

export const application = (_environ, startResponse) => {
  startResponse('200 OK', headers);
  return [body];
};
