// Imported first by node-sockets.test.ts: the suites it imports next run on net.Socket.
(globalThis as { TSGI_TEST_SOCKETS?: 'raw' | 'node' }).TSGI_TEST_SOCKETS = 'node';
