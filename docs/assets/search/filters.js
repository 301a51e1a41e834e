/* Filters that scale with the archive: region as province → city → county choices, bureau as a
 * list filtered by typing (a datalist).  Their values come with filters.json, fetched the first
 * time a filter is used or opened.  The URL keeps one `region` (the most specific place chosen)
 * and one `bureau`.
 */
(function () {
  "use strict";
  var GW = window.gongwenSearch;
  var LEVELS = ["province", "city", "county"], ALL = { province: "全部省份", city: "全部市", county: "全部区县" };

  // The places under each place ("" = the top), from each report's province, city, county.
  function placeTree(filters) {
    var children = { "": [] }, parent = {};
    filters.region.forEach(function (numbers) {
      var chain = Array.from(new Set(numbers.map(function (n) { return filters.regions[n]; })));
      chain.forEach(function (name, depth) {
        var up = depth ? chain[depth - 1] : "";
        if (parent[name] === undefined) { parent[name] = up; (children[up] = children[up] || []).push(name); }
      });
    });
    Object.keys(children).forEach(function (k) { children[k].sort(); });
    return { children: children, parent: parent };
  }

  function chainOf(tree, name) {
    var chain = [];
    for (var at = name; at && tree.parent[at] !== undefined; at = tree.parent[at]) chain.unshift(at);
    return chain;
  }

  function fillSelect(select, values, label) {
    select.replaceChildren(new Option(label, ""));
    values.forEach(function (v) { select.add(new Option(v, v)); });
  }

  function FiltersUi(form, changed) {
    this.form = form; this.changed = changed; this.tree = null; this.loading = null;
    var self = this;
    LEVELS.forEach(function (level, depth) {
      form.elements[level].addEventListener("change", function () { self.pick(depth); });
    });
    form.elements.bureau.addEventListener("change", changed);
    ["focus", "pointerdown"].forEach(function (type) {
      LEVELS.concat(["bureau", "level"]).forEach(function (name) { form.elements[name].addEventListener(type, function () { self.load(); }); });
    });
  }

  // filters.json, once: the bureau list, the level list, the place tree.
  FiltersUi.prototype.load = function () {
    var self = this, form = this.form;
    if (!this.loading) {
      this.loading = GW.loadFilters().then(function (filters) {
        var list = document.getElementById(form.elements.bureau.getAttribute("list"));
        list.replaceChildren.apply(list, filters.bureaus.map(function (b) { return new Option(b); }));
        var level = form.elements.level.value;
        fillSelect(form.elements.level, filters.levels, "全部层级");
        form.elements.level.value = level;
        self.tree = placeTree(filters);
        self.showRegion(form.elements.region.value);
      });
    }
    return this.loading;
  };

  // The choices for a region value: its chain selected, the next level's places offered.
  FiltersUi.prototype.showRegion = function (value) {
    var form = this.form, chain = this.tree ? chainOf(this.tree, value) : (value ? [value] : []);
    form.elements.region.value = value;
    LEVELS.forEach(function (level, depth) {
      var select = form.elements[level], up = depth ? chain[depth - 1] : "";
      var options = this.tree ? (depth && !up ? [] : this.tree.children[up] || []) : (chain[depth] ? [chain[depth]] : []);
      fillSelect(select, options, ALL[level]);
      select.value = chain[depth] || "";
      select.hidden = depth > 0 && !options.length;
    }, this);
  };

  // A place chosen at `depth`: the region is it (or, with "all", the place above).
  FiltersUi.prototype.pick = function (depth) {
    var form = this.form, value = form.elements[LEVELS[depth]].value;
    if (!value && depth) value = form.elements[LEVELS[depth - 1]].value;
    this.showRegion(value);
    this.changed();
  };

  FiltersUi.prototype.set = function (state) {
    var form = this.form;
    form.elements.bureau.value = state.bureau;
    if (state.level && !Array.from(form.elements.level.options).some(function (o) { return o.value === state.level; })) {
      form.elements.level.add(new Option(state.level, state.level));
    }
    form.elements.level.value = state.level;
    this.showRegion(state.region);
    if (state.bureau || state.region || state.level) this.load();
  };

  GW.FiltersUi = FiltersUi; GW.fillSelect = fillSelect;
})();
