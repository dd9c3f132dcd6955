// Contender: bare node:http answering every request with the JSON of the first
// page of GET /items (ITEMS_PAGE, else the tutorial's three items), built per
// request as @tsgi/spec's jsonResponse does: JSON.stringify of the page, bytes
// by Buffer.from, one writeHead with Content-Type and Content-Length, one end.
// A request body is left to node:http, which discards it. No SQLite, no
// middleware: the floor under the other contenders.
import { createServer } from 'node:http';

const PAGE = process.env.ITEMS_PAGE
  ? JSON.parse(process.env.ITEMS_PAGE)
  : {
      items: [
        { id: 1, name: 'MacBook Pro', stock: 5 },
        { id: 2, name: '机械键盘', stock: 12 },
        { id: 3, name: '显示器', stock: 3 },
      ],
      total: 3,
    };

const server = createServer((_req, res) => {
  const body = Buffer.from(JSON.stringify(PAGE), 'utf8');
  res.writeHead(200, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(body.byteLength),
  });
  res.end(body);
});
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
