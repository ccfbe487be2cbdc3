// Progressive enhancement of the query page: run queries without reloading the page. Without
// JavaScript the form and the example links still work, rendered on the server.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const results = document.getElementById("results");
  const endpoint = form.getAttribute("data-endpoint") || "/sparql";
  const prefixes = readPrefixes();

  // The prefixes come as JSON in the form's data-prefixes attribute: the page has no inline script
  // (its Content-Security-Policy allows scripts from the server's own files only).
  function readPrefixes() {
    try {
      const value = JSON.parse(form.getAttribute("data-prefixes") || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (err) {
      return {};
    }
  }

  function shortIri(iri) {
    let best = null;
    for (const [prefix, ns] of Object.entries(prefixes)) {
      if (iri.startsWith(ns) && iri.length > ns.length && (!best || ns.length > best[1].length)) best = [prefix, ns];
    }
    return best ? best[0] + ":" + iri.slice(best[1].length) : iri;
  }

  // Where an IRI links to, or null when it must not be a link: the same rule as link_for in
  // api/web/pages.py. ris3kg IRIs link to this server's pages, NUTS code IRIs with a well-formed
  // code (REGION_CODE in graph/linked_data/region.py) to the region's page; other IRIs only when
  // they are http or https addresses, so that a javascript:, data: or vbscript: IRI in a result is
  // shown as text.
  function linkFor(iri) {
    const id = "https://w3id.org/ris3kg/id/";
    const onto = "https://w3id.org/ris3kg/ontology#";
    const nuts = "http://data.europa.eu/nuts/code/";
    if (iri.startsWith(id)) return "/id/" + iri.slice(id.length).split("/").map(encodeURIComponent).join("/");
    if (iri.startsWith(onto)) return "/ontology#" + iri.slice(onto.length);
    if (iri.startsWith(nuts) && /^[A-Z]{2}[0-9A-Z]{0,3}$/.test(iri.slice(nuts.length))) {
      return "/region/" + iri.slice(nuts.length);
    }
    if (!/^https?:/i.test(iri)) return null;
    let url;
    try {
      url = new URL(iri);
    } catch (err) {
      return null;
    }
    return url.protocol === "http:" || url.protocol === "https:" ? iri : null;
  }

  function cell(term) {
    const td = document.createElement("td");
    if (!term) return td;
    if (term.type === "uri") {
      const href = linkFor(term.value);
      const a = document.createElement(href === null ? "span" : "a");
      if (href === null) a.className = "iri-text";
      else a.href = href;
      a.title = term.value;
      a.textContent = shortIri(term.value);
      td.appendChild(a);
    } else if (term.type === "bnode") {
      td.textContent = "_:" + term.value;
      td.className = "bnode";
    } else {
      td.appendChild(document.createTextNode(term.value));
      if (term["xml:lang"]) {
        const sup = document.createElement("sup");
        sup.className = "lang";
        sup.textContent = term["xml:lang"];
        td.appendChild(sup);
      }
    }
    return td;
  }

  function showMessage(className, text, strong) {
    results.replaceChildren();
    const p = document.createElement("p");
    p.className = className;
    p.textContent = text;
    if (strong !== undefined) {
      const s = document.createElement("strong");
      s.textContent = strong;
      p.appendChild(s);
    }
    results.appendChild(p);
  }

  function showError(message) {
    results.replaceChildren();
    const p = document.createElement("p");
    p.className = "error";
    p.id = "error";
    p.textContent = message;
    results.appendChild(p);
  }

  function showTable(variables, rows) {
    results.replaceChildren();
    const count = document.createElement("p");
    count.className = "count";
    count.textContent = rows.length + (rows.length === 1 ? " row" : " rows");
    results.appendChild(count);
    const table = document.createElement("table");
    table.className = "results";
    const head = table.createTHead().insertRow();
    for (const v of variables) {
      const th = document.createElement("th");
      th.textContent = v;
      head.appendChild(th);
    }
    const body = table.createTBody();
    for (const row of rows) {
      const tr = body.insertRow();
      for (const term of row) tr.appendChild(cell(term));
    }
    results.appendChild(table);
  }

  async function run(event) {
    if (event) event.preventDefault();
    showMessage("count", "Running…");
    const body = new URLSearchParams({ query: textarea.value });
    let response;
    try {
      response = await fetch(endpoint, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/sparql-results+json, application/n-triples;q=0.9" },
        body: body,
      });
    } catch (err) {
      showError("The endpoint could not be reached: " + err);
      return;
    }
    const text = await response.text();
    if (!response.ok) { showError(text.trim()); return; }
    const type = response.headers.get("Content-Type") || "";
    if (type.includes("json")) {
      const data = JSON.parse(text);
      if ("boolean" in data) { showMessage("boolean", "ASK: ", data.boolean ? "true" : "false"); return; }
      const vars = data.head.vars;
      showTable(vars, data.results.bindings.map((b) => vars.map((v) => b[v])));
    } else {
      const rows = text.split("\n").filter((l) => l.trim()).map((l) => [{ type: "literal", value: l }]);
      showTable(["triple"], rows);
    }
    updateDownloads();
  }

  function updateDownloads() {
    for (const a of document.querySelectorAll("a.download")) {
      a.href = endpoint + "?" + new URLSearchParams({ query: textarea.value, format: a.dataset.format });
    }
    for (const a of document.querySelectorAll("a.network-export")) {
      a.href = a.dataset.base + "?" + new URLSearchParams({ query: textarea.value });
    }
  }

  form.addEventListener("submit", run);
  textarea.addEventListener("input", updateDownloads);
  for (const a of document.querySelectorAll("#examples a[data-key]")) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      const source = document.querySelector("textarea.example-text[data-key='" + a.dataset.key + "']");
      textarea.value = source.value;
      for (const li of document.querySelectorAll("#examples li")) li.classList.remove("chosen");
      a.parentElement.classList.add("chosen");
      run();
    });
  }
})();
