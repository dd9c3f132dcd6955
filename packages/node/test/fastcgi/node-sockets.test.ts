// The FastCGI suites once more with `sockets: 'node'`: every connection a
// net.Socket, the path taken where Node lacks the stream-handle binding. The
// global is set by the first import, before the suites read it.
import '../uwsgi/use-node-sockets.js';
import './fastcgi.test.js';
import './malformed.test.js';
import './survival.test.js';
