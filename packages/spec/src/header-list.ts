/** Response headers as ordered `[name, value]` pairs; a name may repeat (`Set-Cookie`). */
export type HeaderList = Array<[string, string]>;
