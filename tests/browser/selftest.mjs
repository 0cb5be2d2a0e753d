#!/usr/bin/env node
// Self-test of the harness: runs run.mjs and booklets.mjs over the hand-written
// pages in selftest/ and checks that each deliberate fault is caught, by the
// right check, and that the clean pages pass.
//
//   node tests/browser/selftest.mjs
//
// Prints `N passed, M failed` (assertions); exits 1 if any failed.

import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { HERE, pdfInfo } from './lib.mjs';

const SITE = path.join(HERE, 'selftest');
let passed = 0;
let failed = 0;

function check(name, ok, detail = '') {
  if (ok) {
    passed++;
    console.log(`ok   ${name}`);
  } else {
    failed++;
    console.log(`FAIL ${name}${detail ? `\n     ${detail}` : ''}`);
  }
}

function runScript(script, args) {
  const r = spawnSync(process.execPath, [path.join(HERE, script), ...args], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 5 * 60_000,
  });
  return { code: r.status, out: `${r.stdout || ''}${r.stderr || ''}`, stdout: r.stdout || '' };
}

/** Split a report into { "/page/": "its FAIL section text" }. */
function sections(out) {
  const map = {};
  let current = null;
  for (const line of out.split('\n')) {
    const m = line.match(/^FAIL (\S+)/);
    if (m) {
      current = m[1];
      map[current] = '';
    } else if (current && line.startsWith('  ')) {
      map[current] += line + '\n';
    } else {
      current = null;
    }
  }
  return map;
}

function lastLine(s) {
  return s.trim().split('\n').pop();
}

// --- PDF reading, on a hand-made PDF whose page inherits its MediaBox. ---
{
  const pdf = Buffer.from(
    '%PDF-1.4\n' +
      '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
      '2 0 obj << /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /MediaBox [0 0 419.53 595.28] >> endobj\n' +
      '3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n' +
      '4 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] >> endobj\n' +
      'trailer << /Root 1 0 R >>\n%%EOF\n',
    'latin1',
  );
  const info = pdfInfo(pdf);
  check('pdfInfo counts /Type /Page objects, not /Pages', info.pageCount === 2, JSON.stringify(info));
  check(
    'pdfInfo reads own and inherited MediaBox',
    info.pages[0]?.width === 419.53 && info.pages[1]?.height === 841.89,
    JSON.stringify(info),
  );
}

// --- run.mjs ---
{
  const r = runScript('run.mjs', [SITE]);
  const s = sections(r.stdout);
  const failedPages = Object.keys(s).sort();
  check('run.mjs exits 1 when pages fail', r.code === 1, `exit ${r.code}`);
  check('run.mjs ends with "7 passed, 7 failed"', lastLine(r.stdout) === '7 passed, 7 failed', lastLine(r.out));
  const expectedFailures = [
    '/axe-violation/',
    '/inline-style/',
    '/invalid/',
    '/overflow/',
    '/small-chart/',
    '/small/large-print/',
    '/text-zoom/',
  ];
  check(
    'run.mjs fails exactly the faulty pages',
    JSON.stringify(failedPages) === JSON.stringify(expectedFailures),
    `failed: ${failedPages.join(' ')}`,
  );
  check('axe catches an image without alt text', /axe image-alt \[critical\]/.test(s['/axe-violation/'] || ''));
  check(
    'axe reports the target selector',
    /^\s+- img$/m.test(s['/axe-violation/'] || ''),
    s['/axe-violation/'],
  );
  check(
    'reflow at 320px is caught, naming the offending box',
    /reflow at 320x900: page scrolls sideways \(scrollWidth 616px > innerWidth 320px\)/.test(s['/overflow/'] || '') &&
      /widest offender: body > main > div\.wide \(width 600px/.test(s['/overflow/'] || ''),
    s['/overflow/'],
  );
  check(
    '200% text at 640px is caught on a page that reflows at 320px',
    /text 200% at 640x900/.test(s['/text-zoom/'] || '') && !/reflow at 320/.test(s['/text-zoom/'] || ''),
    s['/text-zoom/'],
  );
  check(
    'the Nu HTML Checker catches invalid HTML',
    /html line \d+:\d+ Element “div” not allowed as child of element “span”/.test(s['/invalid/'] || '') &&
      !/axe /.test(s['/invalid/'] || ''),
    s['/invalid/'],
  );
  check(
    'large print under 24px is caught',
    /large-print main p \(#1 of 1\) computes to 16px, needs at least 24px/.test(s['/small/large-print/'] || ''),
    s['/small/large-print/'],
  );
  check(
    'chart labels under 12px at 320px are caught',
    /chart chart label "Trowbridge" is [0-9.]+px at 320px wide, needs at least 12px/.test(s['/small-chart/'] || ''),
    s['/small-chart/'],
  );
  check(
    'a style the page CSP blocks is caught',
    /csp .*style-src/.test(s['/inline-style/'] || ''),
    s['/inline-style/'],
  );
  check('redirect pages are left out of the browser checks', /\(1 redirect pages: HTML validity only\)/.test(r.stdout));
  check('a clean large-print page passes', !('/guide/large-print/' in s));
  check('the 404 page passes', !('/404.html' in s));
  check('the clean home page passes', !('/' in s));

  const filtered = runScript('run.mjs', [SITE, '--filter', '/guide/', '--no-vnu']);
  check(
    'run.mjs exits 0 and says "N passed, 0 failed" when everything passes',
    filtered.code === 0 && lastLine(filtered.stdout) === '3 passed, 0 failed',
    `exit ${filtered.code}: ${lastLine(filtered.out)}`,
  );
}

// --- booklets.mjs ---
{
  const r = runScript('booklets.mjs', [SITE]);
  const s = sections(r.stdout);
  check('booklets.mjs exits 1 when a booklet fails', r.code === 1, `exit ${r.code}`);
  check('booklets.mjs ends with "2 passed, 1 failed"', lastLine(r.stdout) === '2 passed, 1 failed', lastLine(r.out));
  check('an A4 booklet passes', /^ok {3}\/guide\/easy-read\/booklet\/ \(A4\): 2 pages, .*\(A4\)$/m.test(r.stdout), r.stdout);
  check('an A5 booklet passes', /^ok {3}\/guide\/easy-read\/booklet\/a5\/ \(A5\): 2 pages, .*\(A5\)$/m.test(r.stdout), r.stdout);
  const bad = s['/small/easy-read/booklet/'] || '';
  check('a one-page booklet fails', /has 1 page, needs at least 2/.test(bad), bad);
  check('a booklet without a CSS page size fails', /pages must all be A4, found 612 x 792 pt \(Letter\)/.test(bad), bad);
}

console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed ? 1 : 0;
