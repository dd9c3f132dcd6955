// pnpm hooks. One job: on a Node with the built-in `node:sqlite` (22.13 and later), items-api
// uses it, so `pnpm install` skips compiling better-sqlite3 (most of a first install's time,
// and it does not compile on every Node). On Node 20, better-sqlite3 is built as usual.
// Changing Node means a fresh `pnpm install` anyway: native builds are per Node ABI.
// TSGI_BUILD_BETTER_SQLITE3=1 builds it anyway (for SQLITE_DRIVER=better-sqlite3, or its benchmark).
const [major, minor] = process.versions.node.split('.').map(Number);
const hasNodeSqlite = major > 22 || (major === 22 && minor >= 13);

module.exports = {
  hooks: {
    updateConfig(config) {
      // biome-ignore lint/suspicious/noUndeclaredEnvVars: read by pnpm install, not by a turbo task
      if (!hasNodeSqlite || process.env.TSGI_BUILD_BETTER_SQLITE3 === '1') return config;
      const skip = 'better-sqlite3';
      config.onlyBuiltDependencies = (config.onlyBuiltDependencies ?? []).filter((n) => n !== skip);
      config.ignoredBuiltDependencies = [...(config.ignoredBuiltDependencies ?? []), skip];
      return config;
    },
  },
};
