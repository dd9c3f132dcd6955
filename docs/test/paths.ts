/** Where the docs tests find the `docs/` folder and the repository root. */
import { fileURLToPath } from 'node:url';

/** The `docs/` folder. */
export const DOCS = fileURLToPath(new URL('..', import.meta.url));

/** The repository root. */
export const REPO = fileURLToPath(new URL('../..', import.meta.url));
