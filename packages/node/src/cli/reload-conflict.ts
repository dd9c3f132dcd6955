import type { CliConfig } from '../supervisor/config.js';

/**
 * Why `--reload` cannot run with the rest of `config`, or `undefined`. It is
 * for development: production's recycling (`--max-requests`) and systemd
 * socket activation (an inherited `fd`) make no sense with it.
 *
 * @example
 * reloadConflict({ ...config, reload: true, maxRequests: 1000 });
 * // "--reload is for development and cannot run with --max-requests ..."
 */
export function reloadConflict(config: CliConfig): string | undefined {
  if (!config.reload) {
    return config.reloadDir === '' ? undefined : '--reload-dir needs --reload';
  }
  const production = [
    config.maxRequests > 0 && '--max-requests (recycling)',
    config.fd !== undefined && 'systemd socket activation (LISTEN_FDS)',
  ].filter((what): what is string => typeof what === 'string');
  if (production.length === 0) return undefined;
  return (
    `--reload is for development and cannot run with ${production.join(' or ')}: ` +
    'drop --reload in production (reload with SIGHUP there), or drop the other option'
  );
}
