import type { OutgoingBody } from './request-body.js';
import type { HeaderPairs } from './request-headers.js';
import type { Location } from './request-target.js';
import type { BodyStream, TestResponse } from './response.js';

/** A request fully resolved by the client, ready for a transport. */
export interface OutgoingRequest {
  method: string;
  location: Location;
  headers: HeaderPairs;
  body: OutgoingBody;
  /** In-process environ overrides (client defaults merged with the request's own). */
  environ: Record<string, unknown> | undefined;
  stream: boolean;
}

/** Sends a request and resolves to its response: in-process or over HTTP. */
export type Transport = (request: OutgoingRequest) => Promise<TestResponse>;

/** Streamed bodies not yet read to the end, so `client.close()` can close them. */
export type OpenStreams = Set<BodyStream>;
