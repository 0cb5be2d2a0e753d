#!/usr/bin/env node
// Accessibility suite over a built Signpost site.
//
//   node tests/browser/run.mjs DIR [--filter SUBSTRING] [--concurrency N]
//                                  [--json REPORT.json] [--no-vnu] [--no-csp]
//
// For every HTML page of DIR (every index.html plus 404.html, redirect pages
// left out) in headless Chromium:
//   axe      axe-core, tags wcag2a wcag2aa wcag21a wcag21aa wcag22aa best-practice, at 1280x900
//   large    pages under /large-print/: every `main p` computes to at least 24px
//   reflow   at 320x900 CSS px the page does not scroll sideways (WCAG 1.4.10)
//   chart    at 320x900 every label of a chart picture (svg.chart-svg text) is
//            drawn at least 12px high
//   text     at 640x900 with the root font size at 200% no sideways scroll (WCAG 1.4.4)
//   load     the page and its same-site subresources load (no 4xx/5xx, no script errors)
//   csp      with its Content-Security-Policy enforced, the browser blocks nothing
// Then the Nu HTML Checker over every HTML file (redirect pages included), once.
//
// Prints a report and a last line `N passed, M failed` (pages passing or failing
// any check). Exits 1 if anything failed, 2 on bad usage or a harness error.

import path from 'node:path';
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import {
  startServer,
  launchBrowser,
  listPages,
  axeSource,
  vnuJarPath,
  parseArgs,
  fileForUrlPath,
  urlPathFor,
  isMain,
} from './lib.mjs';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
export const LARGE_PRINT_MIN_PX = 24;
const MAX_NODES_SHOWN = 5;

// ---------------------------------------------------------------------------
// In-page helpers (serialised into the page by page.evaluate).

/** Horizontal overflow check, and the worst offending element if any. */
function measureOverflow() {
  window.scrollTo(0, 0);
  const de = document.documentElement;
  const vw = window.innerWidth;
  const scrollWidth = de.scrollWidth;
  const result = { scrollWidth, innerWidth: vw, ok: scrollWidth <= vw };
  if (result.ok) return result;

  const selectorOf = (el) => {
    const parts = [];
    for (let e = el; e && e.nodeType === 1 && e !== de; e = e.parentElement) {
      if (e.id) {
        parts.unshift(`#${CSS.escape(e.id)}`);
        break;
      }
      let s = e.localName;
      const classes = [...e.classList].slice(0, 2);
      if (classes.length) s += classes.map((c) => `.${CSS.escape(c)}`).join('');
      const parent = e.parentElement;
      if (parent) {
        const same = [...parent.children].filter((c) => c.localName === e.localName);
        if (same.length > 1) s += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(s);
    }
    return parts.join(' > ');
  };
  // An element inside a scrolling/clipping box cannot widen the page.
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body && p !== de; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return true;
    }
    return false;
  };
  let worst = null;
  const all = document.body ? [...document.body.querySelectorAll('*')] : [];
  for (const el of all) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const over = Math.max(r.right - vw, -r.left);
    if (over <= 0.5) continue;
    if (clipped(el)) continue;
    // Largest overflow wins; on a tie the outermost element (the box that is too
    // wide, not the children that merely fill it): document order visits it first.
    if (!worst || over > worst.over + 0.5) worst = { el, over, rect: r };
  }
  if (!worst) {
    // No box sticks out: some content overflows its box (a long word, a wide
    // image in a box that does not clip). Report the one overflowing most (innermost on a tie).
    for (const el of all) {
      if (clipped(el) || getComputedStyle(el).overflowX !== 'visible') continue;
      if (el.scrollWidth > el.clientWidth + 1 && el.clientWidth > 0) {
        const over = el.scrollWidth - el.clientWidth;
        if (!worst || over >= worst.over) {
          worst = { el, over, rect: el.getBoundingClientRect(), content: true };
        }
      }
    }
  }
  if (worst) {
    const text = (worst.el.textContent || '').replace(/\s+/g, ' ').trim();
    result.offender = {
      selector: selectorOf(worst.el),
      width: Math.round(worst.rect.width),
      left: Math.round(worst.rect.left),
      right: Math.round(worst.rect.right),
      overflow: Math.round(worst.over),
      content: Boolean(worst.content),
      text: text.length > 60 ? text.slice(0, 57) + '...' : text,
    };
  }
  return result;
}

