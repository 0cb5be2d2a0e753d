// Shared helpers for the Signpost browser test harness.
//
// - startServer(dir): a tiny static file server on 127.0.0.1 (ephemeral port)
// - launchBrowser(): Debian's headless Chromium through playwright-core
// - listPages(dir): every HTML page of a built site, as URL paths
// - printPdf(), pdfInfo(): print a page to PDF and read its page boxes back
//
// Nothing here downloads anything: the browser is the system Chromium.

import http from 'node:http';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

export const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Chromium binary: Debian's package, overridable for unusual machines. */
export const CHROMIUM_PATH = process.env.SIGNPOST_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.pdf': 'application/pdf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

export function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

/** Is `p` a file (not a directory)? */
async function isFile(p) {
  try {
    return (await fsp.stat(p)).isFile();
  } catch {
    return false;
  }
}

async function isDir(p) {
  try {
    return (await fsp.stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Serve `root` on 127.0.0.1 at an ephemeral port.
 * - `/a/b/` serves `/a/b/index.html`; `/a/b` (a folder) redirects to `/a/b/`
 * - anything missing serves `/404.html` (if any) with status 404
 * Resolves to { origin, port, close() }.
 */
export async function startServer(root) {
  const base = path.resolve(root);
  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' });
        res.end();
        return;
      }
      const url = new URL(req.url, 'http://127.0.0.1');
      let rel;
      try {
        rel = decodeURIComponent(url.pathname);
      } catch {
        rel = null;
      }
      let file = null;
      if (rel !== null && !rel.includes('\0')) {
        const candidate = path.resolve(base, '.' + path.posix.normalize('/' + rel));
        if (candidate === base || candidate.startsWith(base + path.sep)) {
          if (await isDir(candidate)) {
            if (!url.pathname.endsWith('/')) {
              res.writeHead(301, { Location: url.pathname + '/' + url.search });
              res.end();
              return;
            }
            const index = path.join(candidate, 'index.html');
            if (await isFile(index)) file = index;
          } else if (await isFile(candidate)) {
            file = candidate;
          }
        }
      }
      let status = 200;
      if (!file) {
        status = 404;
        const notFound = path.join(base, '404.html');
        if (await isFile(notFound)) {
          file = notFound;
        } else {
          res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
          res.end('404 Not Found\n');
          return;
        }
      }
      const body = await fsp.readFile(file);
      res.writeHead(status, {
        'Content-Type': contentType(file),
        'Content-Length': body.length,
        'Cache-Control': 'no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(String(err && err.stack ? err.stack : err));
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** Fail early, with a clear message, when the system browser is missing. */
export function assertChromium() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Run scripts/test (it installs Debian's chromium), ` +
        `or set SIGNPOST_CHROMIUM to a Chromium binary.`,
    );
  }
}

/** Launch Debian's Chromium headless through playwright-core. */
export async function launchBrowser() {
  assertChromium();
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

const REDIRECT_RE = /<meta\b[^>]*\bhttp-equiv\s*=\s*["']?refresh\b/i;

/** Does this HTML file hold a `<meta http-equiv="refresh">` redirect? */
export function isRedirectPage(file) {
  // The meta tag is in the head: the first 16 KiB is plenty.
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(16384);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return REDIRECT_RE.test(buf.subarray(0, n).toString('utf8'));
  } finally {
    fs.closeSync(fd);
  }
}

/** Every file under `dir` (recursively), as sorted paths relative to dir with `/` separators. */
export function walkFiles(dir) {
  const out = [];
  const walk = (abs, rel) => {
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      const a = path.join(abs, ent.name);
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(a, r);
      else if (ent.isFile()) out.push(r);
    }
  };
  walk(path.resolve(dir), '');
  return out.sort();
}

/** URL path for an HTML file path relative to the site root. */
export function urlPathFor(rel) {
  if (rel === 'index.html') return '/';
  if (rel.endsWith('/index.html')) return '/' + rel.slice(0, -'index.html'.length);
  return '/' + rel;
}

/** Site-relative file for a URL path (inverse of urlPathFor). */
export function fileForUrlPath(dir, urlPath) {
  let p = decodeURIComponent(urlPath.split(/[?#]/)[0]);
  if (!p.startsWith('/')) p = '/' + p;
  if (p.endsWith('/')) p += 'index.html';
  return path.join(path.resolve(dir), p);
}

/**
 * The HTML pages of a built site: every `index.html` plus `404.html`, as URL paths
 * ("/", "/a/b/", "/404.html"), sorted.
 * Redirect pages (a `<meta http-equiv="refresh">`) are left out unless
 * `{ includeRedirects: true }`; with `{ withRedirects: true }` the result is
 * `{ pages, redirects }` instead.
 */
export function listPages(dir, { includeRedirects = false, withRedirects = false } = {}) {
  const root = path.resolve(dir);
  const pages = [];
  const redirects = [];
  for (const rel of walkFiles(root)) {
    const name = rel.split('/').pop();
    if (name !== 'index.html' && rel !== '404.html') continue;
    const urlPath = urlPathFor(rel);
    if (isRedirectPage(path.join(root, rel))) {
      redirects.push(urlPath);
      if (!includeRedirects) continue;
    }
    pages.push(urlPath);
  }
  return withRedirects ? { pages, redirects } : pages;
}

/** Run `worker(item, index)` over `items`, at most `limit` at a time, in order of start. */
export async function mapPool(items, limit, worker) {
  const results = new Array(items.length);
  let next = 0;
  const runners = [];
  for (let i = 0; i < Math.max(1, Math.min(limit, items.length)); i++) {
    runners.push(
      (async () => {
        while (next < items.length) {
          const index = next++;
          results[index] = await worker(items[index], index);
        }
      })(),
    );
  }
  await Promise.all(runners);
  return results;
}

/** The axe-core source, to evaluate inside a page. */
export function axeSource() {
  return fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
}

/** Path of the Nu HTML Checker jar shipped by the vnu-jar package. */
export function vnuJarPath() {
  // The package's main export is the jar's path (a String object).
  return String(require('vnu-jar'));
}

/** Tiny argv parser: positional args plus `--flag` / `--key value` options. */
export function parseArgs(argv, { flags = [], options = [] } = {}) {
  const positional = [];
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [key, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (flags.includes(key)) {
        opts[key] = true;
      } else if (options.includes(key)) {
        const v = inline !== undefined ? inline : argv[++i];
        if (v === undefined) throw new Error(`--${key} needs a value`);
        opts[key] = v;
      } else {
        throw new Error(`unknown option --${key}`);
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, opts };
}

/** True when the module at `metaUrl` is the script node was started with. */
export function isMain(metaUrl) {
  if (!process.argv[1]) return false;
  let script = path.resolve(process.argv[1]);
  try {
    script = fs.realpathSync(script); // node resolves symlinks for import.meta.url
  } catch {
    // keep the resolved path
  }
  return metaUrl === pathToFileURL(script).href;
}

// ---------------------------------------------------------------------------
// PDF

export const PAPER = {
  A4: { width: 595.28, height: 841.89 },
  A5: { width: 419.53, height: 595.28 },
  Letter: { width: 612, height: 792 },
};

/** Name the paper size of a width x height in points (within 1pt), or null. */
export function paperName(width, height, tolerance = 1) {
  for (const [name, s] of Object.entries(PAPER)) {
    if (Math.abs(width - s.width) <= tolerance && Math.abs(height - s.height) <= tolerance) return name;
    if (Math.abs(width - s.height) <= tolerance && Math.abs(height - s.width) <= tolerance)
      return `${name} landscape`;
  }
  return null;
}

/**
 * Read the pages of a PDF: their count and each page's MediaBox size in points.
 * Handles plain objects and objects inside compressed object streams, and a
 * MediaBox inherited from the page tree. Not a general PDF parser: enough for
 * what Chromium writes.
 */
export function pdfInfo(buf) {
  const latin = (b) => b.toString('latin1');
  const objects = new Map(); // "num" -> dictionary text
  const text = latin(buf);

  // 1. Plain "N G obj ... endobj" objects.
  const objRe = /(\d+)\s+(\d+)\s+obj\b([\s\S]*?)\bendobj\b/g;
  let m;
  const streams = [];
  while ((m = objRe.exec(text))) {
    const body = m[3];
    const si = body.indexOf('stream');
    const dict = si >= 0 ? body.slice(0, si) : body;
    objects.set(m[1], dict);
    if (si >= 0 && /\/Type\s*\/ObjStm\b/.test(dict)) {
      // Stream data begins after "stream" and an EOL.
      const absStart = m.index + m[0].indexOf(body) + si + 'stream'.length;
      let start = absStart;
      if (text[start] === '\r') start++;
      if (text[start] === '\n') start++;
      const end = text.indexOf('endstream', start);
      streams.push({ dict, data: buf.subarray(start, end) });
    }
  }

  // 2. Objects packed in object streams.
  for (const { dict, data } of streams) {
    let raw = data;
    if (/\/FlateDecode\b/.test(dict)) {
      try {
        raw = zlib.inflateSync(data);
      } catch {
        try {
          raw = zlib.inflateSync(data.subarray(0, data.length - 1));
        } catch {
          continue;
        }
      }
    }
    const n = Number((dict.match(/\/N\s+(\d+)/) || [])[1] || 0);
    const first = Number((dict.match(/\/First\s+(\d+)/) || [])[1] || 0);
    const s = latin(raw);
    const header = s.slice(0, first).trim().split(/\s+/).map(Number);
    const entries = [];
    for (let i = 0; i + 1 < header.length && entries.length < n; i += 2) {
      entries.push({ num: String(header[i]), off: header[i + 1] });
    }
    entries.forEach((e, i) => {
      const end = i + 1 < entries.length ? first + entries[i + 1].off : s.length;
      objects.set(e.num, s.slice(first + e.off, end));
    });
  }

  const boxOf = (dict) => {
    const mb = dict.match(/\/MediaBox\s*\[\s*([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s+([-\d.]+)\s*\]/);
    if (!mb) return null;
    const [x0, y0, x1, y1] = mb.slice(1).map(Number);
    return { width: Math.abs(x1 - x0), height: Math.abs(y1 - y0) };
  };
  const parentOf = (dict) => (dict.match(/\/Parent\s+(\d+)\s+\d+\s+R/) || [])[1];

  const pages = [];
  for (const [num, dict] of objects) {
    // "/Type /Page" but not "/Type /Pages".
    if (!/\/Type\s*\/Page(?![A-Za-z])/.test(dict)) continue;
    let box = boxOf(dict);
    let parent = parentOf(dict);
    const seen = new Set([num]);
    while (!box && parent && !seen.has(parent) && objects.has(parent)) {
      seen.add(parent);
      const pd = objects.get(parent);
      box = boxOf(pd);
      parent = parentOf(pd);
    }
    pages.push({ object: Number(num), ...(box || { width: NaN, height: NaN }) });
  }
  pages.sort((a, b) => a.object - b.object);
  const round = (x) => Math.round(x * 100) / 100;
  return {
    pageCount: pages.length,
    pages: pages.map((p) => ({ width: round(p.width), height: round(p.height) })),
  };
}

/**
 * Print `url` to a PDF file with the page's own CSS page size.
 * `fallbackFormat` only applies when the page's CSS sets no @page size.
 * Returns pdfInfo() of the result.
 */
export async function printPdf(context, url, outFile, { fallbackFormat = 'Letter' } = {}) {
  const page = await context.newPage();
  try {
    const resp = await page.goto(url, { waitUntil: 'load', timeout: 60_000 });
    if (!resp || resp.status() >= 400) {
      throw new Error(`${url} answered ${resp ? resp.status() : 'nothing'}`);
    }
    await page.evaluate(() => document.fonts && document.fonts.ready);
    const pdf = await page.pdf({
      path: outFile,
      preferCSSPageSize: true,
      format: fallbackFormat,
      printBackground: true,
    });
    return pdfInfo(pdf);
  } finally {
    await page.close();
  }
}
