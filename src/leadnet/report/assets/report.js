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

  /* Labels. Every id drawn at the overview's zoom (600 people: 5 pixels high) was a tangle. A label is
     drawn only where it can be read. Always, kept LEGIBLE_PX high on screen: the person under the
     pointer, the people selected (a search's matches, up to MAX_SELECTED_LABELS, or a click) and
     the people the report is about (informal leaders, boundary spanners) whose labels overlap none
     of a more sought-out one's. Everyone else's once zoomed in until it is that high: vis-network
     skips a label under its scaling.label.drawThreshold - 1 pixels and fades it in over the next. */
  var LABEL_PX = 12;
  var LEGIBLE_PX = 10;
  var MAX_SELECTED_LABELS = 50;
  var KEY_ROLES = ["informal leader", "boundary spanner"].map(function (name) {
    return data.roles.indexOf(name);
  }).filter(function (code) { return code >= 0; });
  var marked = { hovered: null, selected: [], key: [] };

  function keyPerson(id) {
    return data.nodes[id].roles.some(function (code) { return KEY_ROLES.indexOf(code) >= 0; });
  }

  function alwaysLabelled(id) {
    return id === marked.hovered || marked.selected.indexOf(id) >= 0 || marked.key.indexOf(id) >= 0;
  }

  function labelOptions(id, scale) {
    var always = alwaysLabelled(id);
    return { id: id, font: { size: always ? Math.max(LABEL_PX, (LEGIBLE_PX + 1) / scale) : LABEL_PX },
      scaling: { label: { drawThreshold: always ? 0 : LEGIBLE_PX + 1 } } };
  }

  function overlaps(a, b) { return a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]; }

  /* The key people drawn whose labels at ``scale``, under their dots, overlap no label of a key
     person drawn larger (more sought out), as the label's size and a digit's width estimate it. */
  function keyLabels(scale) {
    var size = Math.max(LABEL_PX, (LEGIBLE_PX + 1) / scale);
    var ids = nodes.getIds().filter(keyPerson);
    var at = network.getPositions(ids);
    var boxes = [];
    ids.sort(function (a, b) { return data.nodes[b].size - data.nodes[a].size || a - b; });
    return ids.filter(function (id) {
      var n = data.nodes[id];
      var half = n.label.length * size * 0.3 + 2 / scale;
      var box = [at[id].x - half, at[id].y + n.size, at[id].x + half, at[id].y + n.size + 1.3 * size];
      var free = !boxes.some(function (b) { return overlaps(box, b); });
      if (free) { boxes.push(box); }
      return free;
    });
  }

  function personNodes() {
    return data.nodes.filter(personVisible).map(function (n) {
      var node = outsideShape({ id: n.id, label: n.label, title: n.title, x: n.x, y: n.y, size: n.size,
        color: state.colourBy === "unit" ? unitColour(n.unit) : communityColour(n.community) },
        n.unit === outsideUnit);
      var label = labelOptions(n.id, 1);
      node.font = label.font;
      node.scaling = label.scaling;
      return node;
    });
  }

  /* Size the labels of ``ids`` (people, each once) for the zoom now shown. */
  function relabel(ids) {
    if (state.view !== "people") { return; }
    var scale = network.getScale();
    var seen = {};
    nodes.update(ids.filter(function (id) {
      var fresh = id !== null && !seen[id] && nodes.get(id) !== null;
      seen[id] = true;
      return fresh;
    }).map(function (id) { return labelOptions(id, scale); }));
  }

  /* After a zoom, a fit or a drag: which key people's labels fit, sized for the zoom. */
  function relabelAll() {
    if (state.view !== "people") { return; }
    var before = marked.key;
    marked.key = keyLabels(network.getScale());
    relabel(before.concat(marked.key, marked.selected, [marked.hovered]));
  }

  function markSelected(ids) {
    var before = marked.selected;
    marked.selected = ids.length <= MAX_SELECTED_LABELS ? ids.slice() : [];
    relabel(before.concat(marked.selected));
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
    nodes: { shape: "dot", font: { size: LABEL_PX, strokeWidth: 3, strokeColor: "#ffffff" }, borderWidth: 1 },
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
  network.on("zoom", function (params) {
    body.dataset.networkScale = String(params.scale);
    relabelAll();
  });
  network.on("hoverNode", function (params) {
    var before = marked.hovered;
    marked.hovered = params.node;
    relabel([before, params.node]);
  });
  network.on("blurNode", function (params) {
    marked.hovered = null;
    relabel([params.node]);
  });
  network.on("dragEnd", relabelAll);
  network.on("select", function (params) {
    if (state.view === "people") { markSelected(params.nodes); }
  });
  network.on("deselectNode", function (params) {
    if (state.view === "people") { markSelected(params.nodes); }
  });

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
    marked = { hovered: null, selected: [], key: [] };  /* drawn anew: no label kept from before */
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
    relabelAll();
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
      markSelected([]);
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
    if (state.view === "people") { markSelected(shown); }
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

  /* index.html#search=TEXT opens with TEXT searched; a fragment no URI decodes (a lone "%") is read as written. */
  function fragmentText(text) {
    try { return decodeURIComponent(text); } catch (malformed) { return text; }
  }
  var hash = window.location.hash;
  if (hash.indexOf("#search=") === 0) {
    state.query = fragmentText(hash.slice("#search=".length));
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
    relabelAll();
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