/** Chart labels must be readable on a phone. */
const CHART_MIN_PX = 12;

/**
 * The smallest chart label as drawn: its font size scaled by the picture's
 * drawn width over its viewBox width, and never more than the height of
 * its box on screen (getBoundingClientRect). `null` without charts.
 */
function measureChartText() {
  let min = null;
  for (const svg of document.querySelectorAll('svg.chart-svg')) {
    const box = svg.viewBox && svg.viewBox.baseVal;
    const scale = box && box.width ? svg.getBoundingClientRect().width / box.width : 1;
    for (const t of svg.querySelectorAll('text')) {
      const r = t.getBoundingClientRect();
      if (r.width < 1) continue;
      const drawn = parseFloat(getComputedStyle(t).fontSize) * scale;
      // The box of a line of text is taller than its font size (about 1.15x).
      const px = Math.round(Math.min(drawn, r.height / 1.1) * 100) / 100;
      if (!min || px < min.minPx) min = { minPx: px, text: (t.textContent || '').trim().slice(0, 40) };
    }
  }
  return min;
}

/** Smallest computed font size of the visible `main p` (or of `main` without paragraphs). */
function measureMainFont() {
  const main = document.querySelector('main');
  if (!main) return { error: 'the page has no <main> element' };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden';
  };
  const paragraphs = [...main.querySelectorAll('p')].filter(visible);
  const targets = paragraphs.length ? paragraphs : [main];
  let min = null;
  for (const el of targets) {
    const px = parseFloat(getComputedStyle(el).fontSize);
    if (!min || px < min.px) min = { px, el };
  }
  const text = (min.el.textContent || '').replace(/\s+/g, ' ').trim();
  const index = paragraphs.indexOf(min.el);
  return {
    count: paragraphs.length,
    minPx: min.px,
    what: paragraphs.length ? `main p (#${index + 1} of ${paragraphs.length})` : 'main (it has no paragraphs)',
    text: text.length > 60 ? text.slice(0, 57) + '...' : text,
  };
}

// ---------------------------------------------------------------------------

function short(s, n = 200) {
  s = String(s).replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n - 3) + '...' : s;
}

/**
 * One of the parallel checkers: a page in the CSP-bypassing context (axe is
 * injected into it by an init script) and a page in a context that enforces the
 * site's CSP, both reused from one URL to the next and recreated after an error.
 */
class Checker {
  constructor(contexts, origin, opts) {
    this.contexts = contexts;
    this.origin = origin;
    this.opts = opts;
    this.page = null;
    this.cspPage = null;
    this.log = { bad: [], errors: [], blocked: [] };
  }

  async open() {
    const origin = this.origin;
    this.page = await this.contexts.main.newPage();
    this.page.on('response', (r) => {
      const u = r.url();
      if (!u.startsWith(origin) || r.status() < 400) return;
      if (r.request().isNavigationRequest() && r.frame() === this.page.mainFrame()) return; // checked by goto
      this.log.bad.push(`${r.status()} ${u.slice(origin.length)}`);
    });
    this.page.on('requestfailed', (r) => {
      const u = r.url();
      if (u.startsWith(origin)) this.log.bad.push(`failed (${r.failure()?.errorText}) ${u.slice(origin.length)}`);
    });
    this.page.on('pageerror', (e) => this.log.errors.push(short(e.message)));
    if (this.opts.csp) {
      this.cspPage = await this.contexts.enforcing.newPage();
      this.cspPage.on('console', (m) => {
        const t = m.text();
        if (/Content[- ]Security[- ]Policy/i.test(t)) this.log.blocked.push(short(t, 300));
      });
    }
  }

  async close() {
    await this.page?.close().catch(() => {});
    await this.cspPage?.close().catch(() => {});
    this.page = this.cspPage = null;
  }

