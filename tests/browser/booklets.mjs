#!/usr/bin/env node
// Printable easy-read booklets of a built site.
//
//   node tests/browser/booklets.mjs DIR [--keep OUTDIR]
//
// Prints every page under */easy-read/booklet/ to PDF with its own CSS page size
// and checks that it has at least 2 pages, every one A4 (595.28 x 841.89 pt)
// for .../booklet/ or A5 (419.53 x 595.28 pt) for .../booklet/a5/, within 1pt.
// A booklet whose CSS sets no @page size prints on Letter, and so fails.
// A booklet with a cover (.cover and .booklet-content, as Signpost's) must
// have its title and the cover's last line on page 1 and the start of the
// story on page 2 (pdftotext per page), in every language. In right-to-left
// booklets each number written in groups ("01632 960000") and the web
// address on the back must read left to right on screen.
// --keep OUTDIR keeps the PDFs there. Prints `N passed, M failed`; exits 1 if
// any booklet failed (none found is not a failure, and says so).

import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { startServer, launchBrowser, listPages, printPdf, mapPool, parseArgs, isMain } from './lib.mjs';
import { describeSize, allPagesAre } from './print.mjs';
import { spawnSync } from 'node:child_process';

/** Text of one PDF page (pdftotext, from poppler-utils). */
export function pdfPageText(file, n) {
  const r = spawnSync('pdftotext', ['-f', String(n), '-l', String(n), file, '-'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`pdftotext failed on ${file}: ${r.error ? r.error.message : r.stderr}`);
  return r.stdout;
}

/** Text as pdftotext and the DOM can both give it: no spaces, no bidi marks, no Arabic vowel marks. */
export function squash(text) {
  return text.normalize('NFKC').replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069\u064b-\u065f\u0670\u0640]/g, '').replace(/\s+/g, '');
}

/** Share (0..1) of `words` found in a page's text. */
export function shareFound(words, pageText) {
  const hay = squash(pageText);
  const ws = words.map(squash).filter((w) => [...w].length >= 2);
  if (!ws.length) return 1;
  return ws.filter((w) => hay.includes(w)).length / ws.length;
}

/**
 * Runs in the booklet page: the cover's words (title and its last line), the
 * words that start the story, and, in right-to-left booklets, each number
 * written in groups ("01632 960000") and the web address with the screen
 * order of their parts.
 */
function bookletFacts() {
  const cover = document.querySelector('.cover');
  const story = document.querySelector('.booklet-content');
  const words = (el) => (el ? el.textContent.split(/\s+/).filter(Boolean) : []);
  const first = story && [...story.querySelectorAll('h2, h3, p')].find((e) => e.textContent.trim());
  const rtl = document.documentElement.dir === 'rtl';
  const numbers = [];
  let url = null;
  if (rtl) {
    const rectOf = (node, start, end) => {
      const r = document.createRange();
      r.setStart(node, start);
      r.setEnd(node, end);
      return r.getBoundingClientRect();
    };
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const m of node.data.matchAll(/\d+(?:[ \u00a0]\d+)+/g)) {
        const groups = [...m[0].matchAll(/\d+/g)];
        const a = groups[0];
        const b = groups[groups.length - 1];
        const ra = rectOf(node, m.index + a.index, m.index + a.index + a[0].length);
        const rb = rectOf(node, m.index + b.index, m.index + b.index + b[0].length);
        if (Math.abs(ra.top - rb.top) < 2) numbers.push({ text: m[0], ltr: ra.left < rb.left });
      }
    }
    const u = document.querySelector('.back .url');
    if (u) {
      const text = u.textContent;
      const tw = document.createTreeWalker(u, NodeFilter.SHOW_TEXT);
      const nodes = [];
      for (let n = tw.nextNode(); n; n = tw.nextNode()) nodes.push(n);
      const firstNode = nodes[0];
      const lastNode = nodes[nodes.length - 1];
      const head = rectOf(firstNode, 0, 1);
      const tail = rectOf(lastNode, lastNode.data.length - 1, lastNode.data.length);
      url = {
        text,
        // The address starts at the top left and ends at the bottom right.
        ltr: tail.top > head.top + 1 || tail.left > head.left,
      };
    }
  }
  return {
    hasCover: Boolean(cover && story),
    coverWords: [...words(cover && cover.querySelector('h1')), ...words(cover && cover.lastElementChild)],
    storyWords: words(first).slice(0, 12),
    rtl,
    numbers,
    url,
  };
}

/** Problems with the cover (page 1) and the start of the story (page 2). */
export function coverProblems(facts, page1, page2) {
  const out = [];
  if (!facts.hasCover) return out;
  const onCover = shareFound(facts.coverWords, page1);
  if (onCover < 0.8) {
    out.push(`cover does not fit page 1: only ${Math.round(onCover * 100)}% of "${facts.coverWords.join(' ')}" is on it`);
  }
  const storyOn2 = shareFound(facts.storyWords, page2);
  if (storyOn2 < 0.8) {
    out.push(`page 2 does not start the story: ${Math.round(storyOn2 * 100)}% of "${facts.storyWords.join(' ')}" is on it`);
  }
  return out;
}

