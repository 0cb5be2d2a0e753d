// Reading on a phone: large print, easy read and long report pages at 320x568
// CSS px and with the root font size at 200% (in a 640x900 viewport), checked
// as a resident would suffer them:
//
//   split     no heading line ends inside a word (each word's
//             Range.getClientRects: one line box) unless the word is wider
//             than the line; at 320 px with normal text only a long run with
//             no spaces of 15 or more letters (a web address) may be wider than
//             the line
//   scroll    nothing scrolls sideways (scrollWidth <= clientWidth)
//   headings  sizes strictly ordered h1 > h2 > ... > h6 (levels on the page)
//             and none smaller than the page's body text
//   picture   easy read: the text column is at least 60% of each row
//   title     large print at 320x568: the title starts on the first screen
//             (pages with no not-yet-translated notice above it)
//
//   node tests/browser/phone.mjs DIR [--filter SUBSTRING]
//
// Prints one line per failure and `N passed, M failed`; exits 1 on any failure.
import { startServer, launchBrowser, listPages, mapPool, parseArgs, isMain } from './lib.mjs';

/** Which pages to check: every large-print and easy-read page, and long reports. */
export function phonePages(dir) {
  return listPages(dir).filter(
    (p) => !/\/booklet\//.test(p) && (/\/(large-print|easy-read)\//.test(p) || /\/annual-report-[^/]+\/$/.test(p)),
  );
}

export const SETTINGS = [
  { name: '320x568', width: 320, height: 568, text200: false },
  { name: '640x900 text 200%', width: 640, height: 900, text200: true },
];

/** Runs in the page: the facts the checks need. */
function measure(strict) {
  const main = document.querySelector('main');
  const headings = [...main.querySelectorAll('h1, h2, h3, h4, h5, h6')].filter((h) => h.getClientRects().length);
  const canvas = document.createElement('canvas').getContext('2d');
  const splits = [];
  for (const h of headings) {
    const cs = getComputedStyle(h);
    const inner = h.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const font = getComputedStyle(node.parentElement).font;
      // Words, each with its trailing hyphen: a line may end after "drop-".
      for (const m of node.data.matchAll(/[^\s\-\u2010]+[\-\u2010]?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
        if (tops.size < 2) continue;
        canvas.font = font;
        const whole = canvas.measureText(m[0]).width;
        // A word wider than the line may break. At phone width with normal
        // text only a run of 15 or more letters (a web address, a long
        // compound such as Polish "niebezpieczeństwo") may: the heading must
        // be small enough for a plain word such as "Independent" to fit.
        const runOn = [...m[0]].length >= 15 || /[/.@:_]/.test(m[0]);
        const overlong = whole > inner && (strict ? runOn : true);
        if (!overlong) splits.push({ heading: h.localName, word: m[0], whole: Math.round(whole), inner: Math.round(inner) });
      }
    }
  }
  const sizes = {};
  for (const h of headings) (sizes[h.localName] ||= []).push(parseFloat(getComputedStyle(h).fontSize));
  // Body text: the most common size of the page's paragraphs and list items.
  const count = new Map();
  for (const el of main.querySelectorAll('p, li')) {
    if (el.closest('h1, h2, h3, h4, h5, h6, nav, .page-meta') || !el.textContent.trim()) continue;
    const s = parseFloat(getComputedStyle(el).fontSize);
    count.set(s, (count.get(s) || 0) + el.textContent.length);
  }
  const body = [...count.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null;
  const rows = [...main.querySelectorAll('.er-row')].map((row) => {
    const text = row.querySelector('.er-text');
    return text ? text.getBoundingClientRect().width / row.getBoundingClientRect().width : 1;
  });
  const h1 = main.querySelector('h1');
  const de = document.documentElement;
  return {
    splits,
    sizes,
    body,
    textShare: rows.length ? Math.min(...rows) : null,
    h1Top: h1 ? h1.getBoundingClientRect().top + window.scrollY : null,
    fallback: Boolean(document.querySelector('#fallback')),
    scrollWidth: de.scrollWidth,
    clientWidth: de.clientWidth,
  };
}

/** The problems a page's facts show, in plain words. */
export function problems(facts, { setting, urlPath }) {
  const out = [];
  for (const s of facts.splits) {
    out.push(`${s.heading} splits "${s.word}" across lines (${s.whole}px whole, line ${s.inner}px): the heading must fit a word whole`);
  }
  if (facts.scrollWidth > facts.clientWidth) {
    out.push(`scrolls sideways: ${facts.scrollWidth}px wide in a ${facts.clientWidth}px window`);
  }
  const levels = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].filter((l) => facts.sizes[l]);
  for (let i = 1; i < levels.length; i++) {
    const above = Math.min(...facts.sizes[levels[i - 1]]);
    const below = Math.max(...facts.sizes[levels[i]]);
    if (!(above > below)) out.push(`${levels[i - 1]} (${above}px) is not larger than ${levels[i]} (${below}px)`);
  }
  if (facts.body !== null) {
    for (const l of levels) {
      const smallest = Math.min(...facts.sizes[l]);
      if (smallest < facts.body) out.push(`${l} (${smallest}px) is smaller than the body text (${facts.body}px)`);
    }
  }
  if (facts.textShare !== null && facts.textShare < 0.6) {
    out.push(`easy-read text column is ${Math.round(facts.textShare * 100)}% of its row (needs 60%)`);
  }
  const largePrint = /\/large-print\/$/.test(urlPath) && !/\/easy-read\//.test(urlPath);
  if (largePrint && !setting.text200 && !facts.fallback && facts.h1Top !== null && facts.h1Top >= setting.height) {
    out.push(`title starts ${Math.round(facts.h1Top)}px down, below the first ${setting.height}px screen`);
  }
  return out;
}

export async function checkPhone(dir, { filter } = {}) {
  const pages = phonePages(dir).filter((p) => !filter || p.includes(filter));
  const server = await startServer(dir);
  const browser = await launchBrowser();
  const results = [];
  try {
    for (const setting of SETTINGS) {
      const context = await browser.newContext({ viewport: { width: setting.width, height: setting.height } });
      const found = await mapPool(pages, 2, async (urlPath) => {
        const page = await context.newPage();
        try {
          await page.goto(server.origin + urlPath, { waitUntil: 'load' });
          if (setting.text200) await page.evaluate(() => { document.documentElement.style.fontSize = '200%'; });
          const facts = await page.evaluate(measure, !setting.text200);
          return { urlPath, setting: setting.name, problems: problems(facts, { setting, urlPath }) };
        } catch (err) {
          return { urlPath, setting: setting.name, problems: [`could not check: ${String(err.message).split('\n')[0]}`] };
        } finally {
          await page.close();
        }
      });
      results.push(...found);
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  return results;
}

async function main(argv) {
  const { positional, opts } = parseArgs(argv, { options: ['filter'] });
  const [dir] = positional;
  if (!dir) {
    console.error('usage: node tests/browser/phone.mjs DIR [--filter SUBSTRING]');
    return 2;
  }
  const results = await checkPhone(dir, { filter: opts.filter });
  if (!results.length) {
    console.log('FAILED: no large-print, easy-read or long report pages found');
    console.log('0 passed, 1 failed');
    return 1;
  }
  let failed = 0;
  for (const r of results) {
    if (!r.problems.length) continue;
    failed++;
    for (const p of r.problems) console.log(`FAILED ${r.urlPath} at ${r.setting}: ${p}`);
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err) => {
      console.error(err);
      process.exit(2);
    },
  );
}