  /** Check one page; returns a list of failure objects { check, ... }. */
  async check(urlPath) {
    if (!this.page) await this.open();
    const failures = [];
    let broken = false;
    try {
      await this.checkInBrowser(urlPath, failures);
    } catch (err) {
      broken = true;
      failures.push({ check: 'harness', message: `could not check the page: ${short(err.message, 400)}` });
    }
    if (broken) {
      // Start the next page afresh: this one may have crashed or hung.
      await this.close();
      await this.open();
    }
    return failures;
  }

  async checkInBrowser(urlPath, failures) {
    const page = this.page;
    const url = this.origin + urlPath;
    // 404.html fetched by its own name may answer 200 or 404, depending on the host.
    const okStatus = urlPath === '/404.html' ? [200, 404] : [200];
    this.log = { bad: [], errors: [], blocked: [] };

    await page.setViewportSize({ width: 1280, height: 900 });
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    if (!resp || !okStatus.includes(resp.status())) {
      failures.push({
        check: 'load',
        message: `answered ${resp ? resp.status() : 'nothing'}, expected ${okStatus.join(' or ')}`,
      });
      return;
    }
    await page.evaluate(() => document.fonts && document.fonts.ready);

    // 1. axe-core at 1280x900.
    const axeResult = await page.evaluate((tags) => {
      if (!window.axe) throw new Error('axe-core was not injected into the page');
      return window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
    }, AXE_TAGS);
    for (const v of axeResult.violations) {
      failures.push({
        check: 'axe',
        id: v.id,
        impact: v.impact,
        help: v.help,
        helpUrl: v.helpUrl,
        nodes: v.nodes.map((n) => ({
          target: n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' , '),
          summary: n.failureSummary,
        })),
      });
    }

    // 2. Large print: main paragraphs at least 24px.
    if (urlPath.includes('/large-print/')) {
      const f = await page.evaluate(measureMainFont);
      if (f.error) {
        failures.push({ check: 'large-print', message: f.error });
      } else if (f.minPx < LARGE_PRINT_MIN_PX - 0.01) {
        failures.push({
          check: 'large-print',
          message:
            `${f.what} computes to ${f.minPx}px, needs at least ${LARGE_PRINT_MIN_PX}px` +
            (f.text ? ` ("${f.text}")` : ''),
        });
      }
    }

    // 3. Reflow at 320 CSS px.
    await page.setViewportSize({ width: 320, height: 900 });
    const reflow = await page.evaluate(measureOverflow);
    if (!reflow.ok) failures.push({ check: 'reflow', viewport: '320x900', ...reflow });
    const chart = await page.evaluate(measureChartText);
    if (chart && chart.minPx < CHART_MIN_PX - 0.01) {
      failures.push({
        check: 'chart',
        message: `chart label "${chart.text}" is ${chart.minPx}px at 320px wide, needs at least ${CHART_MIN_PX}px`,
      });
    }

    // 4. Text at 200% in a 640 px viewport.
    await page.setViewportSize({ width: 640, height: 900 });
    await page.evaluate(() => {
      document.documentElement.style.fontSize = '200%';
    });
    const text = await page.evaluate(measureOverflow);
    if (!text.ok) failures.push({ check: 'text-200', viewport: '640x900, root font-size 200%', ...text });

    if (this.log.bad.length) {
      failures.push({ check: 'load', message: `subresources did not load: ${[...new Set(this.log.bad)].join('; ')}` });
    }
    if (this.log.errors.length) {
      failures.push({ check: 'load', message: `script errors: ${[...new Set(this.log.errors)].join('; ')}` });
    }

    // 5. The page's own CSP, enforced: nothing it ships may be blocked by it.
    if (this.cspPage) {
      await this.cspPage.goto(url, { waitUntil: 'load', timeout: 60_000 });
      if (this.log.blocked.length) {
        failures.push({ check: 'csp', message: [...new Set(this.log.blocked)].join('\n      ') });
      }
    }
  }
}

