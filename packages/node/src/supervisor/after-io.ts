/**
 * Runs `check` every `ms` (an unref'd interval, returned), each time only
 * once the event loop has read the I/O that arrived before the check.
 *
 * A timer callback runs before the loop polls again: after the process was
 * busy itself (a long synchronous step, such as a `/stats` scrape reading a
 * large `/proc/net/tcp`), the messages that came in during that step are
 * still unread when the timer fires. The master judges its workers'
 * heartbeats this way, so that its own busy spell never looks like theirs.
 * The check is queued with `setImmediate`, past the next poll; when the
 * process was busy again between queueing and running (more than `ms`), it
 * is queued once more, so what came in meanwhile is read first.
 */
export function everyAfterIo(ms: number, check: () => void): NodeJS.Timeout {
  let queued = false;
  const run = (at: number) => {
    if (Date.now() - at > ms) {
      setImmediate(run, Date.now());
      return;
    }
    queued = false;
    check();
  };
  const timer = setInterval(() => {
    if (queued) return;
    queued = true;
    setImmediate(run, Date.now());
  }, ms);
  timer.unref();
  return timer;
}
