import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The pages of the documentation site a new app's README links to for its
 * deployment, as paths in the TSGI repository (`docs/` is the site's source).
 */
export const DEPLOY_GUIDE = {
  nginx: 'docs/deploy/nginx.md',
  systemd: 'docs/deploy/systemd.md',
} as const;

/** The branch whose files the links show. */
const BRANCH = 'main';

/**
 * The web address of `path` in the TSGI repository, from the `repository`
 * field of this package's package.json (`git+https://github.com/o/r.git`
 * gives `https://github.com/o/r/blob/main/<path>`).
 *
 * @example
 * repositoryFileUrl('docs/deploy/nginx.md');
 * // 'https://github.com/tsgi/tsgi/blob/main/docs/deploy/nginx.md'
 */
export function repositoryFileUrl(path: string): string {
  // ../package.json from src/ (tests) and from dist/ (the published bin) alike.
  const manifest = JSON.parse(
    readFileSync(fileURLToPath(new URL('../package.json', import.meta.url)), 'utf8'),
  ) as { repository: { url: string } };
  const repository = manifest.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
  return `${repository}/blob/${BRANCH}/${path}`;
}
