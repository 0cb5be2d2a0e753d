#!/usr/bin/env node
// Screenshot one page of a built site, for a person to look at.
//
//   node tests/browser/screenshot.mjs DIR PATH OUT.png [--width 320] [--height 900] [--full]
//                                     [--text-200] [--print]
//
// --full      the whole page, not only the first screenful
// --text-200  root font size at 200% (as the text-resize check does)
// --print     emulate print media

import path from 'node:path';
import fs from 'node:fs';
import { startServer, launchBrowser, parseArgs, isMain } from './lib.mjs';

export async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs(argv, { flags: ['full', 'text-200', 'print', 'help'], options: ['width', 'height'] });
  } catch (e) {
    console.error(`screenshot.mjs: ${e.message}`);
    return 2;
  }
  const { positional, opts } = parsed;
  if (opts.help || positional.length !== 3) {
    console.error(
      'usage: node tests/browser/screenshot.mjs DIR PATH OUT.png [--width 320] [--height 900] [--full] [--text-200] [--print]',
    );
    return opts.help ? 0 : 2;
  }
  const [dirArg, urlPathArg, out] = positional;
  const dir = path.resolve(dirArg);
  if (!fs.existsSync(dir)) {
    console.error(`screenshot.mjs: ${dir} does not exist`);
    return 2;
  }
  const width = Number(opts.width || 1280);
  const height = Number(opts.height || 900);
  if (!(width > 0 && height > 0)) {
    console.error('screenshot.mjs: --width and --height must be positive numbers');
    return 2;
  }
  const urlPath = urlPathArg.startsWith('/') ? urlPathArg : `/${urlPathArg}`;
  const server = await startServer(dir);
  let browser;
  try {
    browser = await launchBrowser();
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    if (opts.print) await page.emulateMedia({ media: 'print' });
    const resp = await page.goto(server.origin + urlPath, { waitUntil: 'load', timeout: 60_000 });
    await page.evaluate(() => document.fonts && document.fonts.ready);
    if (opts['text-200']) {
      await page.evaluate(() => {
        document.documentElement.style.fontSize = '200%';
      });
    }
    await page.screenshot({ path: path.resolve(out), fullPage: Boolean(opts.full) });
    const dims = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      scrollHeight: document.documentElement.scrollHeight,
    }));
    console.log(
      `${out}: ${urlPath} (HTTP ${resp ? resp.status() : '?'}) at ${width}x${height}` +
        `${opts.full ? ', full page' : ''}; document ${dims.scrollWidth}x${dims.scrollHeight}px`,
    );
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
      console.error(`screenshot.mjs: ${err && err.stack ? err.stack : err}`);
      process.exitCode = 2;
    },
  );
}
