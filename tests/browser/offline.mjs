#!/usr/bin/env node
// The offline copy (`signpost offline --output DIR`), opened from its folder
// in headless Chromium as a resident would open it from a USB stick: file://
// addresses, no web server.
//
//   node tests/browser/offline.mjs DIR [--shots OUTDIR]
//
// For the home page and a content page of every language, and their large
// print, easy read and plain text:
//   styles    the site's stylesheet applied (no browser default font, body margin 0)
//   pictures  every picture loaded (naturalWidth > 0)
//   links     every link to another file of the copy leads to a file that is there
//             (relative, ending in the file: a browser does not open a folder's
//             index.html from disk); none is root-relative
//   blocked   nothing failed to load and the Content-Security-Policy blocked nothing
// Then: the language switcher leads from the English home page to the Polish one
// and its styles apply there; the large-print link leads to large print (24 px text);
// on every language's search page, a distinctive word typed into the search box
// finds its page and the result's link opens it.
// Prints `N passed, M failed`; exits 1 on a failure.

import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { launchBrowser, parseArgs, isMain } from './lib.mjs';
import { searchPages, distinctiveWord } from './search.mjs';

const EXTERNAL = /^(https?:|mailto:|tel:|sms:|#|data:)/;

/** The pages to open: each language's home and first content page, in each format. */
function samples(dir) {
  const langs = fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && /^[a-z]{2,3}$/.test(e.name) && fs.existsSync(path.join(dir, e.name, 'index.html')))
    .map((e) => e.name);
  const out = [];
  for (const prefix of ['', ...langs.map((l) => `${l}/`)]) {
    out.push(`${prefix}index.html`);
    for (const page of ['get-support/', 'carers/', 'guides/a/']) {
      if (fs.existsSync(path.join(dir, prefix, page, 'index.html'))) {
        out.push(`${prefix}${page}index.html`);
        out.push(`${prefix}${page}large-print/index.html`);
        if (fs.existsSync(path.join(dir, prefix, page, 'easy-read/index.html'))) {
          out.push(`${prefix}${page}easy-read/index.html`);
        }
        break;
      }
    }
    if (fs.existsSync(path.join(dir, prefix, 'a-to-z/index.html'))) out.push(`${prefix}a-to-z/index.html`);
  }
  return out;
}

/** In the page: what styles, pictures and links it has. */
function inspect() {
  const body = getComputedStyle(document.body);
  const links = [...document.querySelectorAll('a[href], link[href], script[src], img[src], form[action]')].map((el) => ({
    raw: el.getAttribute('href') ?? el.getAttribute('src') ?? el.getAttribute('action'),
    resolved: el.href || el.src || el.action,
    rel: el.getAttribute('rel') || '',
  }));
  return {
    lang: document.documentElement.lang,
    font: body.fontFamily,
    margin: body.marginTop,
    paragraph: (() => {
      const p = document.querySelector('main p');
      return p ? parseFloat(getComputedStyle(p).fontSize) : 0;
    })(),
    pictures: [...document.images].map((i) => ({ src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0 })),
    links,
  };
}

/** Clicks a link and waits for the page it leads to; false if it never loads. */
async function follow(page, link) {
  const href = await link.evaluate((a) => a.href);
  try {
    await Promise.all([page.waitForURL(href, { timeout: 10_000 }), link.click()]);
    return true;
  } catch {
    return false;
  }
}

