/* The search box's behaviour: URL ↔ form (filters and sort live in the URL), submitting,
 * results while typing after a pause, 显示更多, back/forward.  Rendering is in page.js.
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch, P = GW.page, FIELDS = GW.FIELDS, PAGE = P.PAGE;

  function fillSelect(select, values, label) {
    select.replaceChildren(new Option(label, ""));
    values.forEach(function (v) { select.add(new Option(v, v)); });
  }

  function start(box) {
    var form = box.querySelector("form"), status = box.querySelector(".gw-status"), hints = box.querySelector(".gw-hints");
    var list = box.querySelector(".gw-results"), more = box.querySelector(".gw-more");
    var generation = 0, named = { bureau: "全部部门", region: "全部地区", level: "全部层级" };

    function fillYears(meta) {
      var select = form.elements.year;
      if (select.dataset.filled) return;
      select.dataset.filled = "1";
      var years = Array.from(new Set(meta.year)).sort(function (a, b) { return b - a; });
      fillSelect(select, years.map(function (y) { return String(meta.first_year + y); }), "全部年度");
    }

    // The bureau, region and level lists come with filters.json, fetched the first time they are wanted.
    var namedFilled = null;
    function fillNamed() {
      if (namedFilled) return namedFilled;
      namedFilled = GW.loadFilters().then(function (filters) {
        ["bureau", "region", "level"].forEach(function (name) {
          var select = form.elements[name], value = select.value;
          fillSelect(select, filters[name === "bureau" ? "bureaus" : name === "region" ? "regions" : "levels"], named[name]);
          select.value = value;
        });
      });
      return namedFilled;
    }

    function showPage(meta, result, from, mine) {
      var docs = result.docs.slice(from, from + PAGE);
      return Promise.all(docs.map(function (doc, i) { return P.renderResult(doc, result.tiers[from + i], meta, result); })).then(function (items) {
        if (mine !== generation) return;
        items.forEach(function (item, i) {
          var tier = result.tiers[from + i];
          if (from + i === 0 ? tier !== 1 || result.counts[1] + result.counts[2] : result.tiers[from + i - 1] !== tier) {
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

    // A value not (yet) among a select's options gets an option of its own until the list arrives.
    function setFields(state, keepQuery) {
      FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (!field || (keepQuery && name === "q")) return;
        field.value = state[name];
        if (field.tagName === "SELECT" && state[name] && field.value !== state[name]) {
          field.add(new Option(state[name], state[name]));
          field.value = state[name];
        }
      });
    }

    function nothingAsked(state) { return !state.q.trim() && !(state.year || state.bureau || state.region || state.level); }

    function run(state, typing) {
      var mine = ++generation;
      box.dataset.state = "loading";
      setFields(state, typing);
      if (state.bureau || state.region || state.level) fillNamed().then(function () { setFields(state, typing); });
      if (nothingAsked(state)) {
        list.replaceChildren(); hints.hidden = true; more.hidden = true;
        status.textContent = "请输入检索词，或选择筛选条件。";
        box.dataset.count = "0"; box.dataset.exact = "0"; box.dataset.shown = location.search; box.dataset.state = "done";
        return Promise.resolve();  // nothing is fetched until there is something to search
      }
      status.textContent = "正在检索“" + state.q.trim() + "”…";
      return GW.loadMeta().then(function (meta) {
        fillYears(meta);
        setFields(state, typing);
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
    Array.prototype.forEach.call(form.querySelectorAll("select"), function (s) { s.addEventListener("change", submit); });
    ["bureau", "region", "level"].forEach(function (name) {
      ["focus", "pointerdown"].forEach(function (type) { form.elements[name].addEventListener(type, fillNamed); });
    });
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
