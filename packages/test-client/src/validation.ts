import { type Application, validate } from '@tsgi/spec';

/**
 * Wraps an app in `validate()` from `@tsgi/spec`, so every in-process request
 * checks both the app and this client against SPEC.md, like `Rack::Lint`.
 */
export function withValidation(app: Application): Application {
  return validate(app);
}
