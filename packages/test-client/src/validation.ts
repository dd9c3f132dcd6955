import type { Application } from '@tsgi/spec';

/**
 * Wraps an app in `validate()` from `@tsgi/spec`.
 * TODO: `validate()` has not landed in @tsgi/spec yet; until it does, apps run unwrapped.
 */
export function withValidation(app: Application): Application {
  return app;
}
