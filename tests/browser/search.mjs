#!/usr/bin/env node
// The site's search, in headless Chromium, over a built site.
//
//   node tests/browser/search.mjs DIR
//
// Builds nothing: it serves DIR (lib.mjs startServer) and, for every
// language's search page (/search/, /LANG/search/):
//   1. picks a distinctive word from the text of one page of that language
//      (a word no other page has, read from the built HTML, not the index),
//   2. reaches the search box with the Tab key, types the word, presses
//      Enter, in a context that enforces the site's Content-Security-Policy,
//      and checks that page is in the results, the live status message says
//      how many, and nothing was blocked or threw,
//   3. runs axe-core (the tags of run.mjs) on the search page with the
//      results showing,
// and checks the search page without JavaScript offers the A to Z (with a
// link to the same page). Prints `N passed, M failed`; exits 1 on a failure.

import fs from 'node:fs';
import path from 'node:path';
import { startServer, launchBrowser, listPages, axeSource, isMain } from './lib.mjs';
import { AXE_TAGS } from './run.mjs';

/** Language codes with a search page, the default (unprefixed) one first. */
export function searchPages(dir) {
  const out = [];
  for (const rel of listPages(dir)) {
    const m = rel.match(/^\/(?:([a-z]{2,3}(?:-[A-Za-z0-9]+)?)\/)?search\/$/);
    if (m) out.push({ lang: m[1] || null, url: rel });
  }
  return out.sort((a, b) => (a.lang === null ? -1 : b.lang === null ? 1 : a.lang.localeCompare(b.lang)));
}

const SKIP = /\/(large-print|easy-read|booklet|search|a-to-z|translation-status|content-report|accessibility-statement)\//;

function mainText(html) {
  const m = html.match(/<main\b[\s\S]*?<\/main>/i);
  return (m ? m[0] : '')
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&[a-z#0-9]+;/gi, ' ');
}

/**
 * A word (7+ letters) found in the main text of exactly one standard page of
 * the language, and that page; deterministic (first page, then first word,
 * in sorted order).
 */
export function distinctiveWord(dir, lang, allLangs) {
  const prefix = lang ? `/${lang}/` : '/';
  const others = allLangs.filter((l) => l && l !== lang).map((l) => `/${l}/`);
  const pages = listPages(dir).filter(
    (p) => p.startsWith(prefix) && !others.some((o) => p.startsWith(o)) && !SKIP.test(p) && p !== '/404.html',
  );
  const words = new Map(); // page -> Set(words)
  const df = new Map();
  const translated = new Set(); // pages whose text is in the language itself
  for (const p of pages) {
    const html = fs.readFileSync(path.join(dir, p, 'index.html'), 'utf8');
    const content = html.match(/<div\b[^>]*\bclass="?content"?[^>]*>/);
    if (lang && content && new RegExp(`\\blang="?${lang}\\b`).test(content[0])) translated.add(p);
    const set = new Set((mainText(html).toLowerCase().match(/\p{L}{7,}/gu) || []).filter((w) => !/\d/.test(w)));
    words.set(p, set);
    for (const w of set) df.set(w, (df.get(w) || 0) + 1);
  }
  // Prefer a translated page and a word with letters beyond ASCII (accents, other scripts).
  const ordered = [...pages.filter((p) => translated.has(p)), ...pages.filter((p) => !translated.has(p))];
  const plain = (w) => /^[a-z]+$/.test(w);
  for (const p of ordered) {
    const unique = [...words.get(p)].filter((w) => df.get(w) === 1).sort((a, b) => plain(a) - plain(b) || a.localeCompare(b));
    if (unique.length) return { page: p, word: unique[0] };
  }
  return null;
}

async function tabTo(page, id, max = 60) {
  await page.locator('body').focus().catch(() => {});
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((want) => document.activeElement && document.activeElement.id === want, id)) return true;
  }
  return false;
}

