/* leadnet report: network view. Reads the JSON graph data, never writes HTML (text only). */
(function () {
  "use strict";
  var body = document.body;
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd", "#e6550d",
    "#31a354", "#756bb1", "#636363"];
  var state = { view: data.view, colourBy: "unit", unit: "", role: "", query: "" };
  var el = {
    container: document.getElementById("network"),
    unit: document.getElementById("filter-unit"),
    role: document.getElementById("filter-role"),
    colour: document.getElementById("colour-by"),
    search: document.getElementById("search"),
    count: document.getElementById("search-count"),
    status: document.getElementById("network-status"),
    legend: document.getElementById("legend")
  };

  function colour(i) { return i < 0 ? "#bbbbbb" : PALETTE[i % PALETTE.length]; }

  /* The pooled outside world (external = "pool") is no unit and in no community: one light grey,
     a diamond, in either colouring, so it does not read as a unit of one person. */
  var OUTSIDE_COLOUR = "#d9d9d9";
  var outsideUnit = typeof data.outsideUnit === "number" ? data.outsideUnit : -1;
  var outsideCommunity = typeof data.outsideCommunity === "number" ? data.outsideCommunity : -1;
  function unitColour(i) { return i >= 0 && i === outsideUnit ? OUTSIDE_COLOUR : colour(i); }
  function communityColour(i) { return i >= 0 && i === outsideCommunity ? OUTSIDE_COLOUR : colour(i); }
  function outsideShape(node, outside) {
    if (outside) { node.shape = "diamond"; }
    return node;
  }
  function isOutside(n) { return outsideUnit >= 0 && data.nodes[n.id].unit === outsideUnit; }

  function option(select, value, text) {
    var o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    select.appendChild(o);
  }

  function fillFilters() {
    data.units.forEach(function (name, i) { option(el.unit, String(i), name); });
    data.roles.forEach(function (name, i) { option(el.role, String(i), name); });
  }

  function personVisible(n) {
    if (state.unit !== "" && n.unit !== Number(state.unit)) { return false; }
    if (state.role !== "" && n.roles.indexOf(Number(state.role)) < 0) { return false; }
    return true;
  }

  function personNodes() {
    return data.nodes.filter(personVisible).map(function (n) {
      return outsideShape({ id: n.id, label: n.label, title: n.title, x: n.x, y: n.y, size: n.size,
        color: state.colourBy === "unit" ? unitColour(n.unit) : communityColour(n.community) },
        n.unit === outsideUnit);
    });
  }

  function unitNodes() {
    return data.unitGraph.nodes.map(function (n) {
      return outsideShape({ id: n.id, label: n.label, title: n.title, x: n.x, y: n.y, size: n.size,
        color: unitColour(n.id) }, n.id === outsideUnit);
    });
  }

  function edgesFor(ids) {
    var shown = {};
    ids.forEach(function (id) { shown[id] = true; });
    return data.edges.filter(function (e) { return shown[e.from] && shown[e.to]; }).map(function (e, i) {
      return { id: i, from: e.from, to: e.to, value: e.value };
    });
  }

  var nodes = new vis.DataSet([]);
  var edges = new vis.DataSet([]);
  var network = new vis.Network(el.container, { nodes: nodes, edges: edges }, {
    physics: false,
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, hideEdgesOnDrag: true,
      keyboard: { enabled: true, bindToWindow: false } },
    nodes: { shape: "dot", font: { size: 12 }, borderWidth: 1 },
    edges: { arrows: { to: { enabled: true, scaleFactor: 0.4 } }, color: { color: "#8899aa", opacity: 0.45 },
      smooth: false, scaling: { min: 1, max: 6 } }
  });

  /* Keyboard access: vis-network draws into a focusable frame and, with keyboard enabled, pans
     with the arrow keys and zooms in with = (without Shift, so not +) or Page Up and out with -
     or Page Down while that frame has focus. Name it for screen readers; the status line below
     the canvas says what is drawn. */
  (function labelCanvas() {
    var frame = el.container.querySelector(".vis-network");
    if (!frame) { return; }
    frame.tabIndex = 0;
    frame.setAttribute("role", "application");
    frame.setAttribute("aria-label", "Network drawing: arrow keys pan, = or Page Up zooms in, " +
      "- or Page Down zooms out. " +
      "Pick a unit or role above to filter it; the tables above hold the same figures.");
    frame.setAttribute("aria-describedby", "network-status");
  }());
  network.on("zoom", function (params) { body.dataset.networkScale = String(params.scale); });

  function legend() {
    while (el.legend.firstChild) { el.legend.removeChild(el.legend.firstChild); }
    var byUnit = state.colourBy === "unit" || state.view === "units";
    var names = byUnit ? data.units : data.communities;
    names.slice(0, 40).forEach(function (name, i) {
      var item = document.createElement("span");
      var swatch = document.createElement("span");
      swatch.className = "swatch";
      swatch.style.background = byUnit ? unitColour(i) : communityColour(i);
      item.appendChild(swatch);
      item.appendChild(document.createTextNode(name));
      el.legend.appendChild(item);
    });
  }

  /* A count with thousands separators, as the report's own text writes them (2,752). */
  function grouped(n) {
    return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  }

  /* A count and its noun, by the report's one rule (numbers.counted in Python): the singular for
     exactly 1, else the plural, the count with thousands separators ("1 person", "2,100 matches"). */
  function counted(n, one, many) {
    return grouped(n) + " " + (n === 1 ? one : many);
  }

  /* What the people view shows, in words. The people of a unit whose figures are suppressed
     (under k, or the next smallest) are drawn, but their count is not stated. The pooled outside
     world is drawn too, but is no person. */
  function peopleStatus(list, drawn) {
    var outside = list.some(isOutside);
    var shown = list.length - (outside ? 1 : 0);
    var hidden = (data.hiddenUnits || []).indexOf(Number(state.unit)) >= 0 && state.unit !== "";
    if (hidden) {
      return "The people of a unit whose figures are suppressed (under " + data.k +
        " people, or the next smallest): counts are not shown.";
    }
    return counted(shown, "person", "people") + (outside ? " and the pooled outside world" : "") +
      " shown; " + grouped(drawn) + " of " + counted(data.ties.total, "tie", "ties") +
      " drawn (each person's strongest " + data.ties.perPerson + ").";
  }

  /* The unit overview in words, as the report's Python counts units (drawn.overview_words): the
     roster's units only, the people of no unit and the pooled outside world named apart. */
  function unitsStatus() {
    return data.unitsWords;
  }

  function draw() {
    var list;
    var edgeList;
    if (state.view === "units") {
      list = unitNodes();
      edgeList = data.unitGraph.edges.map(function (e, i) {
        return { id: i, from: e.from, to: e.to, value: e.value, title: e.title };
      });
    } else {
      list = personNodes();
      edgeList = edgesFor(list.map(function (n) { return n.id; }));
    }
    nodes.clear();
    edges.clear();
    nodes.add(list);
    edges.add(edgeList);
    network.fit({ animation: false });
    el.status.textContent = (data.note ? data.note + " " : "") + (state.view === "units"
      ? unitsStatus() + " (all ties between them counted). Double-click a unit, or pick it above, to see its people."
      : peopleStatus(list, edgeList.length));
    body.dataset.view = state.view;
    legend();
    search();
  }

  function search() {
    var q = state.query.trim().toLowerCase();
    if (!q) {
      el.count.textContent = "";
      body.dataset.searchCount = "";
      network.unselectAll();
      return;
    }
    var found = data.nodes.filter(function (n) { return n.label.toLowerCase().indexOf(q) >= 0; });
    el.count.textContent = counted(found.length, "match", "matches");
    body.dataset.searchCount = String(found.length);
    if (found.length === 1 && state.view === "units") {
      state.view = "people";
      state.unit = String(found[0].unit);
      el.unit.value = state.unit;
      draw();
      return;
    }
    /* In the unit overview, the units the matches are in (each once); else the matches drawn. */
    var seen = {};
    var shown = [];
    found.forEach(function (n) {
      var id = state.view === "units" ? n.unit : n.id;
      if (!seen[id] && nodes.get(id) !== null) { seen[id] = true; shown.push(id); }
    });
    network.selectNodes(shown);
  }

  /* The unit overview of a large organisation is left for its people only while a unit or a
     role is picked: with neither, the people view would draw everyone. */
  function onFilter() {
    state.unit = el.unit.value;
    state.role = el.role.value;
    state.view = state.unit === "" && state.role === "" && data.view === "units" ? "units" : "people";
    draw();
  }

  fillFilters();
  el.unit.addEventListener("change", onFilter);
  el.role.addEventListener("change", onFilter);
  el.colour.addEventListener("change", function () { state.colourBy = el.colour.value; draw(); });
  el.search.addEventListener("input", function () { state.query = el.search.value; search(); });
  network.on("doubleClick", function (params) {
    if (state.view === "units" && params.nodes.length === 1) {
      el.unit.value = String(params.nodes[0]);
      onFilter();
    }
  });
  network.once("afterDrawing", function () {
    body.dataset.readyMs = String(Math.round(window.performance.now()));
    body.dataset.networkReady = "1";
  });

  var hash = window.location.hash;
  if (hash.indexOf("#search=") === 0) {
    state.query = decodeURIComponent(hash.slice("#search=".length));
    el.search.value = state.query;
  }
  draw();
  network.redraw();
  /* index.html#network opens the network view alone, filling the window (a link to share, a screenshot). */
  function networkOnly() {
    var only = window.location.hash === "#network";
    if (body.classList.contains("network-only") === only) { return; }
    body.classList.toggle("network-only", only);
    network.redraw();
    network.fit({ animation: false });
    window.scrollTo(0, 0);
  }
  networkOnly();
  window.addEventListener("hashchange", networkOnly);
  window.addEventListener("load", function () {  /* after the browser's own jump to the #network box */
    window.setTimeout(function () {
      if (body.classList.contains("network-only")) { window.scrollTo(0, 0); }
    }, 0);
  });
  body.dataset.xss = String(!!window.__xss);
  window.addEventListener("load", function () { body.dataset.xss = String(!!window.__xss); });
}());