/** Problems with numbers and web addresses in a right-to-left booklet. */
export function rtlProblems(facts) {
  const out = [];
  if (!facts.rtl) return out;
  for (const n of facts.numbers) {
    if (!n.ltr) out.push(`number "${n.text}" reads right to left: its groups are in the wrong order on screen`);
  }
  if (facts.url && !facts.url.ltr) out.push(`web address "${facts.url.text}" does not read left to right (its last character is not at its end)`);
  return out;
}

export const MIN_PAGES = 2;

/** Booklet URL paths of a built site, each with the paper size it must print on. */
export function listBooklets(dir) {
  return listPages(dir)
    .filter((p) => /\/easy-read\/booklet\//.test(p))
    .map((p) => ({ urlPath: p, paper: /\/easy-read\/booklet\/a5\//.test(p) ? 'A5' : 'A4' }));
}

/** Print and check every booklet; returns [{ urlPath, paper, info, problems }]. */
export async function checkBooklets(dir, { outDir, concurrency = 2 } = {}) {
  const booklets = listBooklets(dir);
  if (!booklets.length) return [];
  const tmp = outDir || fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-booklets-'));
  fs.mkdirSync(tmp, { recursive: true });
  const server = await startServer(dir);
  let browser;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext();
    return await mapPool(booklets, concurrency, async ({ urlPath, paper }) => {
      const name = urlPath.replace(/^\/|\/$/g, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'index';
      const file = path.join(tmp, `${name}.pdf`);
      const problems = [];
      let info = null;
      try {
        info = await printPdf(context, server.origin + urlPath, file, { fallbackFormat: 'Letter' });
        if (info.pageCount < MIN_PAGES) {
          problems.push(`has ${info.pageCount} page${info.pageCount === 1 ? '' : 's'}, needs at least ${MIN_PAGES}`);
        }
        if (!allPagesAre(info, paper)) {
          const sizes = [...new Set(info.pages.map(describeSize))].join('; ');
          problems.push(`pages must all be ${paper}, found ${sizes || 'none'}`);
        }
        const page = await context.newPage();
        let facts;
        try {
          await page.goto(server.origin + urlPath, { waitUntil: 'load' });
          await page.emulateMedia({ media: 'print' });
          facts = await page.evaluate(bookletFacts);
        } finally {
          await page.close();
        }
        if (facts.hasCover && info.pageCount >= 2) {
          problems.push(...coverProblems(facts, pdfPageText(file, 1), pdfPageText(file, 2)));
        }
        problems.push(...rtlProblems(facts));
      } catch (err) {
        problems.push(`could not print: ${String(err.message).split('\n')[0]}`);
      }
      return { urlPath, paper, file, info, problems };
    });
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.close();
    if (!outDir) fs.rmSync(tmp, { recursive: true, force: true });
  }
}

export async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs(argv, { flags: ['help'], options: ['keep'] });
  } catch (e) {
    console.error(`booklets.mjs: ${e.message}`);
    return 2;
  }
  const { positional, opts } = parsed;
  if (opts.help || positional.length !== 1) {
    console.error('usage: node tests/browser/booklets.mjs DIR [--keep OUTDIR]');
    return opts.help ? 0 : 2;
  }
  const dir = path.resolve(positional[0]);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`booklets.mjs: ${dir} is not a folder`);
    return 2;
  }
  const started = Date.now();
  const results = await checkBooklets(dir, { outDir: opts.keep ? path.resolve(opts.keep) : undefined });
  if (!results.length) console.log(`No easy-read booklets (*/easy-read/booklet/) found in ${dir}`);
  let passed = 0;
  let failed = 0;
  for (const r of results) {
    const summary = r.info
      ? `${r.info.pageCount} page${r.info.pageCount === 1 ? '' : 's'}, ${[...new Set(r.info.pages.map(describeSize))].join('; ')}`
      : 'not printed';
    if (r.problems.length) {
      failed++;
      console.log(`FAIL ${r.urlPath} (${r.paper}): ${summary}`);
      for (const p of r.problems) console.log(`  ${p}`);
    } else {
      passed++;
      console.log(`ok   ${r.urlPath} (${r.paper}): ${summary}`);
    }
  }
  if (opts.keep) console.log(`PDFs kept in ${path.resolve(opts.keep)}`);
  console.log(`Booklet check took ${((Date.now() - started) / 1000).toFixed(0)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`booklets.mjs: ${err && err.stack ? err.stack : err}`);
      process.exitCode = 2;
    },
  );
}
