/* Signpost search: answers the search form from the static index that
   `signpost build` writes (search/index.LANG.json and search/LANG/).
   Loaded only on the search page; no inline script, nothing from another
   origin. Without this script the page still lists every page and service
   from A to Z.

   Words are folded and split exactly as src/search/tokens.rs does: keep the
   two in step. */
(function () {
  'use strict';

  var MIN_LEN = 2;
  var MAX_LEN = 40;
  var MAX_SHOWN = 100;

  var form = document.getElementById('search-form');
  if (!form || !window.fetch || !window.URLSearchParams) return;
  /* Opened from a folder (an offline copy): browsers do not fetch files
     from file://, so each index file is loaded as its script twin
     (index.en.json -> index.en.js, written by `signpost offline`). */
  var fromDisk = window.location.protocol === 'file:';
  var input = document.getElementById('search-input');
  var status = document.getElementById('search-status');
  var section = document.getElementById('search-results');
  var list = document.getElementById('search-results-list');
  var data = form.dataset;
  var lang = data.lang || document.documentElement.lang || 'en';

  /* Accent-free lowercase text (src/search/tokens.rs `fold`). */
  function fold(text) {
    return text
      .normalize('NFD')
      .toLowerCase()
      .replace(/[\u0300-\u036f\u0640\u064b-\u065f\u0670]/g, '')
      .replace(/ł/g, 'l')
      .replace(/ٱ/g, 'ا')
      .replace(/[ىی]/g, 'ي')
      .replace(/ک/g, 'ك');
  }

  var WORD = /[\p{Alphabetic}\p{N}\u0900-\u0963\u0966-\u097f\u200c\u200d]+/gu;

  /* The words of a query, folded, without repeats (tokens.rs `words`). */
  function words(text) {
    var out = [];
    var found = fold(text).match(WORD) || [];
    for (var i = 0; i < found.length; i++) {
      var chars = Array.from(found[i]);
      if (chars.length < MIN_LEN) continue;
      var w = chars.slice(0, MAX_LEN).join('');
      if (out.indexOf(w) < 0) out.push(w);
    }
    return out;
  }

  /* The first `prefix` characters as hex of their UTF-8 bytes (tokens.rs `shard_key`). */
  function shardKey(word, prefix) {
    var bytes = new TextEncoder().encode(Array.from(word).slice(0, prefix).join(''));
    var hex = '';
    for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? '0' : '') + bytes[i].toString(16);
    return hex;
  }

  var base = data.index ? data.index.replace(/index\.[^/]+\.json$/, '') : '';
  var cache = {};
  function loadScript(url) {
    var key = url.slice(base.length);
    return new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = url.replace(/\.json$/, '.js');
      script.onload = function () {
        var found = self.signpostSearch && self.signpostSearch[key];
        if (found) resolve(found);
        else reject(new Error(url + ': no index'));
      };
      script.onerror = function () {
        reject(new Error(url + ': not found'));
      };
      document.head.appendChild(script);
    });
  }

  function load(url) {
    if (!cache[url]) {
      cache[url] = fromDisk
        ? loadScript(url)
        : fetch(url, { credentials: 'same-origin' }).then(function (r) {
            if (!r.ok) throw new Error(url + ': ' + r.status);
            return r.json();
          });
      cache[url].catch(function () {
        delete cache[url];
      });
    }
    return cache[url];
  }

  function fill(template, values) {
    return String(template || '').replace(/\{(\w+)\}/g, function (m, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : m;
    });
  }

  function statusText(count, query) {
    var category = 'other';
    try {
      category = new Intl.PluralRules(lang).select(count);
    } catch (e) {
      category = count === 1 ? 'one' : 'other';
    }
    var key = 'status' + category.charAt(0).toUpperCase() + category.slice(1);
    var template = data[key] || data.statusOther || '{count}';
    return fill(template, { count: String(count), query: query });
  }

  /* Scores of the documents matching one word: exact words count double,
     longer words starting with it count once. */
  function match(manifest, word) {
    var key = shardKey(word, manifest.prefix || 2);
    if (manifest.shards.indexOf(key) < 0) return Promise.resolve({});
    return load(base + lang + '/t-' + key + '.json').then(function (shard) {
      var scores = {};
      Object.keys(shard).forEach(function (w) {
        if (w.lastIndexOf(word, 0) !== 0) return;
        var postings = shard[w];
        var factor = w === word ? 2 : 1;
        for (var i = 0; i + 1 < postings.length; i += 2) {
          var score = postings[i + 1] * factor;
          if (!(scores[postings[i]] >= score)) scores[postings[i]] = score;
        }
      });
      return scores;
    });
  }

  function search(query) {
    var ws = words(query);
    if (!ws.length) return Promise.resolve(null);
    return load(data.index).then(function (manifest) {
      return Promise.all(
        ws.map(function (w) {
          return match(manifest, w);
        }),
      ).then(function (perWord) {
        var total = {};
        Object.keys(perWord[0]).forEach(function (doc) {
          var sum = 0;
          for (var i = 0; i < perWord.length; i++) {
            if (!(doc in perWord[i])) return;
            sum += perWord[i][doc];
          }
          total[doc] = sum;
        });
        var ids = Object.keys(total).map(Number);
        ids.sort(function (a, b) {
          return total[b] - total[a] || a - b;
        });
        var shown = ids.slice(0, MAX_SHOWN);
        var chunks = {};
        shown.forEach(function (id) {
          chunks[Math.floor(id / manifest.chunk)] = true;
        });
        return Promise.all(
          Object.keys(chunks).map(function (k) {
            return load(base + lang + '/d-' + k + '.json').then(function (docs) {
              return [Number(k), docs];
            });
          }),
        ).then(function (loaded) {
          var byChunk = {};
          loaded.forEach(function (pair) {
            byChunk[pair[0]] = pair[1];
          });
          var docs = shown.map(function (id) {
            return byChunk[Math.floor(id / manifest.chunk)][id % manifest.chunk];
          });
          return { count: ids.length, docs: docs };
        });
      });
    });
  }

  function render(result) {
    while (list.firstChild) list.removeChild(list.firstChild);
    result.docs.forEach(function (d) {
      if (!d) return;
      var li = document.createElement('li');
      li.className = 'search-result';
      if (d[4]) {
        li.lang = d[4];
        li.dir = 'auto';
      }
      var a = document.createElement('a');
      a.href = d[1];
      a.textContent = d[0];
      var kind = d[3] === 'e' ? data.easyRead : d[3] === 's' ? data.service : '';
      if (kind) {
        var span = document.createElement('span');
        span.className = 'entry-kind';
        span.textContent = ' – ' + kind;
        a.appendChild(span);
      }
      var h = document.createElement('p');
      h.className = 'search-result-title';
      h.appendChild(a);
      li.appendChild(h);
      if (d[2]) {
        var p = document.createElement('p');
        p.className = 'search-result-summary';
        p.textContent = d[2];
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    section.hidden = result.docs.length === 0;
  }

  var latest = 0;
  function run(query, push) {
    var ticket = ++latest;
    query = query.trim();
    if (push && window.history && history.replaceState) {
      var url = new URL(window.location.href);
      if (query) url.searchParams.set('q', query);
      else url.searchParams.delete('q');
      history.replaceState(null, '', url.pathname + url.search);
    }
    if (!words(query).length) {
      section.hidden = true;
      status.textContent = data.empty || '';
      return;
    }
    status.textContent = data.searching || '';
    search(query).then(
      function (result) {
        if (ticket !== latest || !result) return;
        render(result);
        var text = statusText(result.count, query);
        if (result.count > result.docs.length) text += ' ' + fill(data.more, { shown: String(result.docs.length) });
        status.textContent = text;
      },
      function () {
        if (ticket !== latest) return;
        section.hidden = true;
        status.textContent = data.error || '';
      },
    );
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    run(input.value, true);
  });

  var initial = new URLSearchParams(window.location.search).get('q');
  if (initial) {
    input.value = initial;
    run(initial, false);
  }
})();
