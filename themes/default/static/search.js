// The search page: our own index (postings/, generator/postings.py) behind our own accessible
// form; Pagefind, through its documented JS API, only for a query of one character.
// State lives in the URL (?q=…&agency=…&sort=date), so a search can be shared and bookmarked.
// A submitted query is a step the back button undoes; a changed filter refines the step it is
// in (the URL is replaced, and the search waits for arrow keys to settle). Without JavaScript
// the page's <noscript> offers browsing.
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  if (!form) return;
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var help = document.getElementById("search-help"); // what to try when nothing fits well
  var panel = form.querySelector(".filters-panel");
  var current = document.getElementById("f-current"); // 只看现行有效: validity=有效 in one click
  var active = document.getElementById("search-active");
  var activeText = document.getElementById("search-active-text");
  var FILTERS = ["column", "category", "agency", "year", "mode", "validity", "subject"];
  var FIELDS = ["q", "sort", "source"].concat(FILTERS);
  var PAGE = 10;
  var SETTLE = 300; // ms a changed filter waits for the next change before it is searched
  var VALID = "有效";
  var ON_REQUEST = "依申请公开";
  var ON_REQUEST_NOTE = "本信息属于依申请公开，正文不在网上公开；如需获取，可以提出政府信息公开申请，办法见文件页面。";
  var VALID_FACET = "validity=" + VALID; // generator/postings.py: a filter value as a term
  var PHRASE_WINDOW = 20; // results re-ranked so exact phrase matches come first
  // A document's number in this page: its section * STRIDE + its id in the section (an id has at
  // most three digits of postings/index.json's format.digits).
  var STRIDE = 1 << 20;
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
  var pagefind = null;
  // Where documents are searched: this column, or on the 联合搜索 page (search/all/) this
  // column and the others config.yml names, each through its own postings/.
  var sources = readSources();
  var results = [];
  var shown = 0;
  var generation = 0;
  var currentQuery = "";
  var pending = null; // the timer of a filter change not yet searched

  function readSources() {
    var select = form.elements.source;
    var found = [];
    if (select && select.options) {
      Array.prototype.forEach.call(select.options, function (option) {
        if (option.dataset.root) found.push(source(option.value, option.dataset));
      });
    }
    return found.length ? found : [source("", list.dataset)];
  }

  function source(name, data) {
    var address = function (value) { return value ? new URL(value, location.href).href : null; };
    return { name: name, root: address(data.root), postings: address(data.postings), pagefind: address(data.pagefind),
             fallback: address(data.fallback), fallbackRoot: address(data.fallbackRoot), index: null };
  }

  function load() {
    if (!pagefind) {
      // Resolved against the page: a bare relative import() would resolve against this script.
      pagefind = import(new URL(list.dataset.bundle, location.href).href).then(function (pf) {
        // Result URLs are made relative to wherever the site is served from.
        var options = { baseUrl: new URL(list.dataset.root, location.href).pathname };
        var shards = (list.dataset.shards || "").split(" ").filter(Boolean);
        return pf.options(options).then(function () {
          // The other shards of the index join the first; Pagefind searches them as one.
          return Promise.all(shards.map(function (shard) {
            return pf.mergeIndex(new URL(shard, location.href).href, options);
          }));
        }).then(function () {
          // On the 联合搜索 page, every shard of the other columns too (named in their postings/).
          return Promise.all(sources.slice(1).map(function (other) {
            return loadPostings(other).then(function (index) {
              return Promise.all((index.shards || []).map(function (shard) {
                return pf.mergeIndex(other.pagefind + shard + "/", { baseUrl: other.root });
              }));
            }).catch(function () { return null; }); // a column that cannot be reached is left out
          }));
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  // The URL's state, without the values the form does not offer (an agency this site does not
  // have, a filter this page has no control for): applied, they would narrow the results while
  // the form shows 全部. What was left out is kept in `ignored`, to be said.
  function stateFromUrl() {
    var params = new URLSearchParams(location.search);
    var state = { ignored: [] };
    FIELDS.forEach(function (key) {
      var value = (params.get(key) || "").trim();
      if (value && !offered(key, value)) {
        state.ignored.push((label(key) || key) + "“" + value + "”");
        value = "";
      }
      state[key] = value;
    });
    return state;
  }

  function offered(key, value) {
    var field = form.elements[key];
    if (!field) return false;
    if (field.tagName !== "SELECT") return true;
    return Array.prototype.some.call(field.options, function (option) { return option.value === value; });
  }

  function label(key) {
    var field = form.elements[key];
    var found = field && field.id ? form.querySelector("label[for='" + field.id + "']") : null;
    return found ? found.textContent.trim() : "";
  }

  function stateFromForm() {
    var data = new FormData(form);
    var state = {};
    FIELDS.forEach(function (key) { state[key] = String(data.get(key) || "").trim(); });
    return state;
  }

  function fillForm(state) {
    FIELDS.forEach(function (key) {
      var field = form.elements[key];
      if (!field) return;
      field.value = state[key];
      if (field.tagName === "SELECT" && field.value !== state[key]) field.value = "";
    });
    if (current) current.checked = state.validity === VALID;
    // Filters in force are shown where they are set (只看现行有效 shows its own); on a phone the
    // 已筛选 line names them and the panel stays closed, so the results stay on the first screen.
    if (panel && panelFilters(state).length && window.matchMedia("(min-width: 48rem)").matches) panel.open = true;
  }

  // The keys set in the (closed by default) filters panel, in its order.
  function panelFilters(state) {
    return ["source"].concat(FILTERS, ["sort"]).filter(function (key) {
      return state[key] && !(key === "validity" && current && state[key] === VALID);
    });
  }

  // 「已筛选：发布机构 兰山区方城镇」 under the search box, so closed filters are never a surprise.
  function showActive(state) {
    if (!active) return;
    var parts = panelFilters(state).map(function (key) {
      var field = form.elements[key];
      var option = field.options[field.selectedIndex];
      return label(key) + " " + (option ? option.textContent : state[key]).trim();
    });
    activeText.textContent = parts.length ? "已筛选：" + parts.join("；") : "";
    active.hidden = !parts.length;
  }

  function query(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    var text = params.toString();
    return text ? "?" + text : location.pathname;
  }

  function say(text) { status.textContent = text; }

  function run(state) {
    showActive(state);
    var ignored = state.ignored && state.ignored.length ?
      "地址中的筛选条件" + state.ignored.join("、") + "在本页没有可选项，已忽略。" : "";
    var mine = ++generation;
    currentQuery = state.q;
    var filters = {};
    FILTERS.forEach(function (key) { if (state[key]) filters[key] = state[key]; });
    var chosen = sources.length > 1 ? state.source : "";
    list.textContent = "";
    delete list.dataset.match;
    help.hidden = true;
    more.hidden = true;
    if (!state.q && !Object.keys(filters).length && !chosen) {
      say(ignored + "输入关键词或选择筛选条件后搜索。");
      return Promise.resolve();
    }
    say("正在搜索…");
    var options = { filters: filters };
    if (state.sort === "date") options.sort = { date: "desc" };
    var kind = "none";
    return find(state.q, filters, options, state.sort === "date", chosen).then(function (found) {
      kind = found.match;
      return state.sort === "date" ? found.list : phraseFirst(found.list, state.q);
    }).then(function (ranked) {
      if (mine !== generation) return null;
      results = ranked;
      shown = 0;
      list.dataset.match = kind;
      return showMore(mine).then(function () {
        if (mine !== generation) return;
        var what = state.q ? "与“" + state.q + "”相关的" : "符合条件的";
        // Honest about what was found: all the words, some of them, or nothing that fits.
        say((kind === "exact" ? "找到" + what + "文件 " + results.length + " 件。" :
          kind === "partial" ? "没有完全匹配的文件，以下 " + results.length + " 件文件包含部分关键词。" :
          kind === "short" ? "请至少输入两个字：本站的搜索按词语查找，单个字无法搜索。" :
          "没有找到" + what + "文件。") + ignored);
        help.hidden = kind === "exact";
      });
    }).catch(function () {
      if (mine === generation) say("搜索暂时无法使用，请稍后再试，或按公开目录浏览。");
    });
  }

  // postings/ (generator/postings.py): which documents hold each term, and how strongly.
  function loadPostings(from) {
    if (!from.index) {
      var address = new URL(from.postings);
      from.index = fetchJson(address.href, "no-cache").catch(function (error) {
        // On a 繁體 联合搜索 page, a column without a 繁體 copy is searched in 简体.
        if (!from.fallback) throw error;
        from.root = from.fallbackRoot;
        from.postings = from.fallback + "postings/index.json";
        from.pagefind = from.fallback + "pagefind/";
        from.fallback = null;
        address = new URL(from.postings);
        return fetchJson(address.href, "no-cache");
      }).then(function (index) {
        index.base = new URL(".", address).href;
        // An index written before its format was published in it (another column of a 联合搜索
        // built by an older Gongkai) used these.
        index.format = index.format || { digits: "0123456789abcdefghijklmnopqrstuv", chunk: 64 };
        index.number = {};
        index.sections.forEach(function (s, i) { index.number[s[0]] = i; });
        index.buckets_ = {};
        index.pages_ = {};
        index.tables = {};
        return index;
      });
      from.index.catch(function () { from.index = null; }); // tried again by the next search
    }
    return from.index;
  }

  function fetchJson(url, cache) {
    return fetch(url, cache ? { cache: cache } : {}).then(function (r) {
      if (!r.ok) throw new Error(url + ": " + r.status);
      return r.json();
    });
  }

  // The same text as generator/postings.py normalize(): compatibility forms unified, lower
  // case, 繁體 folded to 简体 (`fold`: postings/fold-*.json), quotes dropped, 文号 words spaced.
  var TRANSPARENT = /["'“”‘’「」『』《》〈〉]/g;
  var HAN_CHAR = /[\u3400-\u9fff\uf900-\ufaff]/;
  function marked(text, fold) {
    var norm = text.normalize("NFKC").toLowerCase();
    if (fold) norm = norm.replace(/[\u3400-\u9fff\uf900-\ufaff]/g, function (c) { return fold[c] || c; });
    return norm.replace(TRANSPARENT, "").replace(/(^|[^0-9])((?:19|20)[0-9]{2})([0-9]{1,4})号/g, "$1$2 $3号");
  }
  var DOC_NUMBER = /((?:19|20)[0-9]{2})\s*[\]）)】〕]?\s*年?\s*第?\s*0*([0-9]{1,4})\s*号/g;
  function normalize(text, fold) {
    return spaced(marked(text, fold));
  }
  function spaced(norm) {
    return norm.replace(/([0-9])\s*[年号]/g, "$1 ").replace(/第\s*([0-9])/g, " $1");
  }

  // The query's terms as generator/postings.py tokens() cuts them: the Han bigrams of each run
  // in order (to tell a word boundary from a typo), and the ASCII words, numbers without
  // leading zeros.
  function terms(text, fold, agencies) {
    var numbered = [];
    var norm = marked(text, fold);
    norm.replace(DOC_NUMBER, function (_all, year, serial) { numbered.push("#" + year + "/" + serial); });
    norm = spaced(norm);
    if (agencies) norm = norm.replace(agencies, " $& ");
    var runs = (norm.match(HAN) || []).map(function (run) {
      var grams = [];
      for (var i = 0; i < run.length - 1; i++) grams.push(run.slice(i, i + 2));
      return grams;
    }).filter(function (grams) { return grams.length; });
    var words = numbered.concat((norm.match(/[a-z0-9]+/g) || []).map(function (w) { return w.replace(/^0+(?=[0-9])/, ""); }));
    var all = {};
    runs.forEach(function (grams) { grams.forEach(function (g) { all[g] = true; }); });
    words.forEach(function (w) { all[w] = true; });
    return { runs: runs, words: words, all: Object.keys(all) };
  }

  var CRC = [];
  for (var n = 0; n < 256; n++) {
    var c = n;
    for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    CRC[n] = c;
  }
  function crc32(text) { // zlib's, over UTF-8, as generator/postings.py bucket()
    var bytes = new TextEncoder().encode(text);
    var c = -1;
    for (var i = 0; i < bytes.length; i++) c = CRC[(c ^ bytes[i]) & 255] ^ (c >>> 8);
    return (c ^ -1) >>> 0;
  }

  // A bucket's file: its hash from its page of h/ (index.json of an older Gongkai lists them all
  // in `files`), then the file; {} for a bucket no term falls in.
  function bucketFile(index, b) {
    if (!index.buckets_[b]) {
      var page = index.format.page;
      var hash = index.files ? Promise.resolve(index.files[b]) : (function (k) {
        index.pages_[k] = index.pages_[k] || fetchJson(index.base + "h/" + k + "-" + index.pages[k] + ".json");
        return index.pages_[k].then(function (hashes) { return hashes[b % page]; });
      })(Math.floor(b / page));
      index.buckets_[b] = hash.then(function (h) {
        return h ? fetchJson(index.base + "b/" + b + "-" + h + ".json") : {};
      });
    }
    return index.buckets_[b];
  }

  // term → { document number → weight }.
  function lookup(index, wanted) {
    return Promise.all(wanted.map(function (term) {
        return bucketFile(index, crc32(term) & (index.buckets - 1)).then(function (file) {
          var docs = {};
          Object.keys(file).forEach(function (name) {
            var list = file[name][term];
            if (!list) return;
            var section = index.number[name];
            var width = index.sections[section][2];
            var digits = index.format.digits;
            var id, i, j;
            if (index.format.complement && list.charAt(0) === index.format.complement) {
              // Held by most of the section: the ids are the documents without it, one weight for all.
              var weight = digits.indexOf(list.charAt(1));
              var without = {};
              for (i = 2; i < list.length; i += width) {
                for (id = 0, j = 0; j < width; j++) id = id * digits.length + digits.indexOf(list[i + j]);
                without[id] = true;
              }
              for (id = 0; id < index.sections[section][1]; id++) if (!without[id]) docs[section * STRIDE + id] = weight;
              return;
            }
            for (i = 0; i < list.length; i += width + 1) {
              for (id = 0, j = 0; j < width; j++) id = id * digits.length + digits.indexOf(list[i + j]);
              docs[section * STRIDE + id] = digits.indexOf(list[i + width]);
            }
          });
          return docs;
        });
      }));
  }

  // What a query finds, ranked by BM25 (idf from the whole site), documents in force first at
  // equal score; the same however Pagefind's index is cut into shards.
  // - "exact": the documents holding every term, alone and first.
  // - "partial", when there are none: the documents holding at least PARTIAL of the query's
  //   weight whose title or text holds the query with one character changed (a typo; see find()),
  //   said to be partial. A bigram no document holds weighs as much as an average held one:
  //   it cannot tell documents apart. A 文号 (a name, a year and a serial) is found exactly or not at all.
  // - "none": nothing fits well enough, and the page says so.
  // Numbers (years, serials) are never left out. A bigram no document holds between two that
  // are held is where two words meet, not a term; so is one where an agency's name meets the
  // words after it (省政府住房公积金管理办法: terms() splits it at 省政府).
  var PARTIAL = 0.5;
  function match(index, query, filters) {
    var facets = Object.keys(filters).map(function (key) { return key + "=" + filters[key]; });
    var wanted = query ? query.all : [];
    return lookup(index, wanted.concat(facets, [VALID_FACET])).then(function (maps) {
      var valid = maps.pop();
      var byTerm = {};
      wanted.forEach(function (term, i) { byTerm[term] = maps[i]; });
      var narrowing = maps.slice(wanted.length);
      if (!wanted.length) {
        var docs = facets.length ? holdingAll(narrowing) : all(index); // filters alone, or a column chosen
        return { match: "exact", found: docs.map(function (d) { return { doc: Number(d), score: 0, valid: d in valid ? 1 : 0 }; }) };
      }
      var df = function (term) { return Object.keys(byTerm[term]).length; };
      var runs = query.runs.map(function (grams) {
        return grams.filter(function (g, i) {
          return df(g) || i === 0 || i === grams.length - 1 || !df(grams[i - 1]) || !df(grams[i + 1]);
        });
      });
      var numbers = query.words.filter(function (w, i, a) { return a.indexOf(w) === i; });
      var kept = [];
      runs.forEach(function (grams) { grams.forEach(function (g) { if (kept.indexOf(g) < 0) kept.push(g); }); });
      kept = kept.concat(numbers.filter(function (w) { return kept.indexOf(w) < 0; }));
      var idf = {};
      var held = kept.filter(function (term) { return df(term); });
      held.forEach(function (term) { idf[term] = Math.log(1 + (index.documents - df(term) + 0.5) / (df(term) + 0.5)); });
      var average = held.length ? held.reduce(function (sum, t) { return sum + idf[t]; }, 0) / held.length : 1;
      var total = 0;
      kept.forEach(function (term) { total += df(term) ? idf[term] : average; });
      var docNumber = numbers.some(function (w) { return w.charAt(0) === "#"; }) ||
        (runs.length === 1 && numbers.length === 2 && /^(19|20)[0-9][0-9]$/.test(numbers[0]) && numbers[1].length <= 4);
      var candidates = {};
      held.forEach(function (term) { Object.keys(byTerm[term]).forEach(function (d) { candidates[d] = true; }); });
      var scored = [];
      Object.keys(candidates).forEach(function (d) {
        if (!narrowing.every(function (m) { return d in m; })) return;
        if (!numbers.every(function (w) { return d in byTerm[w]; })) return;
        var score = 0, weight = 0;
        held.forEach(function (term) {
          var w = byTerm[term][d];
          if (w === undefined) return;
          score += idf[term] * w;
          weight += idf[term];
        });
        scored.push({ doc: Number(d), score: score, cover: total ? weight / total : 1, valid: d in valid ? 1 : 0 });
      });
      var exact = scored.filter(function (x) { return x.cover >= 1 - 1e-9; });
      var kind = exact.length ? "exact" : "partial";
      var found = exact.length ? exact : docNumber ? [] : scored.filter(function (x) {
        return x.cover >= PARTIAL;
      });
      if (kind === "partial") found.forEach(function (x) { x.score *= x.cover * x.cover; });
      found.sort(function (a, b) { return b.score - a.score || b.valid - a.valid || a.doc - b.doc; });
      return { match: found.length ? kind : "none", found: found };
    });
  }

  function all(index) {
    var found = [];
    index.sections.forEach(function (section, n) {
      for (var local = 0; local < section[1]; local++) found.push(String(n * STRIDE + local));
    });
    return found;
  }

  // The documents in every one of the maps (document → weight), smallest map first.
  function holdingAll(maps) {
    var sorted = maps.slice().sort(function (a, b) { return Object.keys(a).length - Object.keys(b).length; });
    return Object.keys(sorted[0]).filter(function (d) {
      return sorted.every(function (m) { return d in m; });
    });
  }

  // A document's row in its section's table: [URL, card].
  function row(index, doc) {
    var section = index.sections[Math.floor(doc / STRIDE)];
    var local = doc % STRIDE;
    var k = Math.floor(local / index.format.chunk);
    var name = section[0] + "-" + k;
    index.tables[name] = index.tables[name] || fetchJson(index.base + "s/" + name + "-" + section[4][k] + ".json");
    return index.tables[name].then(function (rows) { return rows[local % index.format.chunk]; });
  }

  function dates(index, section) {
    var name = index.sections[section][0] + "-dates";
    index.tables[name] = index.tables[name] ||
      fetchJson(index.base + "s/" + name + "-" + index.sections[section][3] + ".json");
    return index.tables[name];
  }

  // Each found document with its date (yyyymmdd as a number), to order by.
  function withDates(index, found) {
    var sections = {};
    found.forEach(function (x) { sections[Math.floor(x.doc / STRIDE)] = true; });
    var numbers = Object.keys(sections).map(Number);
    return Promise.all(numbers.map(function (n) { return dates(index, n); })).then(function (loaded) {
      var byNumber = {};
      numbers.forEach(function (n, i) { byNumber[n] = loaded[i]; });
      found.forEach(function (x) {
        x.date = Number(byNumber[Math.floor(x.doc / STRIDE)].substr((x.doc % STRIDE) * 8, 8));
      });
      return found;
    });
  }

  // What a result shows: the document's card (postings/d/, generator/records.py), in the shape
  // a Pagefind result's data has, so that both render alike. Its text holds the body alone.
  function card(from, index, doc) {
    return row(index, doc).then(function (r) {
      return fetchJson(index.base + "d/" + r[1] + ".json").then(function (c) {
        return { url: new URL(r[0], from.root).href, source: from.name, content: c.text || "", titleLength: 0,
                 meta: { title: c.title, date: c.date, agency: c.agency, doc_no: c.doc_no, index_no: c.index_no },
                 filters: { validity: [c.validity], mode: [c.mode] } };
      });
    });
  }

  // Han bigrams as text, to find and mark them in an excerpt.
  function bigrams(text) {
    var found = [];
    (text.match(HAN) || []).forEach(function (run) {
      for (var i = 0; i < run.length - 1; i++) found.push(run.slice(i, i + 2));
    });
    return found;
  }

  // The site's agency names and short names as one pattern, longest first (generator/names.py searched()).
  function agencyNames(index) {
    if (index.agencyPattern === undefined) {
      var names = (index.agencies || []).map(function (n) { return n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
      index.agencyPattern = names.length ? new RegExp(names.join("|"), "g") : null;
    }
    return index.agencyPattern;
  }

  // 繁體 → 简体 by character (generator/fold.py), fetched once, and only for a query in Han characters.
  function folding(index, q) {
    if (!index.fold || !q || !HAN_CHAR.test(q)) return Promise.resolve(null);
    index.folding = index.folding || fetchJson(index.base + "fold-" + index.fold + ".json").then(function (pairs) {
      var map = {};
      var chars = Array.from(pairs); // by code point: a few 简体 forms lie beyond U+FFFF
      for (var i = 0; i + 1 < chars.length; i += 2) map[chars[i]] = chars[i + 1];
      return map;
    });
    return index.folding;
  }

  // postings/ decides what is found and in which order, filters and sorting by date included:
  // { match: "exact" | "partial" | "none", list }. Pagefind answers only a query with no term
  // of two characters (a single character: its looser matching finds the nearest documents).
  function find(q, filters, options, byDate, chosen) {
    var searched = sources.filter(function (from) { return !chosen || from.name === chosen; });
    var pagefindSearch = function () {
      return load().then(function (pf) { return pf.search(q || null, options); }).then(function (s) {
        if (!chosen) return s.results;
        // A result's column shows in its URL, which only its data holds (a rare path: the
        // 联合搜索 page, one column chosen, a one-character query).
        return Promise.all(s.results.map(data)).then(function (items) {
          return s.results.filter(function (_result, i) { return sourceOf(items[i]) === chosen; });
        });
      }).then(function (list) { return { match: list.length ? "exact" : "none", list: list }; });
    };
    if (q && !terms(q, null).all.length) {
      // A site built without Pagefind (config.yml search: {pagefind: false}) asks for one more character.
      return list.dataset.bundle ? pagefindSearch() : Promise.resolve({ match: "short", list: [] });
    }
    return Promise.all(searched.map(function (from, order) {
      return loadPostings(from).then(function (index) {
        return folding(index, q).then(function (map) {
          return match(index, q ? terms(q, map, agencyNames(index)) : null, filters);
        }).then(function (result) {
          result.found.forEach(function (x) { x.from = from; x.index = index; x.order = order; });
          return byDate || !q ? withDates(index, result.found).then(function () { return result; }) : result;
        });
      }).catch(function (error) {
        if (searched.length === 1) throw error;
        return null; // on the 联合搜索 page, a column that cannot be reached is left out
      });
    })).then(function (parts) {
      var reached = parts.filter(function (part) { return part !== null; });
      // Exact matches of any column first and alone; else the partial ones.
      var kind = reached.some(function (p) { return p.match === "exact"; }) ? "exact"
        : reached.some(function (p) { return p.match === "partial"; }) ? "partial" : "none";
      var merged = [].concat.apply([], reached.filter(function (p) { return p.match === kind; })
        .map(function (p) { return p.found; }));
      // One list: by date, or by score (each column's own idf); ties: documents in force first,
      // then in column order.
      merged.sort(byDate || !q ? function (a, b) { return b.date - a.date || b.valid - a.valid || a.order - b.order || a.doc - b.doc; }
        : function (a, b) { return b.score - a.score || b.valid - a.valid || a.order - b.order || a.doc - b.doc; });
      var list = merged.map(function (x) {
        return { data: function () { return card(x.from, x.index, x.doc); }, from: x };
      });
      if (kind !== "partial") return { match: kind, list: list };
      // A partial match stays only where its title or text holds the query with one character
      // changed: a typo. A document that merely shares most of the query's words is no answer.
      var head = list.slice(0, PHRASE_WINDOW);
      return Promise.all(head.map(function (result) {
        return Promise.all([data(result), folding(result.from.index, q)]).then(function (got) {
          return typo(got[0], q, got[1]) ? result : null;
        });
      })).then(function (kept) {
        kept = kept.filter(Boolean);
        return { match: kept.length ? "partial" : "none", list: kept };
      });
    });
  }

  // Whether the result's title or text holds the query (six characters or more) with at most
  // one character changed, compared as search compares them (normalize()), separators left out.
  var TYPO_LENGTH = 6;
  function squashed(text, fold) {
    return normalize(text, fold).replace(/[^\u3400-\u9fff\uf900-\ufaffa-z0-9]/g, "");
  }
  function typo(item, q, fold) {
    var want = squashed(q, fold);
    if (want.length < TYPO_LENGTH) return false;
    var hay = squashed(((item.meta && item.meta.title) || "") + "\n" + text(item), fold);
    for (var i = 0; i + want.length <= hay.length; i++) {
      var off = 0;
      for (var j = 0; j < want.length && off <= 1; j++) if (hay.charCodeAt(i + j) !== want.charCodeAt(j)) off++;
      if (off <= 1) return true;
    }
    return false;
  }

  // Which column a Pagefind result belongs to: the one whose address is the longest prefix of its URL.
  function sourceOf(result) {
    var url = new URL(result.url, location.href).href;
    var best = sources[0];
    sources.forEach(function (from) { if (url.indexOf(from.root) === 0 && from.root.length > best.root.length) best = from; });
    return best.name;
  }

  function data(result) {
    result.loaded = result.loaded || result.data();
    return result.loaded;
  }

  // People typing 依申请公开办理 mean that phrase. Among the first results, those whose title and
  // then whose text hold the whole phrase move up, in score order otherwise.
  function phraseFirst(found, q) {
    if (!q || q.trim().length < 2 || /\s/.test(q.trim())) return Promise.resolve(found);
    var head = found.slice(0, PHRASE_WINDOW);
    // Compared as search compares (normalize(), separators left out): 繁體 and 简体 alike.
    var index = head.length && head[0].from ? head[0].from.index : null;
    var fold = index ? folding(index, q) : Promise.resolve(null);
    return Promise.all([fold].concat(head.map(data))).then(function (got) {
      var map = got[0];
      var phrase = squashed(q, map);
      var ranked = head.map(function (result, i) {
        var item = got[i + 1];
        var title = squashed((item.meta && item.meta.title) || "", map);
        var tier = title === phrase ? -1 : title.indexOf(phrase) >= 0 ? 0 : squashed(text(item), map).indexOf(phrase) >= 0 ? 1 : 2;
        return { result: result, tier: tier, order: i };
      });
      ranked.sort(function (a, b) { return a.tier - b.tier || a.order - b.order; });
      return ranked.map(function (x) { return x.result; }).concat(found.slice(PHRASE_WINDOW));
    });
  }

  function showMore(mine) {
    var slice = results.slice(shown, shown + PAGE);
    return Promise.all(slice.map(data)).then(function (items) {
      if (mine !== generation) return;
      var first = null;
      items.forEach(function (item) {
        var li = render(item);
        first = first || li;
        list.appendChild(li);
      });
      shown += items.length;
      more.hidden = shown >= results.length;
      return first;
    });
  }

  function render(item) {
    var meta = item.meta || {};
    var li = document.createElement("li");
    var heading = document.createElement("h3");
    var link = document.createElement("a");
    link.href = item.url;
    link.textContent = meta.title || item.url;
    heading.appendChild(link);
    var ended = endedBadge(((item.filters || {}).validity || [])[0]);
    if (ended) heading.append(" ", ended);
    li.appendChild(heading);
    var dl = document.createElement("dl");
    dl.className = "result-meta";
    [["来源", sources.length > 1 ? item.source || sourceOf(item) : ""], ["发布日期", meta.date],
      ["发布机构", meta.agency], ["文号", meta.doc_no], ["索引号", meta.index_no]]
      .forEach(function (pair) {
        if (!pair[1]) return;
        var div = document.createElement("div");
        var dt = document.createElement("dt");
        var dd = document.createElement("dd");
        dt.textContent = pair[0];
        dd.textContent = pair[1];
        div.appendChild(dt);
        div.appendChild(dd);
        dl.appendChild(div);
      });
    li.appendChild(dl);
    var excerpt = document.createElement("p");
    excerpt.className = "excerpt";
    if (!text(item) && ((item.filters || {}).mode || [])[0] === ON_REQUEST) {
      // A catalogue entry: the gate kept its text out; say so, as its page does.
      excerpt.textContent = ON_REQUEST_NOTE;
      li.appendChild(excerpt);
      return li;
    }
    // A Pagefind result's text begins with the title; a card's does not.
    var skip = "titleLength" in item ? item.titleLength : (meta.title || "").length;
    appendExcerpt(excerpt, text(item), skip, currentQuery);
    li.appendChild(excerpt);
    return li;
  }

  // 已废止 / 已失效 / 已修订 in words beside the title of a document no longer in force.
  function endedBadge(validity) {
    if (!validity || validity === VALID) return null;
    var badge = document.createElement("span");
    badge.className = validity === "已修订" ? "badge badge-revised" : "badge badge-ended";
    badge.textContent = validity.charAt(0) === "已" ? validity : "已" + validity;
    return badge;
  }

  // A record's readable text, without the zero-width spaces Pagefind puts between the words
  // it segmented.
  function text(item) {
    return (item.content || "").replace(/\u200b/g, "");
  }

  // Our own excerpt: about 120 characters of the text around the first match after the title,
  // every match marked. Built from text nodes, so nothing in the text can become markup.
  function appendExcerpt(target, body, titleLength, q) {
    var terms = matchTerms(body, q);
    var lower = body.toLowerCase();
    var first = -1;
    terms.forEach(function (term) {
      var at = lower.indexOf(term, titleLength);
      if (at < 0) at = lower.indexOf(term);
      if (at >= 0 && (first < 0 || at < first)) first = at;
    });
    var start = Math.max(0, first < 0 ? titleLength : first - 30);
    var end = Math.min(body.length, start + 120);
    var window = body.slice(start, end);
    var windowLower = window.toLowerCase();
    var marks = [];
    terms.forEach(function (term) {
      for (var at = windowLower.indexOf(term); at >= 0; at = windowLower.indexOf(term, at + term.length)) {
        marks.push([at, at + term.length]);
      }
    });
    marks.sort(function (a, b) { return a[0] - b[0] || b[1] - a[1]; });
    var pos = 0;
    if (start > 0) target.appendChild(document.createTextNode("…"));
    marks.forEach(function (m) {
      if (m[0] < pos) return;
      target.appendChild(document.createTextNode(window.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = window.slice(m[0], m[1]);
      target.appendChild(mark);
      pos = m[1];
    });
    target.appendChild(document.createTextNode(window.slice(pos) + (end < body.length ? "…" : "")));
  }

  // What to mark: the whole query where the text holds it, else each of its words, else its bigrams.
  function matchTerms(body, q) {
    var lower = body.toLowerCase();
    var phrase = (q || "").normalize("NFKC").toLowerCase().trim();
    if (!phrase) return [];
    if (lower.indexOf(phrase) >= 0) return [phrase];
    var words = phrase.split(/\s+/).filter(function (w) { return lower.indexOf(w) >= 0; });
    if (words.length) return words;
    return bigrams(phrase).filter(function (g) { return lower.indexOf(g) >= 0; });
  }

  // A submitted query: a new step in history.
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(pending);
    var state = stateFromForm();
    history.pushState(null, "", query(state));
    run(state);
  });
  // A changed filter refines this step: the URL is replaced, not added to, and the search waits
  // until the arrow keys stepping through a list have settled.
  function refine() {
    clearTimeout(pending);
    var state = stateFromForm();
    history.replaceState(null, "", query(state));
    run(state);
  }
  form.addEventListener("change", function (event) {
    var field = event.target;
    if (field === current) {
      form.elements.validity.value = current.checked ? VALID : "";
      refine();
    } else if (field.tagName === "SELECT") {
      if (current && field === form.elements.validity) current.checked = field.value === VALID;
      clearTimeout(pending);
      pending = setTimeout(refine, SETTLE);
    }
  });
  window.addEventListener("popstate", function () {
    clearTimeout(pending);
    var state = stateFromUrl();
    fillForm(state);
    run(state);
  });
  more.addEventListener("click", function () {
    showMore(generation).then(function (first) {
      if (first) first.querySelector("a").focus();
    });
  });

  var initial = stateFromUrl();
  // What the form cannot show is not applied, and leaves the address too.
  if (initial.ignored.length) history.replaceState(null, "", query(initial));
  fillForm(initial);
  run(initial);
}());
