/**
 * The fd systemd passed (socket activation): 3 when `LISTEN_PID` is this
 * process and `LISTEN_FDS` is at least 1, else `undefined`.
 */
export function systemdFd(env: NodeJS.ProcessEnv, pid: number): number | undefined {
  const count = Number(env.LISTEN_FDS);
  if (!Number.isInteger(count) || count < 1) return undefined;
  if (env.LISTEN_PID !== undefined && env.LISTEN_PID !== '' && Number(env.LISTEN_PID) !== pid) {
    return undefined;
  }
  return 3;
}