/** Run the Nu HTML Checker once over `files` (absolute paths). Map file -> error messages. */
export async function runVnu(files) {
  const byFile = new Map(files.map((f) => [path.resolve(f), []]));
  if (!files.length) return { byFile, general: [] };
  const jar = vnuJarPath();
  // One java run for the whole site; only a huge site is split, to stay under
  // the kernel's limit on the length of a command line.
  const batches = [];
  for (let i = 0, size = 0; i < files.length; i++) {
    if (!batches.length || size > 400_000) {
      batches.push([]);
      size = 0;
    }
    batches[batches.length - 1].push(files[i]);
    size += files[i].length + 1;
  }
  const messages = [];
  for (const batch of batches) {
    const args = ['-Xss2m', '-jar', jar, '--errors-only', '--format', 'json', '--stdout', ...batch];
    const { code, stdout, stderr } = await new Promise((resolve, reject) => {
      const child = spawn('java', args, { stdio: ['ignore', 'pipe', 'pipe'] });
      const out = [];
      const err = [];
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => err.push(d));
      child.on('error', (e) =>
        reject(new Error(`could not start java (${e.message}); run scripts/test, which installs a Java runtime`)),
      );
      child.on('close', (c) =>
        resolve({ code: c, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
      );
    });
    const raw = stdout.trim() || stderr.trim();
    let parsed;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new Error(`the Nu HTML Checker (exit ${code}) printed no JSON:\n${short(stderr || stdout, 2000)}`);
    }
    messages.push(...(parsed.messages || []));
  }
  const general = [];
  for (const m of messages) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    let file = null;
    if (m.url && m.url.startsWith('file:')) {
      try {
        file = path.resolve(decodeURIComponent(new URL(m.url).pathname));
      } catch {
        file = null;
      }
    }
    const where = m.lastLine ? `line ${m.lastLine}:${m.firstColumn ?? m.lastColumn ?? 0}` : '';
    const entry = { where, message: short(m.message, 300), extract: m.extract ? short(m.extract, 120) : '' };
    if (file && byFile.has(file)) byFile.get(file).push(entry);
    else general.push({ ...entry, url: m.url || '' });
  }
  return { byFile, general };
}

function formatFailure(f) {
  const lines = [];
  switch (f.check) {
    case 'axe': {
      lines.push(`  axe ${f.id} [${f.impact || 'n/a'}] ${f.help}`);
      lines.push(`      ${f.helpUrl}`);
      for (const n of f.nodes.slice(0, MAX_NODES_SHOWN)) lines.push(`      - ${n.target}`);
      if (f.nodes.length > MAX_NODES_SHOWN) lines.push(`      ... and ${f.nodes.length - MAX_NODES_SHOWN} more`);
      if (f.nodes[0]?.summary) lines.push(`      ${short(f.nodes[0].summary, 300)}`);
      break;
    }
    case 'reflow':
    case 'text-200': {
      const label = f.check === 'reflow' ? 'reflow' : 'text 200%';
      lines.push(
        `  ${label} at ${f.viewport}: page scrolls sideways (scrollWidth ${f.scrollWidth}px > innerWidth ${f.innerWidth}px)`,
      );
      if (f.offender) {
        const o = f.offender;
        const how = o.content
          ? `its content is ${o.overflow}px wider than its ${o.width}px box`
          : `width ${o.width}px, spans ${o.left}..${o.right}px, ${o.overflow}px outside`;
        lines.push(`      widest offender: ${o.selector} (${how})` + (o.text ? ` "${o.text}"` : ''));
      }
      break;
    }
    case 'vnu':
      lines.push(`  html ${f.where ? f.where + ' ' : ''}${f.message}`);
      if (f.extract) lines.push(`      ${f.extract}`);
      break;
    default:
      lines.push(`  ${f.check} ${f.message}`);
  }
  return lines.join('\n');
}

