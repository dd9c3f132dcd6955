/** The variable that turns `GET /environ` on or off. */
export const ENVIRON_VARIABLE = 'ITEMS_ENVIRON';

const ON = new Set(['on', 'true', '1', 'yes']);
const OFF = new Set(['off', 'false', '0', 'no']);

/**
 * Whether the app serves `GET /environ`: `ITEMS_ENVIRON` when set (`on`,
 * `true`, `1`, `yes` or `off`, `false`, `0`, `no`, any case), else on unless
 * `NODE_ENV` is `production`. So the tutorial's `items-api --mode server`,
 * `pnpm start` and `pnpm dev` have it, and the production deployment (the
 * systemd unit's `NODE_ENV=production`) does not unless asked. Throws an
 * `Error` naming the variable for any other value.
 *
 * @example
 * environEnabled({ NODE_ENV: 'production' }); // false
 * environEnabled({ NODE_ENV: 'production', ITEMS_ENVIRON: 'on' }); // true
 */
export function environEnabled(env: {
  readonly ITEMS_ENVIRON?: string | undefined;
  readonly NODE_ENV?: string | undefined;
}): boolean {
  const value = (env.ITEMS_ENVIRON ?? '').trim().toLowerCase();
  if (value === '') return env.NODE_ENV !== 'production';
  if (ON.has(value)) return true;
  if (OFF.has(value)) return false;
  throw new Error(
    `${ENVIRON_VARIABLE} must be on or off (or true/false, 1/0, yes/no), got ${JSON.stringify(env.ITEMS_ENVIRON)}`,
  );
}