export async function checkSearch(dir) {
  const results = []; // { name, ok, detail }
  const record = (name, ok, detail = '') => results.push({ name, ok, detail });
  const pages = searchPages(dir);
  if (!pages.length) {
    record('search pages exist', false, `no /search/ page in ${dir}`);
    return results;
  }
  const langs = pages.map((p) => p.lang);
  const server = await startServer(dir);
  let browser;
  try {
    browser = await launchBrowser();
    const enforcing = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const checking = await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } });
    await checking.addInitScript({ content: axeSource() });
    const noScript = await browser.newContext({ javaScriptEnabled: false });

    for (const { lang, url } of pages) {
      const label = lang || 'default language';
      const pick = distinctiveWord(dir, lang, langs);
      if (!pick) {
        record(`${url}: a distinctive word to search for`, false, 'no page has a word of its own');
        continue;
      }
      const { word, page: target } = pick;

      // 1. Keyboard, real CSP.
      const page = await enforcing.newPage();
      const problems = [];
      page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
      page.on('console', (m) => {
        if (/Content[- ]Security[- ]Policy|Refused to/i.test(m.text())) problems.push(`blocked: ${m.text()}`);
      });
      page.on('response', (r) => {
        if (r.url().startsWith(server.origin) && r.status() >= 400) problems.push(`${r.status()} ${r.url().slice(server.origin.length)}`);
      });
      try {
        const resp = await page.goto(server.origin + url, { waitUntil: 'load' });
        if (!resp || resp.status() !== 200) throw new Error(`${url} answered ${resp ? resp.status() : 'nothing'}`);
        const reached = await tabTo(page, 'search-input');
        if (!reached) throw new Error('the search box cannot be reached with the Tab key');
        await page.keyboard.type(word);
        await page.keyboard.press('Enter');
        await page.waitForFunction(
          (w) => {
            const s = document.getElementById('search-status');
            return s && s.textContent.includes(w) && !document.getElementById('search-results').hidden;
          },
          word,
          { timeout: 30_000 },
        );
        const found = await page.evaluate(() => ({
          status: document.getElementById('search-status').textContent,
          role: document.getElementById('search-status').getAttribute('role'),
          hrefs: [...document.querySelectorAll('#search-results-list a')].map((a) => a.getAttribute('href')),
          heading: document.getElementById('search-results-heading')?.textContent || '',
          focus: document.activeElement && document.activeElement.id,
        }));
        const ok = found.hrefs.includes(target) && found.status.includes(word) && found.role === 'status' && !problems.length;
        record(
          `${label}: "${word}" finds ${target}`,
          ok,
          ok ? `${found.status} (first: ${found.hrefs[0]})` : JSON.stringify({ ...found, problems }),
        );
        if (new URL(page.url()).searchParams.get('q') !== word) record(`${label}: the address keeps the query`, false, page.url());
        // The same word in capitals and without accents finds the same page.
        const loose = word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
        await page.fill('#search-input', loose);
        await page.keyboard.press('Enter');
        await page.waitForFunction((w) => document.getElementById('search-status').textContent.includes(w), loose, {
          timeout: 30_000,
        });
        const again = await page.evaluate(() => [...document.querySelectorAll('#search-results-list a')].map((a) => a.getAttribute('href')));
        record(`${label}: "${loose}" (capitals, no accents) finds it too`, again.includes(target), again.slice(0, 3).join(' '));
      } catch (err) {
        record(`${label}: "${word}" finds ${target}`, false, `${err.message}${problems.length ? `; ${problems.join('; ')}` : ''}`);
      } finally {
        await page.close();
      }

      // 2. axe with the results showing.
      const ax = await checking.newPage();
      try {
        await ax.goto(`${server.origin}${url}?q=${encodeURIComponent(word)}`, { waitUntil: 'load' });
        await ax.waitForFunction(() => !document.getElementById('search-results').hidden, null, { timeout: 30_000 });
        const res = await ax.evaluate(
          (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
          AXE_TAGS,
        );
        const v = res.violations.map((x) => `${x.id} (${x.nodes.length}): ${x.help} ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
        record(`${label}: axe on the search page with results`, v.length === 0, v.join('\n      '));
      } catch (err) {
        record(`${label}: axe on the search page with results`, false, err.message);
      } finally {
        await ax.close();
      }

      // 3. Without JavaScript: the A to Z is the way in.
      const plain = await noScript.newPage();
      try {
        await plain.goto(server.origin + url, { waitUntil: 'load' });
        const hrefs = () => [...document.querySelectorAll('#a-to-z a, .a-to-z a')].map((a) => a.getAttribute('href'));
        let links = await plain.evaluate(hrefs);
        let where = 'on the search page';
        if (!links.includes(target)) {
          // A large site's A to Z has a page per letter: follow the letters.
          const letterPages = await plain.evaluate(() =>
            [...document.querySelectorAll('.a-to-z-letters a')].map((a) => a.getAttribute('href')).filter((h) => !h.startsWith('#')),
          );
          for (const lp of letterPages) {
            await plain.goto(server.origin + lp, { waitUntil: 'load' });
            const more = await plain.evaluate(hrefs);
            if (more.includes(target)) {
              links = more;
              where = `on ${lp}`;
              break;
            }
          }
        }
        record(`${label}: without JavaScript the A to Z links to ${target}`, links.includes(target), `${links.length} links ${where}`);
      } catch (err) {
        record(`${label}: without JavaScript the A to Z links to ${target}`, false, err.message);
      } finally {
        await plain.close();
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await server.close();
  }
  return results;
}

async function main(argv) {
  const dir = argv[0];
  if (!dir || !fs.existsSync(path.join(dir, 'index.html'))) {
    console.error('usage: node tests/browser/search.mjs DIR   (DIR: a built site)');
    return 2;
  }
  const results = await checkSearch(path.resolve(dir));
  for (const r of results) {
    console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name}${r.detail ? `\n      ${r.detail}` : ''}`);
  }
  const passed = results.filter((r) => r.ok).length;
  const failed = results.length - passed;
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`search.mjs: ${err && err.stack ? err.stack : err}`);
      process.exitCode = 2;
    },
  );
}