export async function main(argv) {
  let parsed;
  try {
    parsed = parseArgs(argv, { flags: ['no-vnu', 'no-csp', 'help'], options: ['filter', 'concurrency', 'json'] });
  } catch (e) {
    console.error(`run.mjs: ${e.message}`);
    return 2;
  }
  const { positional, opts } = parsed;
  if (opts.help || positional.length !== 1) {
    console.error(
      'usage: node tests/browser/run.mjs DIR [--filter SUBSTRING] [--concurrency N] [--json FILE] [--no-vnu] [--no-csp]',
    );
    return opts.help ? 0 : 2;
  }
  const dir = path.resolve(positional[0]);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    console.error(`run.mjs: ${dir} is not a folder`);
    return 2;
  }
  const concurrency = Math.max(1, Number(opts.concurrency || 2));
  let { pages, redirects } = listPages(dir, { withRedirects: true });
  if (opts.filter) {
    pages = pages.filter((p) => p.includes(opts.filter));
    redirects = redirects.filter((p) => p.includes(opts.filter));
  }
  if (!pages.length) {
    console.error(`run.mjs: no HTML pages found in ${dir}${opts.filter ? ` matching "${opts.filter}"` : ''}`);
    return 1;
  }
  console.log(
    `Checking ${pages.length} pages in ${dir} (${redirects.length} redirect pages: HTML validity only), ${concurrency} at a time`,
  );
  const started = Date.now();
  const results = new Map(); // urlPath -> failures[]
  for (const p of [...pages, ...redirects]) results.set(p, []);

  const server = await startServer(dir);
  let browser;
  try {
    browser = await launchBrowser();
    const contexts = {
      main: await browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 } }),
      enforcing: await browser.newContext({ viewport: { width: 1280, height: 900 } }),
    };
    // axe-core goes into every document of the checking context before its own scripts.
    await contexts.main.addInitScript({ content: axeSource() });
    const queue = [...pages];
    let done = 0;
    const workers = Array.from({ length: Math.min(concurrency, pages.length) }, async () => {
      const checker = new Checker(contexts, server.origin, { csp: !opts['no-csp'] });
      try {
        while (queue.length) {
          const urlPath = queue.shift();
          results.get(urlPath).push(...(await checker.check(urlPath)));
          done++;
          if (done % 25 === 0 || done === pages.length) {
            const secs = ((Date.now() - started) / 1000).toFixed(0);
            console.log(`  ... ${done}/${pages.length} pages in the browser (${secs}s)`);
          }
        }
      } finally {
        await checker.close();
      }
    });
    await Promise.all(workers);
  } finally {
    if (browser) await browser.close().catch(() => {});
    await server.close();
  }

  // Nu HTML Checker, one java run over every HTML file.
  let vnuGeneral = [];
  if (!opts['no-vnu']) {
    const t = Date.now();
    const files = [...pages, ...redirects].map((p) => fileForUrlPath(dir, p));
    const { byFile, general } = await runVnu(files);
    vnuGeneral = general;
    for (const [file, errs] of byFile) {
      const urlPath = urlPathFor(path.relative(dir, file).split(path.sep).join('/'));
      for (const e of errs) results.get(urlPath)?.push({ check: 'vnu', ...e });
    }
    console.log(`  ... Nu HTML Checker over ${files.length} files (${((Date.now() - t) / 1000).toFixed(0)}s)`);
  }

  // Report.
  let passed = 0;
  let failed = 0;
  const tally = new Map();
  console.log('');
  for (const [urlPath, failures] of results) {
    if (!failures.length) {
      passed++;
      continue;
    }
    failed++;
    console.log(`FAIL ${urlPath}`);
    for (const f of failures) {
      console.log(formatFailure(f));
      const key = f.check === 'axe' ? `axe ${f.id}` : f.check === 'vnu' ? 'html validity' : f.check;
      tally.set(key, (tally.get(key) || 0) + 1);
    }
  }
  if (vnuGeneral.length) {
    failed++;
    console.log('FAIL (Nu HTML Checker, not tied to a page)');
    for (const e of vnuGeneral) console.log(`  html ${e.url} ${e.message}`);
  }
  if (tally.size) {
    console.log('\nProblems by check (count of findings):');
    for (const [k, n] of [...tally].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
      console.log(`  ${String(n).padStart(5)}  ${k}`);
    }
  }
  if (opts.json) {
    const out = { dir, pages: Object.fromEntries(results), vnuGeneral, passed, failed };
    fs.writeFileSync(opts.json, JSON.stringify(out, null, 2));
  }
  console.log(`\nAccessibility suite took ${((Date.now() - started) / 1000).toFixed(0)}s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed ? 1 : 0;
}

if (isMain(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      console.error(`run.mjs: ${err && err.stack ? err.stack : err}`);
      process.exitCode = 2;
    },
  );
}
