/** Counters of one server's WebSockets, read by the metrics. */
export interface SocketCounts {
  /** WebSockets accepted since the server started. */
  accepted: number;
  /** Messages received from peers. */
  received: number;
  /** Messages the applications sent. */
  sent: number;
}
