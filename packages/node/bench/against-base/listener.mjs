// Contender: createListener(app, PROTOCOL) of one build of @tsgi/node, with
// PROTOCOL 'uwsgi' or 'fastcgi', serving the hello-world JSON app of the Nginx
// benchmark (nginx/app.mjs) on loopback TCP with the default options (raw
// sockets). createListener is in the main entry of every build, before and
// after uwsgi and FastCGI got entries of their own. TSGI_DIST is the absolute
// path of the build's packages/node/dist/index.js.
import { pathToFileURL } from 'node:url';
import { application } from '../nginx/app.mjs';

const dist = process.env.TSGI_DIST;
const protocol = process.env.PROTOCOL;
if (!dist || !protocol) throw new Error('against-base/listener.mjs: set TSGI_DIST and PROTOCOL');
const { createListener } = await import(pathToFileURL(dist).href);

const listener = createListener(application, protocol, {});
const address = await listener.listen({
  host: process.env.HOST ?? '127.0.0.1',
  port: Number(process.env.PORT ?? 0),
});
console.log(JSON.stringify({ port: address.port }));
process.once('SIGTERM', () => void listener.close(1000).then(() => process.exit(0)));
