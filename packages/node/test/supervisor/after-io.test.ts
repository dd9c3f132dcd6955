/**
 * The master judges worker heartbeats with `everyAfterIo`: a master that was
 * busy itself (a long /stats scrape) must read the heartbeats that came in
 * meanwhile before it calls a worker silent, or it kills healthy workers as
 * "unresponsive" (harakiri) whenever it is slow.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BOUNDS,
  bound,
  guarded,
  killQuietly,
  until,
} from '../../../../tools/test-support/index.ts';
import { everyAfterIo } from '../../src/supervisor/after-io.js';

/** A child that appends a byte to the file argv[1] names, then sends its count, every 10 ms. */
const BEATING = `
const { appendFileSync } = require('node:fs');
let n = 0;
setInterval(() => {
  appendFileSync(process.argv[1], 'b');
  process.send({ n: ++n });
}, 10);
process.on('disconnect', () => process.exit(0));
`;

describe('everyAfterIo', () => {
  it('checks only after reading the messages that came in while the process was busy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsgi-after-io-'));
    const file = join(dir, 'beats');
    writeFileSync(file, '');
    const child = spawn(process.execPath, ['-e', BEATING, file], {
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let last = 0;
    /** The count the child had appended when the busy spell began, once it is over. */
    let before: number | undefined;
    const plain: number[] = [];
    const deferred: number[] = [];
    const timers = [
      setInterval(() => before !== undefined && plain.push(last), 50),
      everyAfterIo(50, () => before !== undefined && deferred.push(last)),
    ];
    child.on('message', (message: { n: number }) => {
      last = message.n;
      if (last !== 5) return;
      // Busy in an I/O callback, as the master is in a scrape, until the child has sent
      // two more messages (it appends its third only after sending the second).
      const appended = statSync(file).size;
      const began = Date.now();
      const limit = began + bound(BOUNDS.short);
      while (
        (Date.now() - began < 150 || statSync(file).size < appended + 3) &&
        Date.now() < limit
      ) {
        // busy
      }
      before = appended;
    });
    await guarded(
      async () => {
        await until(() => plain.length > 0 && deferred.length > 0, {
          what: 'both checks to run after the busy spell',
          details: () => `plain ${plain}, deferred ${deferred}, last ${last}`,
        });
        // A plain interval runs before the loop reads again: it sees none of what came
        // in meanwhile. everyAfterIo's check runs after the read.
        expect(plain[0]).toBeLessThanOrEqual(before!);
        expect(deferred[0]).toBeGreaterThanOrEqual(before! + 2);
      },
      () => {
        for (const timer of timers) clearInterval(timer);
      },
      () => killQuietly(child.pid, 'SIGTERM', false),
      () => rmSync(dir, { recursive: true, force: true }),
    );
  });
});
