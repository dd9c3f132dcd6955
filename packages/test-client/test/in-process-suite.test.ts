import { createClient } from '../src/index.ts';
import { clientSuite } from './client-suite.ts';

clientSuite({
  mode: 'in-process',
  async client(app, options) {
    return createClient(app, options);
  },
});
