// Child process for the raw-frame tests: serves the outside-client scenario on
// @tsgi/node (127.0.0.1, port 0) and prints {"port": n}. argv: the message
// limit in bytes. Every SPEC violation is printed to stderr as one line
// starting `violation: `. A crash (an unhandled 'error', a throw) ends this
// process, which the test sees and reports with this stderr.
import { startTsgiServer } from './outside-servers.js';

const maxMessage = Number(process.argv[2]);
const server = await startTsgiServer({
  ...(Number.isInteger(maxMessage) && maxMessage > 0 ? { maxMessage } : {}),
  onViolation: (message) => process.stderr.write(`violation: ${message.replace(/\n/g, ' ')}\n`),
});
console.log(JSON.stringify({ port: server.port }));
process.once('SIGTERM', () => {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
