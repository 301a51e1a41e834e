/* The search box's behaviour: URL ↔ form (filters and sort live in the URL), submitting,
 * results while typing after a pause, 显示更多, back/forward.  Rendering is in page.js.
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch, P = GW.page, FIELDS = GW.FIELDS, PAGE = P.PAGE;

  function start(box) {
    var form = box.querySelector("form"), status = box.querySelector(".gw-status"), hints = box.querySelector(".gw-hints");
    var list = box.querySelector(".gw-results"), more = box.querySelector(".gw-more");
    var generation = 0, filters = new GW.FiltersUi(form, function () { submit(); });

    function fillYears(meta) {
      var select = form.elements.year;
      if (select.dataset.filled) return;
      select.dataset.filled = "1";
      var years = meta.years.map(function (pair) { return pair[0]; }).reverse();
      GW.fillSelect(select, years.map(String), "全部年度");
    }

    // Tiers 2–3 may be ranked only when the page reaches them (rank.js).
    function showPage(meta, result, from, mine) {
      var ready = from + PAGE > result.counts[0] && result.ranked ? result.ranked(from + PAGE) : Promise.resolve(result);
      return ready.then(function () { return showRanked(meta, result, from, mine); });
    }

    function showRanked(meta, result, from, mine) {
      var docs = result.docs.slice(from, from + PAGE);
      return Promise.all(docs.map(function (doc, i) { return P.renderResult(doc, result.tiers[from + i], from + i + 1, meta, result); })).then(function (items) {
        if (mine !== generation) return;
        items.forEach(function (item, i) {
          var tier = result.tiers[from + i];
          if (from + i === 0 ? tier !== 1 || result.counts[1] + result.counts[2] || result.deferred : result.tiers[from + i - 1] !== tier) {
            var head = P.element("li", "gw-tier", P.TIER_NAMES[tier] + " · " + P.TIER_HINTS[tier]);
            head.dataset.tier = String(tier);
            list.append(head);
          }
          list.append(item);
        });
        more.hidden = from + PAGE >= result.docs.length;
        more.onclick = function () { box.dataset.state = "loading"; showPage(meta, result, from + PAGE, mine); };
        box.dataset.shown = location.search;
        box.dataset.state = "done";
      });
    }

    function setFields(state, keepQuery) {
      if (!keepQuery) form.elements.q.value = state.q;
      form.elements.year.value = state.year;
      if (state.year && form.elements.year.value !== state.year) {  // until the list of years arrives
        form.elements.year.add(new Option(state.year, state.year));
        form.elements.year.value = state.year;
      }
      form.elements.sort.value = state.sort;
      filters.set(state);
    }

    function nothingAsked(state) { return !state.q.trim() && !(state.year || state.bureau || state.region || state.level); }

    function run(state, typing) {
      var mine = ++generation;
      box.dataset.state = "loading";
      setFields(state, typing);
      if (nothingAsked(state)) {
        list.replaceChildren(); hints.hidden = true; more.hidden = true;
        status.textContent = "请输入检索词，或选择筛选条件。";
        box.dataset.count = "0"; box.dataset.exact = "0"; box.dataset.shown = location.search; box.dataset.state = "done";
        return Promise.resolve();  // nothing is fetched until there is something to search
      }
      status.textContent = "正在检索“" + state.q.trim() + "”…";
      return GW.loadMeta().then(function (meta) {
        fillYears(meta);
        form.elements.year.value = state.year;
        return GW.searchOnce(meta, state).then(function (result) {
          if (mine !== generation) return;
          list.replaceChildren();
          status.textContent = P.statusText(result);
          P.zeroHints(hints, state.q.trim(), result, function (q) { submitState(Object.assign({}, state, { q: q })); });
          box.dataset.count = String(result.docs.length);
          box.dataset.exact = String(result.counts[0]);
          return showPage(meta, result, 0, mine);
        });
      }).catch(function (error) {
        status.textContent = "检索出错：" + error.message;
        box.dataset.state = "error";
      });
    }

    function formState() {
      var state = {};
      FIELDS.forEach(function (name) { state[name] = form.elements[name] ? form.elements[name].value.trim() : ""; });
      return state;
    }

    function submitState(state) {
      var url = P.urlFromState(state);
      if (url !== location.pathname + location.search) history.pushState(null, "", url);
      run(state);
    }

    function submit(event) {
      if (event) event.preventDefault();
      clearTimeout(typing);
      submitState(formState());
    }

    // While the visitor types (an input method commits a word or phrase at a time), a pause
    // searches the query so far and shows it, replacing the URL rather than adding to history;
    // Enter then finds the same search in the caches.
    var typing = null;
    function typed() {
      clearTimeout(typing);
      typing = setTimeout(function () {
        var state = formState();
        if (!state.q) return;
        history.replaceState(null, "", P.urlFromState(state));
        run(state, true);
      }, P.TYPING_PAUSE_MS);
    }

    form.addEventListener("submit", submit);
    form.elements.q.addEventListener("input", function (event) { if (!event.isComposing) typed(); });
    form.elements.q.addEventListener("compositionend", typed);
    ["year", "level", "sort"].forEach(function (name) { form.elements[name].addEventListener("change", submit); });
    ["focus", "pointerdown"].forEach(function (type) {
      form.elements.year.addEventListener(type, function () { GW.loadMeta().then(fillYears); });
    });
    window.addEventListener("popstate", function () { run(P.stateFromUrl()); });
    // The search page has its own box: the header's would be a second, empty one.
    Array.prototype.forEach.call(document.querySelectorAll(".gw-header-search"), function (header) { header.style.display = "none"; });
    form.elements.q.focus();
    run(P.stateFromUrl());
  }

  function boot() { var box = document.getElementById("gw-search"); if (box) start(box); }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot); else boot();
})();
