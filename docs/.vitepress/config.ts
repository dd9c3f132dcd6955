/**
 * The VitePress configuration of the TSGI documentation site. The sidebar and
 * the nav are made from the page folders and each page's front matter
 * (`sidebar.ts`); the generated pages are written by `docs/scripts/` first.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';
import { navigation } from './sidebar.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const { sidebar, nav } = navigation(root);

export default defineConfig({
  title: 'TSGI',
  description:
    'The TypeScript Server Gateway Interface: a WSGI (PEP 3333) for Node.js, its server and middleware.',
  lang: 'en',
  base: '/',
  outDir: 'dist',
  // Pages are `guide/tutorial.html`: a static server needs no rewrites, and
  // the link test resolves every href to a file.
  cleanUrls: false,
  srcExclude: ['README.md', 'scripts/**', 'test/**', '**/node_modules/**', '.check-*/**'],
  // Every link and anchor is checked by the docs tests (test/links.test.ts),
  // which report all broken ones at once, anchors included.
  ignoreDeadLinks: true,
  lastUpdated: false,
  // An icon of its own, so no browser asks for a /favicon.ico the site does not have.
  head: [['link', { rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' }]],
  themeConfig: {
    nav,
    sidebar,
    outline: { level: [2, 3], label: 'On this page' },
    search: { provider: 'local' },
    docFooter: { prev: 'Previous', next: 'Next' },
  },
});
