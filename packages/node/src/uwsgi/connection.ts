import type { WireSocket } from '../wire/wire-socket.js';
import { HEADER_SIZE } from './packet.js';
import type { DeadlineSweep, Watched } from './sweep.js';

/** What a connection hands its packet to once it arrived whole. */
export interface PacketHandler {
  /**
   * `modifier1`/`modifier2` from the header, the vars block and whatever
   * came after it in the same reads (the start of the body).
   */
  onPacket(
    connection: UwsgiConnection,
    modifier1: number,
    modifier2: number,
    block: Buffer,
    rest: Buffer,
  ): void;
}

const CONNECTION = Symbol('uwsgi connection');
type Tagged = WireSocket & { [CONNECTION]: UwsgiConnection };

/**
 * One accepted uwsgi connection: one object, and socket listeners shared by
 * every connection (they find theirs through the socket), so accepting costs
 * no closures. It gathers the packet (the usual whole packet in one read is
 * parsed from that chunk as it is, without copying), then hands it over and
 * stops reading; its deadlines are policed by the server's `DeadlineSweep`.
 */
export class UwsgiConnection implements Watched {
  readonly socket: WireSocket;
  /** True once its packet arrived and the request runs (false while the packet is arriving). */
  busy = false;
  deadline: number;
  seen = 0;
  private buffered: Buffer | undefined = undefined;
  private readonly handler: PacketHandler;
  private readonly sweep: DeadlineSweep;
  private readonly live: Set<UwsgiConnection>;

  /**
   * Starts reading the packet on `socket`; `handler` gets it once it is
   * whole. The connection is in `live` from now until its socket closes.
   */
  constructor(
    socket: WireSocket,
    handler: PacketHandler,
    sweep: DeadlineSweep,
    live: Set<UwsgiConnection>,
  ) {
    this.socket = socket;
    this.handler = handler;
    this.sweep = sweep;
    this.live = live;
    live.add(this);
    this.deadline = sweep.acceptDeadline(this, Date.now());
    if (this.deadline !== 0) sweep.start();
    (socket as Tagged)[CONNECTION] = this;
    socket.on('error', ignore);
    socket.on('data', onData);
    socket.on('end', onEnd);
    socket.on('close', onClose);
  }

  /** Takes a chunk of the packet (the shared `'data'` listener calls it). */
  read(chunk: Buffer): void {
    const buffered = this.buffered === undefined ? chunk : Buffer.concat([this.buffered, chunk]);
    if (buffered.byteLength < HEADER_SIZE) {
      this.buffered = buffered;
      return;
    }
    const end = HEADER_SIZE + (buffered[1]! | (buffered[2]! << 8));
    if (buffered.byteLength < end) {
      this.buffered = buffered;
      return;
    }
    this.buffered = undefined;
    const socket = this.socket;
    socket.removeListener('data', onData);
    socket.pause();
    this.busy = true;
    this.deadline = this.sweep.idleDeadline(this, Date.now());
    this.handler.onPacket(
      this,
      buffered[0]!,
      buffered[3]!,
      buffered.subarray(HEADER_SIZE, end),
      buffered.subarray(end),
    );
  }

  /** The peer ended its side (the shared `'end'` listener calls it). */
  ended(): void {
    // The peer gave up before its packet was whole: nothing to answer.
    if (!this.busy) this.socket.destroy();
  }

  /** The socket closed (the shared `'close'` listener calls it). */
  closed(): void {
    this.live.delete(this);
  }

  /** The connection that `socket` carries. */
  static of(socket: WireSocket): UwsgiConnection {
    return (socket as Tagged)[CONNECTION];
  }
}

function ignore(): void {}

function onData(this: WireSocket, chunk: Buffer): void {
  UwsgiConnection.of(this).read(chunk);
}

function onEnd(this: WireSocket): void {
  UwsgiConnection.of(this).ended();
}

function onClose(this: WireSocket): void {
  UwsgiConnection.of(this).closed();
}
