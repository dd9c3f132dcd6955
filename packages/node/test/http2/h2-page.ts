/**
 * The page the Chromium HTTP/2 test loads from the h2 app: `/page` loads
 * `/page.js` (and no favicon), which fetches `/seen` three times at once,
 * stores the answers in `window.answers` and sets the title to "done" (or
 * "failed: …").
 */

/** The subresources `/page` makes the browser load. */
export const PAGE_SUBRESOURCES = ['/page.js', '/seen?r=1', '/seen?r=2', '/seen?r=3'];

/** `/page`: an HTML page whose one script is `/page.js`. */
export const PAGE_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>running</title></head>
<body><p>HTTP/2 page</p><script src="/page.js"></script></body></html>
`;

/** `/page.js`: fetches `/seen?r=1` to `?r=3` at once, then reports. */
export const PAGE_SCRIPT = `Promise.all(
  [1, 2, 3].map((n) => fetch('/seen?r=' + n).then((response) => response.json())),
).then(
  (answers) => {
    window.answers = answers;
    document.title = 'done';
  },
  (error) => {
    document.title = 'failed: ' + error;
  },
);
`;