export async function checkOffline(dir, shots) {
  const results = [];
  const record = (name, ok, detail = '') => results.push({ name, ok, detail });
  const fileUrl = (rel) => pathToFileURL(path.join(dir, rel)).href;
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const open = async (url) => {
      const page = await context.newPage();
      const problems = [];
      page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} (${r.failure()?.errorText})`));
      page.on('console', (m) => {
        if (/Refused to|Content Security Policy|Failed to load/i.test(m.text())) problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
      await page.goto(url, { waitUntil: 'load' });
      return { page, problems };
    };

    for (const rel of samples(dir)) {
      const { page, problems } = await open(fileUrl(rel));
      const seen = await page.evaluate(inspect);
      record(`${rel}: styles`, seen.margin === '0px' && !/times/i.test(seen.font), `font ${seen.font}, margin ${seen.margin}`);
      const broken = seen.pictures.filter((p) => !p.ok);
      record(`${rel}: pictures (${seen.pictures.length})`, broken.length === 0, broken.map((p) => p.src).join(', '));
      const bad = [];
      for (const l of seen.links) {
        if (!l.raw || EXTERNAL.test(l.raw)) continue;
        if (l.raw.startsWith('/')) {
          bad.push(`${l.raw} is root-relative`);
          continue;
        }
        const target = fileURLToPath(l.resolved.split(/[?#]/)[0]);
        if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) bad.push(`${l.raw} -> ${target} is not a file`);
      }
      record(`${rel}: links (${seen.links.length})`, bad.length === 0, bad.slice(0, 5).join('; '));
      record(`${rel}: nothing blocked`, problems.length === 0, problems.slice(0, 3).join('; '));
      if (shots && /^(index|pl\/index|ar\/get-support\/large-print\/index)\.html$/.test(rel)) {
        await page.screenshot({ path: path.join(shots, `offline-${rel.replace(/\//g, '_')}.png`) });
      }
      await page.close();
    }

    // Between languages and formats, by clicking as a resident would.
    {
      const { page } = await open(fileUrl('index.html'));
      const polish = page.locator('a[hreflang="pl"], a[lang="pl"]').first();
      if ((await polish.count()) === 0) {
        record('language switcher: a link to Polish', false, 'none on index.html');
      } else {
        const went = await follow(page, polish);
        const seen = went ? await page.evaluate(inspect) : {};
        record(
          'language switcher: English home -> Polish home, styled',
          went && seen.lang === 'pl' && seen.margin === '0px' && page.url().endsWith('/pl/index.html'),
          `${page.url()} lang=${seen.lang}`,
        );
      }
      await page.close();
    }
    {
      const start = samples(dir).find((r) => /\/index\.html$/.test(r) && !/large-print|easy-read|a-to-z/.test(r) && r.includes('/'));
      const { page } = await open(fileUrl(start));
      const link = page.locator('a[href$="large-print/index.html"]').first();
      const went = (await link.count()) > 0 && (await follow(page, link));
      const seen = went ? await page.evaluate(inspect) : {};
      record(`formats: ${start} -> large print, 24 px text`, went && seen.paragraph >= 24 && page.url().includes('large-print'), `${page.url()} ${seen.paragraph}px`);
      await page.close();
    }

    // Search from disk: the index comes as scripts, not fetch.
    const langs = searchPages(dir).map((p) => p.lang);
    for (const { lang } of searchPages(dir)) {
      const pick = distinctiveWord(dir, lang, langs);
      const rel = `${lang ? `${lang}/` : ''}search/index.html`;
      if (!pick) {
        record(`${rel}: a word to search for`, false, 'none found');
        continue;
      }
      const { page, problems } = await open(fileUrl(rel));
      await page.fill('#search-input', pick.word);
      await page.press('#search-input', 'Enter');
      const found = await page
        .waitForFunction(() => document.querySelectorAll('#search-results-list a').length > 0, null, { timeout: 10_000 })
        .then(() => true)
        .catch(() => false);
      const hrefs = await page.$$eval('#search-results-list a', (as) => as.map((a) => a.href));
      const want = fileUrl(path.join(pick.page, 'index.html'));
      record(`${rel}: "${pick.word}" finds ${pick.page}`, found && hrefs.includes(want), `${hrefs.slice(0, 3).join(' ')} (want ${want}) ${problems.join('; ')}`);
      if (found && shots && !lang) await page.screenshot({ path: path.join(shots, 'offline-search.png') });
      if (found && hrefs.includes(want)) {
        const went = await follow(page, page.locator('#search-results-list a').nth(hrefs.indexOf(want)));
        const seen = went ? await page.evaluate(inspect) : {};
        record(`${rel}: the result opens, styled`, went && seen.margin === '0px', page.url());
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
  return results;
}

if (isMain(import.meta.url)) {
  const { positional, opts: options } = parseArgs(process.argv.slice(2), { options: ["shots"] });
  const dir = positional[0];
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    console.error('usage: node tests/browser/offline.mjs DIR [--shots OUTDIR] (DIR from `signpost offline --output DIR`)');
    process.exit(2);
  }
  if (options.shots) fs.mkdirSync(options.shots, { recursive: true });
  const results = await checkOffline(path.resolve(dir), options.shots);
  let failed = 0;
  for (const r of results) {
    if (!r.ok) failed++;
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.ok || !r.detail ? '' : `: ${r.detail}`}`);
  }
  console.log(`${results.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}
