// The TSGI app behind Nginx in the benchmark: the same small JSON body as the other contenders.
import { jsonResponse } from '@tsgi/spec';

export const application = (_environ, startResponse) =>
  jsonResponse(startResponse, 200, { hello: 'world' });
