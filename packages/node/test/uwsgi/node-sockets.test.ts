// The uwsgi suites once more with `sockets: 'node'`: every connection a
// net.Socket, the path taken where Node lacks the stream-handle binding. The
// global is set by the first import, before the suites read it.
import './use-node-sockets.js';
import './uwsgi.test.js';
import './deadlines.test.js';
import './packet-checks.test.js';
import './survival.test.js';
