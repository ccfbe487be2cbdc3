// The query page's SPARQL editor: YASGUI (vendored in static/vendor/yasgui/), mounted over the
// server-side form. Without JavaScript, or if YASGUI did not load, the form, the example links and
// the results table still work, rendered on the server.
//
// Nothing here asks another host: YASGUI's Linked Open Vocabularies completers and its prefix.cc
// lookup are replaced by completers that read this server's ontology (/ontology/terms.json) and
// prefixes (the form's data-prefixes), and the only endpoint is this server's /sparql.
(function () {
  "use strict";
  const form = document.getElementById("query-form");
  const textarea = document.getElementById("query");
  const mount = document.getElementById("yasgui");
  const serverResults = document.getElementById("results");
  const Yasgui = window.Yasgui;
  if (!form || !textarea || !mount || typeof Yasgui !== "function") return; // the form works as it is
  const Yasqe = Yasgui.Yasqe;
  const Yasr = Yasgui.Yasr;
  const endpoint = new URL(form.getAttribute("data-endpoint") || "/sparql", window.location.href).href;
  const pagePath = form.getAttribute("action") || "/";
  const prefixes = readJson(form.getAttribute("data-prefixes"));
  const terms = { classes: [], properties: [], labels: new Map() };

  // The prefixes come as JSON in the form's data-prefixes attribute: the page has no inline script
  // (its Content-Security-Policy allows scripts from the server's own files only).
  function readJson(text) {
    try {
      const value = JSON.parse(text || "{}");
      return value && typeof value === "object" ? value : {};
    } catch (err) {
      return {};
    }
  }

  function shortIri(iri, extra) {
    let best = null;
    for (const table of [extra || {}, prefixes]) {
      for (const [prefix, ns] of Object.entries(table)) {
        if (typeof ns !== "string" || !iri.startsWith(ns) || iri.length <= ns.length) continue;
        if (!best || ns.length > best[1].length) best = [prefix, ns];
      }
      if (best) break;
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

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
  }

  // ----------------------------------------------------------------------------- results table

  // YASR's table, with IRIs linked by linkFor: this server's pages in the same window, other web
  // addresses in a new one, anything else (javascript:, data:, urn: ...) as text. YASR's table is
  // sortable and filterable; its cells are HTML strings, so every value is escaped here.
  const BaseTable = Yasr.plugins.table;
  class LocalTable extends BaseTable {
    getUriLinkFromBinding(binding, queryPrefixes) {
      const iri = String(binding.value);
      const text = escapeHtml(shortIri(iri, queryPrefixes));
      const title = escapeHtml(iri);
      const href = linkFor(iri);
      if (href === null) return `<span class="iri-text" title="${title}">${text}</span>`;
      const local = href.startsWith("/");
      const target = local ? "" : ' target="_blank" rel="noopener noreferrer"';
      return `<a class="iri" href="${escapeHtml(href)}" title="${title}"${target}>${text}</a>`;
    }
  }
  Yasr.registerPlugin("table", LocalTable);

  // ----------------------------------------------------------------------------- completion

  function knownPrefixUri(token) {
    const colon = token.string.indexOf(":");
    if (token.string.indexOf("<") >= 0 || colon < 0) return null;
    const ns = prefixes[token.string.slice(0, colon)];
    return typeof ns === "string" ? ns : null;
  }

  // An IRI completer (class or property) over this server's ontology, in place of YASGUI's LOV one:
  // the same valid positions, the token expanded with the query's prefixes or, not yet declared
  // there, the house prefixes (YASQE's prefix completer then declares the prefix).
  function ontologyCompleter(name, list) {
    const original = Yasqe.Autocompleters[name] || {};
    return {
      name: name,
      bulk: false,
      autoShow: true,
      persistenceId: null,
      isValidCompletionPosition: original.isValidCompletionPosition,
      preProcessToken: function (yasqe, token) {
        const processed = original.preProcessToken ? original.preProcessToken(yasqe, token) : token;
        if (!processed.tokenPrefixUri) {
          const ns = knownPrefixUri(processed);
          if (ns !== null) {
            processed.tokenPrefixUri = ns;
            processed.autocompletionString = ns + processed.string.slice(processed.string.indexOf(":") + 1).trim();
          }
        }
        return processed;
      },
      get: function (yasqe, token) {
        const typed = ((token && token.autocompletionString) || "").toLowerCase();
        if (!typed) return [];
        const iris = list().map((term) => term.iri);
        const starts = iris.filter((iri) => iri.toLowerCase().startsWith(typed));
        return starts.slice(0, 100);
      },
      postProcessSuggestion: function (yasqe, token, suggestion) {
        if (token.tokenPrefix && token.tokenPrefixUri && suggestion.startsWith(token.tokenPrefixUri)) {
          return token.tokenPrefix + suggestion.slice(token.tokenPrefixUri.length);
        }
        return "<" + suggestion + ">";
      },
      postprocessHints: function (yasqe, hints) {
        for (const hint of hints) {
          const label = terms.labels.get(hint.text.replace(/^<|>$/g, "")) || terms.labels.get(hint.text);
          if (label) hint.displayText = hint.text + "  (" + label + ")";
        }
        return hints;
      },
    };
  }

  // The prefixes completer with the house prefixes instead of prefix.cc's (or YASQE's bundled list).
  Yasqe.registerAutocompleter(
    Object.assign({}, Yasqe.Autocompleters.prefixes, {
      persistenceId: null,
      get: function () {
        return Object.entries(prefixes)
          .map(([prefix, ns]) => prefix + ": <" + ns + ">")
          .sort();
      },
    }),
  );
  Yasqe.registerAutocompleter(ontologyCompleter("class", () => terms.classes));
  Yasqe.registerAutocompleter(ontologyCompleter("property", () => terms.properties));

  const termsUrl = form.getAttribute("data-terms");
  if (termsUrl) {
    fetch(termsUrl, { headers: { Accept: "application/json" } })
      .then((response) => (response.ok ? response.json() : { classes: [], properties: [] }))
      .then((data) => {
        terms.classes = Array.isArray(data.classes) ? data.classes : [];
        terms.properties = Array.isArray(data.properties) ? data.properties : [];
        for (const term of [...terms.classes, ...terms.properties]) {
          terms.labels.set(term.iri, term.label);
          terms.labels.set(term.name, term.label);
        }
        mount.setAttribute("data-terms-loaded", String(terms.classes.length + terms.properties.length));
      })
      .catch(() => {});
  }

  // ----------------------------------------------------------------------------- the editor

  function shareUrl(query) {
    return pagePath + "?" + new URLSearchParams({ query: query, run: "1" });
  }

  // YASGUI's share button gives the same link as the address bar: the page with ?query=...&run=1,
  // which the server answers too (without JavaScript, as a table).
  Yasgui.Tab.prototype.getShareableLink = function () {
    return new URL(shareUrl(this.getQuery()), window.location.href).href;
  };

  const initial = textarea.value;
  const yasgui = new Yasgui(mount, {
    populateFromUrl: false, // this script reads the address (?query=, ?example=)
    copyEndpointOnNewTab: false,
    tabName: "Query",
    requestConfig: {
      endpoint: endpoint,
      method: "POST",
      acceptHeaderSelect: "application/sparql-results+json",
      acceptHeaderGraph: "text/turtle,application/n-triples;q=0.9",
    },
    endpointCatalogueOptions: { getData: () => [{ endpoint: endpoint }], keys: [] },
    yasqe: { value: initial, prefixCcApi: null, editorHeight: "300px" },
    yasr: { pluginOrder: ["table", "response"], defaultPlugin: "table" },
  });
  mount.hidden = false;
  form.classList.add("has-editor");
  textarea.hidden = true;
  if (serverResults) serverResults.hidden = true;

  function updateLinks(query) {
    textarea.value = query;
    for (const a of document.querySelectorAll("a.download")) {
      a.href = endpoint.replace(window.location.origin, "") + "?" + new URLSearchParams({ query: query, format: a.dataset.format });
    }
    for (const a of document.querySelectorAll("a.network-export")) {
      a.href = a.dataset.base + "?" + new URLSearchParams({ query: query });
    }
  }

  const bound = new WeakSet();
  function bindTab() {
    const tab = yasgui.getTab();
    if (!tab) return;
    const yasqe = tab.getYasqe();
    updateLinks(queryOf(tab));
    if (yasqe && !bound.has(yasqe)) {
      bound.add(yasqe);
      yasqe.on("change", () => {
        if (yasgui.getTab() === tab) updateLinks(tab.getQuery());
      });
    }
  }

  yasgui.on("tabSelect", () => window.setTimeout(bindTab, 0));
  yasgui.on("tabAdd", () => window.setTimeout(bindTab, 0));
  yasgui.on("queryResponse", (instance, tab) => {
    if (tab !== yasgui.getTab()) return;
    window.history.replaceState(null, "", shareUrl(tab.getQuery()));
    mount.setAttribute("data-ran", String(Number(mount.getAttribute("data-ran") || "0") + 1));
  });

  const exampleTexts = new Map();
  for (const source of document.querySelectorAll("textarea.example-text[data-key]")) {
    exampleTexts.set(source.dataset.key, source.value);
  }
  const known = new Set(exampleTexts.values());

  // A tab for a query: the current one when it holds nothing of the user's own (empty, or an
  // example as it was), a tab that holds the same query, or a new one.
  function queryOf(tab) {
    // A tab not shown yet has no editor: its query is in its stored configuration.
    return tab.getYasqe() ? tab.getQuery() : tab.getPersistedJson().yasqe.value || "";
  }

  function tabFor(query, name) {
    const current = yasgui.getTab();
    for (const id of yasgui.persistentConfig.getTabs()) {
      const tab = yasgui.getTab(id);
      if (tab && queryOf(tab).trim() === query.trim()) {
        if (tab !== current) yasgui.selectTabId(id);
        if (name) tab.setName(name);
        return tab;
      }
    }
    if (current && (!queryOf(current).trim() || known.has(queryOf(current)))) {
      current.setQuery(query);
      if (name) current.setName(name);
      return current;
    }
    const config = { yasqe: { value: query } };
    if (name) config.name = name;
    return yasgui.addTab(true, config);
  }

  function run(tab) {
    tab.query().catch(() => {}); // YASR shows the error
  }

  for (const a of document.querySelectorAll("#examples a[data-key]")) {
    a.addEventListener("click", function (event) {
      event.preventDefault();
      const query = exampleTexts.get(a.dataset.key);
      if (query === undefined) return;
      for (const li of document.querySelectorAll("#examples li")) li.classList.remove("chosen");
      a.parentElement.classList.add("chosen");
      const tab = tabFor(query, a.textContent.trim());
      bindTab();
      run(tab);
    });
  }

  // The address: ?query= (a shared link) or ?example= loads it into a tab; it runs when the server
  // ran it too (?query=, or ?example= with run).
  const params = new URLSearchParams(window.location.search);
  if (params.has("query") || params.has("example")) {
    const chosen = document.querySelector("#examples li.chosen a[data-key]");
    const tab = tabFor(initial, params.has("query") ? null : chosen && chosen.textContent.trim());
    bindTab();
    if (params.has("query") || params.has("run")) run(tab);
  } else {
    bindTab();
  }
})();
