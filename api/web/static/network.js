// A network view in the browser (/network/<view>): fetches the view's GEXF (the address in the
// #network element's data-gexf, with the page's parameters), reads it with graphology-gexf and draws
// it with sigma.js (both vendored in vendor/network/network.min.js as window.ris3kgVendor).
// Positions, colours and sizes come from the file; a file without positions is laid out here.
// Everything from the data is inserted as text. When drawn, #network gets data-state="ready",
// data-nodes and data-edges, and window.ris3kgNetwork = {graph, renderer, select, show}.
"use strict";

(() => {
  const root = document.getElementById("network");
  const lib = window.ris3kgVendor;
  if (!root || !lib) return;
  const $ = (id) => document.getElementById(id);
  const counts = $("network-counts");
  const search = $("network-search");
  const panel = $("network-panel");
  const FADED = "#e2e5e8";
  const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  const DRAWN = new Set(["x", "y", "size", "color", "label", "kind", "passage", "type", "hidden", "highlighted", "forceLabel", "zIndex"]);

  // ------------------------------------------------------------------ the filter form

  const form = $("network-filters");
  if (form) {
    form.addEventListener("submit", (event) => {
      // The same query string as a plain GET, without the empty fields.
      event.preventDefault();
      const query = new URLSearchParams();
      for (const [name, value] of new FormData(form)) {
        if (String(value).trim()) query.append(name, String(value).trim());
      }
      const text = query.toString();
      window.location.assign(form.action + (text ? "?" + text : ""));
    });
  }

  // ------------------------------------------------------------------ loading

  function fail(message) {
    const box = $("network-error");
    box.textContent = message;
    box.hidden = false;
    counts.textContent = "";
    root.dataset.state = "error";
  }

  function errorMessage(response, body) {
    let message = body.trim();
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("html")) {
      // An error page: its message, read as text from an inert document (no script runs there).
      const page = new DOMParser().parseFromString(body, "text/html");
      message = (page.querySelector(".error") || page.body || page.documentElement).textContent.trim();
    } else if (type.includes("json")) {
      try {
        const data = JSON.parse(body);
        message = String(data.error || data.message || body);
      } catch (_) {
        // not JSON after all: the text as it is
      }
    }
    message = message.replace(/^Error \d+:\s*/, "").slice(0, 2000);
    return `The network could not be made (${response.status}${response.statusText ? " " + response.statusText : ""}): ${message}`;
  }

  async function load() {
    let response;
    let body;
    try {
      response = await fetch(root.dataset.gexf, { headers: { Accept: "application/gexf+xml, application/json;q=0.5, text/plain;q=0.4" } });
      body = await response.text();
    } catch (error) {
      fail(`The network could not be fetched: ${error.message}`);
      return;
    }
    if (!response.ok) {
      fail(errorMessage(response, body));
      return;
    }
    let graph;
    try {
      graph = lib.parseGexf(lib.Graph, body, { addMissingNodes: true, allowUndeclaredAttributes: true });
    } catch (error) {
      fail(`The network could not be read: ${error.message}`);
      return;
    }
    draw(graph);
  }

  // ------------------------------------------------------------------ preparing the graph

  function prepare(graph) {
    let positioned = graph.order > 0;
    const sizes = [];
    const kinds = new Map();
    graph.forEachNode((node, attrs) => {
      if ("type" in attrs) graph.removeNodeAttribute(node, "type"); // sigma's program name, not data
      if (!Number.isFinite(attrs.x) || !Number.isFinite(attrs.y)) positioned = false;
      if (!attrs.label) graph.setNodeAttribute(node, "label", node);
      sizes.push(Number.isFinite(attrs.size) ? attrs.size : 1 + Math.sqrt(graph.degree(node)));
      if (!attrs.color) {
        const kind = String(attrs.kind || "node");
        if (!kinds.has(kind)) kinds.set(kind, PALETTE[kinds.size % PALETTE.length]);
        graph.setNodeAttribute(node, "color", kinds.get(kind));
      }
    });
    // Sizes in pixels, 3 to 16, in the file's proportions.
    let low = Infinity;
    let high = -Infinity;
    for (const value of sizes) {  // not Math.min(...sizes): too many arguments past ~100k nodes
      if (value < low) low = value;
      if (value > high) high = value;
    }
    let i = 0;
    graph.forEachNode((node) => {
      const share = high > low ? (sizes[i] - low) / (high - low) : 0.3;
      graph.setNodeAttribute(node, "size", 3 + 13 * share);
      i += 1;
    });
    graph.forEachEdge((edge, attrs) => {
      if ("type" in attrs) graph.removeEdgeAttribute(edge, "type");
      graph.setEdgeAttribute(edge, "color", "#c9cfd6");
      graph.setEdgeAttribute(edge, "size", Number.isFinite(attrs.weight) && attrs.weight > 0 ? Math.min(4, 0.5 + Math.log1p(attrs.weight)) : 1);
    });
    if (!positioned && graph.order > 0) {
      // No positions in the file: a circle, loosened by a few iterations of ForceAtlas2.
      lib.circular.assign(graph);
      lib.forceAtlas2.assign(graph, { iterations: 150, settings: lib.forceAtlas2.inferSettings(graph) });
    }
    root.dataset.layout = positioned ? "file" : "browser";
  }

  // ------------------------------------------------------------------ drawing

  function draw(graph) {
    prepare(graph);
    const state = { hovered: null, selected: null, neighbours: new Set() };
    const focus = () => state.hovered || state.selected;
    const renderer = new lib.Sigma(graph, $("network-canvas"), {
      defaultEdgeType: graph.type === "directed" ? "arrow" : "line",
      labelRenderedSizeThreshold: 9,
      zIndex: true,
      nodeReducer(node, data) {
        const centre = focus();
        if (!centre) return data;
        if (node === centre) return { ...data, highlighted: true, forceLabel: true, zIndex: 2 };
        if (state.neighbours.has(node)) return { ...data, forceLabel: true, zIndex: 1 };
        return { ...data, color: FADED, label: "", zIndex: 0 };
      },
      edgeReducer(edge, data) {
        const centre = focus();
        if (!centre || graph.hasExtremity(edge, centre)) return data;
        return { ...data, hidden: true };
      },
    });

    function setFocus() {
      const centre = focus();
      state.neighbours = new Set(centre ? graph.neighbors(centre) : []);
      if (centre) showPanel(centre);
      else panel.hidden = true;
      renderer.refresh({ skipIndexation: true });
    }

    function showPanel(node) {
      const attrs = graph.getNodeAttributes(node);
      $("network-panel-label").textContent = attrs.label;
      $("network-panel-kind").textContent = attrs.kind ? String(attrs.kind).replace(/_/g, " ") : "";
      const list = $("network-panel-attributes");
      list.replaceChildren();
      const shown = { ...attrs };
      if (!("degree" in shown)) shown.degree = graph.degree(node);
      for (const [name, value] of Object.entries(shown)) {
        if (DRAWN.has(name) || value === null || value === undefined || value === "") continue;
        if (Array.isArray(value) && !value.length) continue;
        const term = document.createElement("dt");
        term.textContent = name.replace(/_/g, " ");
        const detail = document.createElement("dd");
        detail.textContent = Array.isArray(value) ? value.join(", ") : String(value);
        list.append(term, detail);
      }
      const passage = $("network-panel-passage");
      passage.textContent = attrs.passage ? String(attrs.passage) : "";
      passage.hidden = !attrs.passage;
      panel.dataset.node = node;
      panel.hidden = false;
    }

    function show(node) {
      state.hovered = node && graph.hasNode(node) ? node : null;
      setFocus();
    }

    function select(node) {
      if (!graph.hasNode(node)) return false;
      state.selected = node;
      root.dataset.selected = node;
      setFocus();
      const position = renderer.getNodeDisplayData(node);
      renderer.getCamera().animate({ x: position.x, y: position.y, ratio: 0.35 }, { duration: 400 });
      return true;
    }

    renderer.on("enterNode", ({ node }) => show(node));
    renderer.on("leaveNode", () => show(null));
    renderer.on("clickNode", ({ node }) => select(node));
    renderer.on("clickStage", () => {
      state.selected = null;
      delete root.dataset.selected;
      setFocus();
    });

    // Zoom: the wheel (sigma's own) and the buttons.
    const camera = renderer.getCamera();
    $("network-zoom-in").addEventListener("click", () => camera.animatedZoom({ duration: 250 }));
    $("network-zoom-out").addEventListener("click", () => camera.animatedUnzoom({ duration: 250 }));
    $("network-zoom-reset").addEventListener("click", () => camera.animatedReset({ duration: 250 }));

    // Search by label: the labels as suggestions; a chosen one (or the first that contains the text) is selected.
    const byLabel = new Map();
    graph.forEachNode((node, attrs) => {
      const key = String(attrs.label).toLowerCase();
      if (!byLabel.has(key)) byLabel.set(key, node);
    });
    const labels = [...new Set(graph.mapNodes((node, attrs) => String(attrs.label)))].sort((a, b) => a.localeCompare(b));
    $("network-labels").replaceChildren(
      ...labels.map((label) => {
        const option = document.createElement("option");
        option.value = label;
        return option;
      }),
    );
    function find(text) {
      const wanted = text.trim().toLowerCase();
      if (!wanted) return null;
      if (byLabel.has(wanted)) return byLabel.get(wanted);
      for (const [label, node] of byLabel) if (label.includes(wanted)) return node;
      return null;
    }
    function searchNow() {
      const node = find(search.value);
      search.setCustomValidity(node || !search.value.trim() ? "" : "no node has this label");
      if (node) select(node);
    }
    search.addEventListener("change", searchNow);
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        searchNow();
      }
    });
    search.disabled = false;

    legend(graph);
    const nodes = graph.order;
    const edges = graph.size;
    counts.textContent = `${nodes} node${nodes === 1 ? "" : "s"} · ${edges} edge${edges === 1 ? "" : "s"}`;
    if (!nodes) counts.textContent += " (nothing matches these filters)";
    root.dataset.nodes = String(nodes);
    root.dataset.edges = String(edges);
    root.dataset.state = "ready";
    window.ris3kgNetwork = { graph, renderer, select, show, find };
  }

  // ------------------------------------------------------------------ the legend

  function legend(graph) {
    // One entry per colour group (the file's colour_group, else the node's kind), in its most common colour.
    const groups = new Map();
    graph.forEachNode((node, attrs) => {
      const name = String(attrs.colour_group ?? attrs.kind ?? "node") || "(none)";
      if (!groups.has(name)) groups.set(name, { count: 0, colours: new Map() });
      const group = groups.get(name);
      group.count += 1;
      group.colours.set(attrs.color, (group.colours.get(attrs.color) || 0) + 1);
    });
    const items = [...groups].sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
    $("network-legend").replaceChildren(
      ...items.map(([name, group]) => {
        const colour = [...group.colours].sort((a, b) => b[1] - a[1])[0][0];
        const item = document.createElement("li");
        item.dataset.group = name;
        const swatch = document.createElement("span");
        swatch.className = "swatch";
        swatch.style.backgroundColor = colour; // CSSOM, which the policy allows (no style= attribute)
        const label = document.createElement("span");
        label.textContent = name.replace(/_/g, " ");
        const count = document.createElement("small");
        count.textContent = ` ${group.count}`;
        item.append(swatch, label, count);
        return item;
      }),
    );
    // The file's description, less the view's own (the page's lead), says how it was drawn.
    const description = String(graph.getAttribute("description") || "").trim();
    const lead = (document.querySelector(".network-page .lead") || { textContent: "" }).textContent.trim();
    $("network-legend-note").textContent = lead && description.startsWith(lead) ? description.slice(lead.length).trim() : description;
    root.dataset.legend = items.map(([name]) => name).join("|");
  }

  load();
})();
