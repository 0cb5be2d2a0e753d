#!/usr/bin/env node
// Printable easy-read booklets of a built site.
//
//   node tests/browser/booklets.mjs DIR [--keep OUTDIR]
//
// Prints every page under */easy-read/booklet/ to PDF with its own CSS page size
// and checks that it has at least 2 pages, every one A4 (595.28 x 841.89 pt)
// for .../booklet/ or A5 (419.53 x 595.28 pt) for .../booklet/a5/, within 1pt.
// A booklet whose CSS sets no @page size prints on Letter, and so fails.
// --keep OUTDIR keeps the PDFs there. Prints `N passed, M failed`; exits 1 if
// any booklet failed (none found is not a failure, and says so).

import path from 'node:path';
import fs from 'node:fs';
import os from 'node:os';
import { startServer, launchBrowser, listPages, printPdf, mapPool, parseArgs, isMain } from './lib.mjs';
import { describeSize, allPagesAre } from './print.mjs';

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
