/**
 * Load generators for protocols wrk cannot speak, as the head-to-head runner
 * takes them (`LoadGenerator` of bench/head-to-head.ts): a Node driver script
 * run as `node <script> <port> <seconds> <connections>`, pinned to a CPU,
 * that prints one last line of JSON `{"requests", "errors", "seconds"}`.
 */
import { runPinned } from '../../../../bench/harness.ts';
import type { LoadGenerator } from '../../../../bench/head-to-head.ts';

/**
 * The driver at `script` (an absolute path) as a load generator; `what` says
 * how it loads, for the notes under the table.
 *
 * @example
 * const fastcgi = driverLoad(`${here}against-base/fastcgi-driver.mjs`, 'kept-alive connections');
 */
export function driverLoad(script: string, what: string): LoadGenerator {
  const file = script.slice(script.lastIndexOf('/bench/') + 1);
  return {
    name: `${file} (Node ${process.version}), ${what}`,
    command: (seconds, connections) => `node ${file} <port> ${seconds} ${connections}`,
    async run(url, seconds, connections, cpu) {
      const args = [script, new URL(url).port, String(seconds), String(connections)];
      const stdout = await runPinned(cpu, process.execPath, args, seconds);
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as {
        requests: number;
        errors: number;
        seconds: number;
      };
      return { ...result, requestsPerSecond: result.requests / result.seconds };
    },
  };
}
