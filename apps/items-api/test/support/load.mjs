// Run by test/many-hosts.test.ts inside the Nginx host's network namespace
// (`ip netns exec … node load.mjs <json>`), since only there is Nginx reachable.
// Modes: {"mode":"ready","url","timeoutMs"} waits for /health; {"mode":"get","url","path"}
// prints "reply {status, body, ms}" for one GET; {"mode":"load",…} sends a bounded mixed load
// (GETs and keyed POSTs; "pauseMs" between a lane's requests), prints "progress N" lines
// and "failure" once, at its first failed request, then retries each failed POST with its
// key (for at most "retryMs") and prints one "result {json}" line. Every request gives up
// after "requestTimeoutMs". The test passes every bound (it scales them: TSGI_TEST_TIME_SCALE).
import { request } from 'node:http';

const args = JSON.parse(process.argv[2] ?? '{}');

function send(method, path, body, key) {
  return new Promise((resolve) => {
    const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
    if (key !== undefined) headers['Idempotency-Key'] = key;
    const req = request(
      `${args.url}${path}`,
      { method, headers, agent: false, timeout: args.requestTimeoutMs ?? 20_000 },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode, body: Buffer.concat(chunks).toString() }),
        );
        res.on('error', (error) => resolve({ status: 0, body: String(error) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ status: 0, body: String(error) }));
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function ready() {
  const deadline = Date.now() + (args.timeoutMs ?? 60_000);
  while (Date.now() < deadline) {
    const reply = await send('GET', '/health');
    if (reply.status === 200) return console.log('ready');
    await sleep(200);
  }
  console.log('not ready');
  process.exit(1);
}

async function load() {
  const { requests, concurrency, timeLimitMs, prefix, pauseMs = 0 } = args;
  const deadline = Date.now() + timeLimitMs;
  const out = {
    slowestFailureMs: 0,
    sent: 0,
    gets: 0,
    failedGets: [],
    posts: 0,
    created: [],
    failedPosts: [],
    statuses: {},
  };
  let next = 0;
  let failureSeen = false;
  async function lane() {
    while (next < requests && Date.now() < deadline) {
      const n = next++;
      out.sent++;
      // Before the request: every multiple of 50 is printed once, in order.
      if (out.sent % 50 === 0) console.log(`progress ${out.sent}`);
      const started = Date.now();
      const failed = (reply) => {
        out.slowestFailureMs = Math.max(out.slowestFailureMs, Date.now() - started);
        if (!failureSeen) console.log('failure');
        failureSeen = true;
        return reply;
      };
      if (n % 2 === 0) {
        out.gets++;
        const reply = await send('GET', n % 4 === 0 ? '/items?limit=5' : '/items/1');
        out.statuses[reply.status] = (out.statuses[reply.status] ?? 0) + 1;
        if (reply.status !== 200)
          out.failedGets.push(`${failed(reply).status} ${reply.body.slice(0, 120)}`);
      } else {
        out.posts++;
        const key = `${prefix}-${n}`;
        const reply = await send('POST', '/items', { name: key, stock: n }, key);
        out.statuses[reply.status] = (out.statuses[reply.status] ?? 0) + 1;
        if (reply.status === 201) out.created.push({ key, id: JSON.parse(reply.body).item.id });
        else
          out.failedPosts.push({
            key,
            n,
            status: failed(reply).status,
            body: reply.body.slice(0, 120),
          });
      }
      if (pauseMs > 0) await sleep(pauseMs);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane));
  // Each failed POST, retried with the same key until a 201, as a client should:
  // `concurrency` at a time, at most 20 tries each, all within `retryMs`.
  out.retried = [];
  const retryDeadline = Date.now() + (args.retryMs ?? 90_000);
  const queue = [...out.failedPosts];
  async function retryLane() {
    for (let failed = queue.shift(); failed !== undefined; failed = queue.shift()) {
      for (let attempt = 1; attempt <= 20 && Date.now() < retryDeadline; attempt++) {
        const body = { name: failed.key, stock: failed.n };
        const reply = await send('POST', '/items', body, failed.key);
        if (reply.status === 201) {
          out.retried.push({ key: failed.key, id: JSON.parse(reply.body).item.id, attempt });
          break;
        }
        await sleep(250);
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, retryLane));
  console.log(`result ${JSON.stringify(out)}`);
}

async function get() {
  const started = Date.now();
  const reply = await send('GET', args.path);
  console.log(`reply ${JSON.stringify({ ...reply, ms: Date.now() - started })}`);
}

await (args.mode === 'ready' ? ready() : args.mode === 'get' ? get() : load());
