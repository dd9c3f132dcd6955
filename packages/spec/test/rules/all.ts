import { bodyCases } from './body.cases.ts';
import type { RuleTable } from './cases.ts';
import { envCases } from './env.cases.ts';
import { environUseCases } from './environ-use.cases.ts';
import { inputCases } from './input.cases.ts';
import { responseCases } from './response.cases.ts';
import { websocketCases } from './websocket.cases.ts';

/** Every rule table, by the part of SPEC.md it covers. */
export const allCases: Record<string, RuleTable> = {
  'application and environ': envCases,
  'input and errors streams': inputCases,
  'startResponse and write': responseCases,
  'response body and async applications': bodyCases,
  'middleware, URLs and extension keys': environUseCases,
  'WebSockets: tsgi.websocket': websocketCases,
};
