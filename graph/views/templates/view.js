// statusgraph view: filters, search, side panel. Every text from the data is inserted
// with textContent; links are made only for http(s) URLs.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("sg-data").textContent);
  var container = document.getElementById("sg-network");
  var allNodes = new vis.DataSet(data.nodes);
  var allEdges = new vis.DataSet(data.edges);
  var records = data.records;
  var state = { types: {}, tech: "", from: "", to: "" };
  var visible = new Set();

  function byId(id) { return document.getElementById(id); }
  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function safeHref(u) {
    if (typeof u !== "string" || !u) return null;
    try {
      var url = new URL(u);
      return (url.protocol === "http:" || url.protocol === "https:") ? url.href : null;
    } catch (err) { return null; }
  }

  // ---- filters ------------------------------------------------------------------
  function claimOk(item) {  // a statement node or a compact claim edge
    if (state.tech && (item.techs || []).indexOf(state.tech) < 0) return false;
    if (state.to && item.valid_from && item.valid_from > state.to) return false;
    if (state.from && item.valid_to && item.valid_to <= state.from) return false;
    return true;
  }
  function nodeOk(n) {
    if (state.types[n.type] === false) return false;
    if (n.type === "Statement") return claimOk(n);
    if (n.type === "Source" && n.stmts && n.stmts.length && (state.tech || state.from || state.to)) {
      return n.stmts.some(function (s) { var m = allNodes.get(s); return m && claimOk(m); });
    }
    return true;
  }
  function computeVisible() {
    visible = new Set();
    allNodes.forEach(function (n) { if (nodeOk(n)) visible.add(n.id); });
  }
  function edgeOk(e) {
    if (!visible.has(e.from) || !visible.has(e.to)) return false;
    if (e.type === "CLAIM") return claimOk(e);
    return true;
  }
  computeVisible();
  var nodesView = new vis.DataView(allNodes, { filter: function (n) { return visible.has(n.id); } });
  var edgesView = new vis.DataView(allEdges, { filter: edgeOk });

  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, data.options);

  var view = window.statusgraphView = {
    network: network, nodes: nodesView, edges: edgesView, allNodes: allNodes, allEdges: allEdges,
    stable: false, stableAt: null, drawnAt: null, drawn: 0,
    counts: function () {
      return { nodes: network.body.nodeIndices.length, edges: network.body.edgeIndices.length };
    }
  };

  function updateCounts() {
    var c = view.counts();
    container.setAttribute("data-nodes", String(c.nodes));
    container.setAttribute("data-edges", String(c.edges));
    var total = data.total_nodes > data.nodes.length ? " (of " + data.total_nodes + ")" : "";
    byId("sg-counts").textContent = c.nodes + " nodes" + total + " · " + c.edges + " edges";
  }
  function refresh() {
    computeVisible();
    nodesView.refresh();
    edgesView.refresh();
    updateCounts();
  }
  view.refresh = refresh;

  document.querySelectorAll("#sg-types input[name=type]").forEach(function (box) {
    state.types[box.value] = box.checked;
    box.addEventListener("change", function () { state.types[box.value] = box.checked; refresh(); });
  });
  var tech = byId("sg-tech");
  if (tech) tech.addEventListener("change", function () { state.tech = tech.value; refresh(); });
  byId("sg-from").addEventListener("change", function (ev) { state.from = ev.target.value; refresh(); });
  byId("sg-to").addEventListener("change", function (ev) { state.to = ev.target.value; refresh(); });
  byId("sg-reset").addEventListener("click", function () {
    document.querySelectorAll("#sg-types input[name=type]").forEach(function (b) {
      b.checked = true; state.types[b.value] = true;
    });
    if (tech) tech.value = "";
    byId("sg-from").value = ""; byId("sg-to").value = "";
    state.tech = state.from = state.to = "";
    refresh();
  });

  // ---- physics and readiness ----------------------------------------------------
  var physics = byId("sg-physics");
  function finish() {
    if (view.stable) return;
    network.setOptions({ physics: { enabled: false } });
    physics.checked = false;
    view.stable = true;
    view.stableAt = performance.now();
    container.setAttribute("data-state", "stable");
    byId("sg-status").textContent = "";
    network.redraw();
  }
  network.on("stabilizationProgress", function (p) {
    byId("sg-status").textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  network.once("stabilizationIterationsDone", finish);
  network.once("stabilized", finish);
  network.on("afterDrawing", function () {
    view.drawn += 1;
    if (view.stable && view.drawnAt === null) {
      view.drawnAt = performance.now();
      container.setAttribute("data-drawn", "true");
    }
  });
  if (data.nodes.length === 0) finish();
  // bounded time: stop the layout where it is once the budget is spent
  setTimeout(function () { if (!view.stable) network.stopSimulation(); }, data.layout_budget_ms || 4000);
  physics.addEventListener("change", function () {
    network.setOptions({ physics: { enabled: physics.checked, stabilization: { enabled: false } } });
  });
  byId("sg-fit").addEventListener("click", function () { network.fit({ animation: false }); });
  updateCounts();

  // ---- search -------------------------------------------------------------------
  var search = byId("sg-search");
  function matches() {
    var q = search.value.trim().toLowerCase();
    if (!q) return [];
    return nodesView.getIds({ filter: function (n) { return (n.search || "").indexOf(q) >= 0; } });
  }
  search.addEventListener("input", function () {
    var found = matches();
    network.selectNodes(found, false);
    byId("sg-search-result").textContent = search.value.trim() ? found.length + " found" : "";
  });
  search.addEventListener("keydown", function (ev) {
    if (ev.key !== "Enter") return;
    var found = matches();
    if (!found.length) return;
    network.selectNodes(found, false);
    network.fit({ nodes: found, animation: false });
    if (found.length === 1) show(found[0]);
  });

  // ---- side panel ---------------------------------------------------------------
  var panel = byId("sg-panel");
  var body = byId("sg-panel-body");
  function renderRecord(rec, target, level) {
    target.appendChild(el(level === 0 ? "h2" : "h3", rec.heading));
    if (rec.fields && rec.fields.length) {
      var dl = el("dl");
      rec.fields.forEach(function (f) { dl.appendChild(el("dt", f[0])); dl.appendChild(el("dd", f[1])); });
      target.appendChild(dl);
    }
    if (rec.evidence) {
      target.appendChild(el("h3", rec.quote ? "Quote" : "Evidence (reported speech)"));
      target.appendChild(el(rec.quote ? "blockquote" : "p", rec.evidence, "evidence"));
    }
    if (rec.sources && rec.sources.length) {
      target.appendChild(el("h3", rec.sources.length === 1 ? "Source" : rec.sources.length + " sources"));
      var ul = el("ul", null, "sources");
      rec.sources.forEach(function (s) {
        var li = el("li");
        var href = safeHref(s.url);
        var title;
        if (href) {
          title = el("a", s.title);
          title.href = href; title.target = "_blank"; title.rel = "noopener noreferrer";
        } else {
          title = el("b", s.title);
        }
        li.appendChild(title);
        var meta = [s.publisher, s.published, s.kind, s.author].filter(Boolean).join(" · ");
        if (meta) li.appendChild(el("div", meta, "meta"));
        if (!href && s.url_text) li.appendChild(el("div", "URL (not a web link): " + s.url_text, "meta"));
        ul.appendChild(li);
      });
      target.appendChild(ul);
    }
    (rec.parts || []).forEach(function (p) {
      var sub = lookup(p);
      if (!sub) return;
      var part = el("div", null, "part");
      renderRecord(sub, part, 1);
      target.appendChild(part);
    });
  }
  function lookup(id) {  // records may refer to other records by id
    var rec = records[id];
    for (var i = 0; rec && rec.ref !== undefined && i < 5; i++) rec = records[rec.ref];
    return rec;
  }
  function show(id) {
    var rec = lookup(id);
    if (!rec) return;
    body.textContent = "";
    renderRecord(rec, body, 0);
    panel.hidden = false;
    panel.setAttribute("data-record", String(id));
  }
  view.show = show;
  network.on("click", function (p) {
    if (p.nodes.length) show(p.nodes[0]);
    else if (p.edges.length && lookup(p.edges[0])) show(p.edges[0]);
  });
  byId("sg-panel-close").addEventListener("click", function () { panel.hidden = true; });
})();
