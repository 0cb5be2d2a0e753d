#!/usr/bin/env node
// Print one page of a built site to PDF, the way a person pressing Print would.
//
//   node tests/browser/print.mjs DIR PATH OUT.pdf [--a5]
//
// PATH is a URL path inside DIR, e.g. /strategies/x/easy-read/booklet/.
// The page's own CSS @page size is used (preferCSSPageSize); a page whose CSS
// sets none prints on Letter, Chromium's default, so a missing size shows.
// Prints the page count and each distinct page size in points, and exits 1 if
// any page is not the expected size (A4, or A5 with --a5, within 1pt).

import path from 'node:path';
import fs from 'node:fs';
import {
  startServer,
  launchBrowser,
  printPdf,
  pdfInfo,
  paperName,
  PAPER,
  parseArgs,
  isMain,
} from './lib.mjs';

export { printPdf, pdfInfo, paperName, PAPER };

/** "595.28 x 841.89 pt (A4)" */
export function describeSize(p) {
  const name = paperName(p.width, p.height);
  return `${p.width} x ${p.height} pt${name ? ` (${name})` : ''}`;
}

/** Does every page of `info` match paper `expected` ("A4"/"A5") within 1pt? */
export function allPagesAre(info, expected) {
  const s = PAPER[expected];
  return (
    info.pageCount > 0 &&
    info.pages.every((p) => Math.abs(p.width - s.width) <= 1 && Math.abs(p.height - s.height) <= 1)
  );
}

export async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs(argv, { flags: ['a5', 'help'] });
  } catch (e) {
    console.error(`print.mjs: ${e.message}`);
    return 2;
  }
  const { positional, opts } = parsed;
  if (opts.help || positional.length !== 3) {
    console.error('usage: node tests/browser/print.mjs DIR PATH OUT.pdf [--a5]');
    return opts.help ? 0 : 2;
  }
  const [dirArg, urlPathArg, out] = positional;
  const dir = path.resolve(dirArg);
  if (!fs.existsSync(dir)) {
    console.error(`print.mjs: ${dir} does not exist`);
    return 2;
  }
  const urlPath = urlPathArg.startsWith('/') ? urlPathArg : `/${urlPathArg}`;
  const expected = opts.a5 ? 'A5' : 'A4';
  const server = await startServer(dir);
  let browser;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext();
    const info = await printPdf(context, server.origin + urlPath, path.resolve(out), { fallbackFormat: 'Letter' });
    const sizes = [...new Set(info.pages.map(describeSize))];
    console.log(`${out}: ${info.pageCount} page${info.pageCount === 1 ? '' : 's'}`);
    console.log(`page size: ${sizes.join('; ')}`);
    if (!allPagesAre(info, expected)) {
      console.log(`not every page is ${expected} (${PAPER[expected].width} x ${PAPER[expected].height} pt)`);
      return 1;
    }
    return 0;
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.close();
  }
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`print.mjs: ${err && err.stack ? err.stack : err}`);
      process.exitCode = 2;
    },
  );
}
