/**
 * Section 10, miscellaneous: a 64 KiB text message auto-fragmented into
 * frames of 1300 octets is reassembled and echoed.
 */
import { type ConformanceCase, echoCase, fragments, repeat } from './case.js';
import { text } from './events.js';
import { OP } from './frames.js';

const PAYLOAD = repeat('*', 65536);
const FRAME = 1300;

/** Section 10 (auto-fragmentation). */
export const MISC: ConformanceCase[] = [
  echoCase(
    '10.1.1',
    `Send a text message of 65536 octets auto-fragmented into frames of ${FRAME} octets.`,
    async (connection) => {
      await connection.sendFrames(fragments(OP.text, PAYLOAD, FRAME));
      // The client's own half: 50 frames with FIN clear, then the last with FIN set.
      const { fin, more } = connection.framesSent;
      if (more !== Math.floor(PAYLOAD.length / FRAME) || fin !== 1)
        throw new Error(`the client sent ${more} + ${fin} frames`);
    },
    [text(PAYLOAD)],
  ),
];
