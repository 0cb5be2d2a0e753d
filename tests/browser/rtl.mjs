// Right-to-left layout in a real browser: on an Arabic easy-read page the
// pictures sit on the right of their text, the breadcrumbs start at the
// right, and nothing scrolls sideways at 320 CSS px. Screenshots are saved
// so people can look at them.
//
//   node tests/browser/rtl.mjs DIR PAGE [SCREENSHOT_DIR]
//
// PAGE is an Arabic easy-read page path such as /ar/guides/a/easy-read/.
// Prints `N passed, M failed` and exits 1 on any failure.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser } from './lib.mjs';

const [dir, pagePath, shots = '/tmp/signpost-rtl'] = process.argv.slice(2);
if (!dir || !pagePath) {
  console.error('usage: node tests/browser/rtl.mjs DIR PAGE [SCREENSHOT_DIR]');
  process.exit(2);
}
mkdirSync(shots, { recursive: true });
const server = await startServer(dir);
const browser = await launchBrowser();
let passed = 0;
let failed = 0;
const check = (ok, what) => {
  if (ok) { passed++; console.log(`ok: ${what}`); } else { failed++; console.log(`FAILED: ${what}`); }
};
try {
  for (const width of [1280, 320]) {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    await page.goto(server.origin + pagePath, { waitUntil: 'load' });
    const facts = await page.evaluate(() => {
      const row = document.querySelector('.er-row');
      const pic = row && row.querySelector('.er-picture');
      const text = row && row.querySelector('.er-text');
      const crumbs = document.querySelector('.breadcrumbs li');
      const main = document.querySelector('main');
      const r = (el) => el && el.getBoundingClientRect();
      return {
        dir: document.documentElement.dir,
        pic: r(pic), text: r(text), crumb: r(crumbs), main: r(main),
        scroll: document.documentElement.scrollWidth, inner: window.innerWidth,
      };
    });
    check(facts.dir === 'rtl', `${width}px: html dir is rtl`);
    check(facts.pic && facts.text && facts.pic.left > facts.text.left, `${width}px: easy-read picture is to the right of its text`);
    check(facts.crumb && facts.main && facts.main.right - facts.crumb.right < 40, `${width}px: breadcrumbs start on the right`);
    check(facts.scroll <= facts.inner, `${width}px: no sideways scrolling (${facts.scroll} <= ${facts.inner})`);
    const file = path.join(shots, `rtl-${width}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`screenshot: ${file}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
