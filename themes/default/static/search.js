// The search page: Pagefind's JavaScript API behind our own accessible form.
// State lives in the URL (?q=…&agency=…&sort=date), so a search can be shared, bookmarked
// and undone with the back button. Without JavaScript the page's <noscript> offers browsing.
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  if (!form) return;
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  var more = document.getElementById("search-more");
  var FILTERS = ["column", "category", "agency", "year", "mode", "validity", "subject"];
  var FIELDS = ["q", "sort"].concat(FILTERS);
  var PAGE = 10;
  var PHRASE_WINDOW = 20; // results re-ranked so exact phrase matches come first
  var GRAMS_MARK = "\u2042"; // generator/search.py GRAMS_MARK: where a record's gram lane starts
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]+/g;
  var pagefind = null;
  var results = [];
  var shown = 0;
  var generation = 0;
  var currentQuery = "";

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
        }).then(function () { return pf; });
      });
    }
    return pagefind;
  }

  function stateFromUrl() {
    var params = new URLSearchParams(location.search);
    var state = {};
    FIELDS.forEach(function (key) { state[key] = (params.get(key) || "").trim(); });
    return state;
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
  }

  function query(state) {
    var params = new URLSearchParams();
    FIELDS.forEach(function (key) { if (state[key]) params.set(key, state[key]); });
    var text = params.toString();
    return text ? "?" + text : location.pathname;
  }

  function say(text) { status.textContent = text; }

  function run(state) {
    var mine = ++generation;
    currentQuery = state.q;
    var filters = {};
    FILTERS.forEach(function (key) { if (state[key]) filters[key] = state[key]; });
    list.textContent = "";
    more.hidden = true;
    if (!state.q && !Object.keys(filters).length) {
      say("输入关键词或选择筛选条件后搜索。");
      return Promise.resolve();
    }
    say("正在搜索…");
    var options = { filters: filters };
    if (state.sort === "date") options.sort = { date: "desc" };
    return load().then(function (pf) {
      return find(pf, state.q, options, state.sort === "date");
    }).then(function (found) {
      return state.sort === "date" ? found : phraseFirst(found, state.q);
    }).then(function (ranked) {
      if (mine !== generation) return null;
      results = ranked;
      shown = 0;
      return showMore(mine).then(function () {
        if (mine !== generation) return;
        var what = state.q ? "与“" + state.q + "”相关的" : "符合条件的";
        say(results.length ? "找到" + what + "文件 " + results.length + " 件。" :
          "没有找到" + what + "文件。可以换一个关键词，或减少筛选条件。");
      });
    }).catch(function () {
      if (mine === generation) say("搜索暂时无法使用，请稍后再试，或按公开目录浏览。");
    });
  }

  // The same rule as generator/search.py grams(): each Han bigram as one ten-digit word.
  function code(ch) { return ("0000" + ch.charCodeAt(0)).slice(-5); }
  function grams(text) {
    var found = {};
    (text.normalize("NFKC").match(HAN) || []).forEach(function (run) {
      if (run.length === 1) found[code(run)] = true;
      for (var i = 0; i < run.length - 1; i++) found[code(run[i]) + code(run[i + 1])] = true;
    });
    return Object.keys(found).sort().join(" ");
  }

  // Han bigrams as text, to find and mark them in an excerpt.
  function bigrams(text) {
    var found = [];
    (text.match(HAN) || []).forEach(function (run) {
      for (var i = 0; i < run.length - 1; i++) found.push(run.slice(i, i + 2));
    });
    return found;
  }

  // Two searches: Pagefind's own (ranked by its words) and the gram lane, which finds every
  // document holding all the query's bigrams however Pagefind segmented the page. Documents
  // in both come first in Pagefind's order, then the lane's, then Pagefind's remainder.
  function find(pf, q, options, byDate) {
    if (!q) return pf.search(null, options).then(function (s) { return s.results; });
    var lane = grams(q);
    return Promise.all([pf.search(q, options), lane ? pf.search(lane, options) : Promise.resolve({ results: [] })])
      .then(function (both) {
        var words = both[0].results;
        var laneResults = both[1].results;
        if (byDate) return laneResults.length ? laneResults : words;
        var inLane = {};
        laneResults.forEach(function (r) { inLane[r.id] = true; });
        var seen = {};
        var merged = [];
        words.forEach(function (r) { if (inLane[r.id]) { merged.push(r); seen[r.id] = true; } });
        laneResults.concat(words).forEach(function (r) {
          if (!seen[r.id]) { merged.push(r); seen[r.id] = true; }
        });
        return merged;
      });
  }

  function data(result) {
    result.loaded = result.loaded || result.data();
    return result.loaded;
  }

  // Pagefind ranks by segmented words; people typing 依申请公开办理 mean that phrase. Among the
  // first results, those whose title and then whose text hold the whole phrase move up, in
  // Pagefind's order otherwise.
  function phraseFirst(found, q) {
    var phrase = (q || "").normalize("NFKC").trim();
    if (phrase.length < 2 || /\s/.test(phrase)) return Promise.resolve(found);
    var head = found.slice(0, PHRASE_WINDOW);
    return Promise.all(head.map(data)).then(function (items) {
      var ranked = head.map(function (result, i) {
        var item = items[i];
        var title = ((item.meta && item.meta.title) || "").normalize("NFKC");
        var tier = title.indexOf(phrase) >= 0 ? 0 : text(item).normalize("NFKC").indexOf(phrase) >= 0 ? 1 : 2;
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
    li.appendChild(heading);
    var dl = document.createElement("dl");
    dl.className = "result-meta";
    [["发布日期", meta.date], ["发布机构", meta.agency], ["文号", meta.doc_no], ["索引号", meta.index_no]]
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
    appendExcerpt(excerpt, text(item), (meta.title || "").length, currentQuery);
    li.appendChild(excerpt);
    return li;
  }

  // A record's readable text: what precedes its gram lane, without the zero-width spaces
  // Pagefind puts between the words it segmented.
  function text(item) {
    return (item.content || "").split(GRAMS_MARK)[0].replace(/\u200b/g, "");
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

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var state = stateFromForm();
    history.pushState(state, "", query(state));
    run(state);
  });
  form.addEventListener("change", function (event) {
    if (event.target.tagName === "SELECT") form.requestSubmit();
  });
  window.addEventListener("popstate", function () {
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
  fillForm(initial);
  run(initial);
}());
