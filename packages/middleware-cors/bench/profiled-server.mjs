// bench/server.mjs under --cpu-prof: exit cleanly on SIGTERM so the profile is written.
process.on('SIGTERM', () => process.exit(0));
await import('./server.mjs');
