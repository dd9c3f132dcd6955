import { Buffer } from 'node:buffer';

/** Largest chunk a batch allocates at once; a larger batch is several chunks, joined when taken. */
const MAX_CHUNK = 1_048_576;

/** Characters of lines gathered as one string, by default, before they are encoded together. */
const TEXT_RUN = 4096;

/**
 * The bytes of the lines a {@link LineBuffer} holds. Lines are gathered into
 * a short run of text (4 Ki characters), which is encoded to UTF-8 in one
 * call into a preallocated chunk: one call per run instead of one per line
 * (each call costs about 100 ns, more than a short line's encoding), and no
 * line lives on as a string until its batch goes out. (Lines held as strings
 * for a whole batch survive young-generation collections and are copied,
 * then promoted, which measured about 0.6 µs a line on a busy server; a
 * whole batch flattened and encoded at once is also twice as slow when one
 * line holds a character past Latin-1.)
 *
 * A chunk has room for twice the batch size (up to 1 MiB), so a batch that
 * reaches its size is one chunk; a run that does not fit starts another,
 * and the chunks are joined when the batch is taken.
 */
export class ByteBatch {
  readonly #chunkSize: number;
  /** Chunks already filled, in order. */
  #full: Buffer[] = [];
  #fullBytes = 0;
  #chunk: Buffer | undefined;
  #used = 0;
  /** Lines not encoded yet. */
  #text = '';

  readonly #run: number;

  /**
   * `batchSize`: the bytes at which the owner takes the batch; `run`: the
   * characters gathered before they are encoded (default 4096).
   */
  constructor(batchSize: number, run = TEXT_RUN) {
    this.#chunkSize = Math.min(batchSize * 2, MAX_CHUNK);
    this.#run = run;
  }

  /** Bytes held (lines not encoded yet counted a byte a character). */
  get length(): number {
    return this.#fullBytes + this.#used + this.#text.length;
  }

  /** Appends `text`; it is encoded with the lines around it. */
  append(text: string): void {
    this.#text += text;
    if (this.#text.length >= this.#run) this.#encode();
  }

  /** Encodes the run of text as UTF-8, starting a new chunk when the current one cannot take it. */
  #encode(): void {
    const text = this.#text;
    this.#text = '';
    const chunk = this.#chunk;
    if (chunk !== undefined) {
      const free = chunk.length - this.#used;
      if (text.length <= free) {
        // `write` stops before a character that does not fit, so with 4 bytes
        // (the longest character) left over nothing was cut off.
        const written = chunk.write(text, this.#used);
        if (free - written >= 4 || written === Buffer.byteLength(text)) {
          this.#used += written;
          return;
        }
      }
    }
    this.#seal(Buffer.byteLength(text));
    this.#used = this.#chunk!.write(text, 0);
  }

  /** Takes every byte held, as one buffer, and empties the batch. */
  take(): Buffer {
    if (this.#text !== '') this.#encode();
    const current = this.#chunk === undefined ? undefined : this.#chunk.subarray(0, this.#used);
    const full = this.#full;
    this.#full = [];
    this.#fullBytes = 0;
    this.#chunk = undefined;
    this.#used = 0;
    if (full.length === 0) return current ?? Buffer.alloc(0);
    if (current !== undefined && current.length > 0) full.push(current);
    return full.length === 1 ? full[0]! : Buffer.concat(full);
  }

  /** Keeps the current chunk's bytes and starts a chunk of at least `bytes` bytes. */
  #seal(bytes: number): void {
    if (this.#chunk !== undefined && this.#used > 0) {
      this.#full.push(this.#chunk.subarray(0, this.#used));
      this.#fullBytes += this.#used;
    }
    // A fresh chunk each time: the one taken last may still be with the stream.
    this.#chunk = Buffer.allocUnsafeSlow(Math.max(this.#chunkSize, bytes));
    this.#used = 0;
  }
}
