import { openStore } from '../store/open-store.js';

/**
 * Opens the database `DATABASE_URL` names, applies the migrations it lacks and
 * reports what it did in one line. Returns the names of the steps applied.
 */
export async function runMigrate(
  env: NodeJS.ProcessEnv = process.env,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<string[]> {
  const store = openStore(env.DATABASE_URL, env);
  try {
    const applied = await store.migrate();
    write(
      applied.length === 0
        ? `migrate: ${store.kind} ${store.location} is up to date\n`
        : `migrate: ${store.kind} ${store.location}: applied ${applied.join(', ')}\n`,
    );
    return applied;
  } finally {
    await store.close();
  }
}
