#!/bin/sh
# Re-vendor the network viewer's libraries into api/web/static/vendor/network/ from the npm
# packages pinned here: sigma, graphology, graphology-gexf (its browser parser), graphology-layout
# and graphology-layout-forceatlas2, bundled by esbuild into one minified IIFE, network.min.js,
# which sets window.ris3kgVendor (see network.mjs); api/web/static/network.js uses it.
#
#   api/web/vendor-src/network/build.sh
#
# To update: change the versions in package.json, run `npm install --ignore-scripts` here once to
# refresh package-lock.json, then this script, then the browser tests
# (tests/api/web/test_browser_network.py), and commit package.json, package-lock.json and the
# vendored files. node_modules/ stays out of git.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="$here/../../static/vendor/network"
cd "$here"
npm ci --ignore-scripts --no-audit --no-fund
node node_modules/esbuild/install.js >/dev/null 2>&1 || true  # the platform binary, skipped by --ignore-scripts
mkdir -p "$target"
# One file, no source map, no eval: the pages' policy allows scripts from 'self' only.
node_modules/.bin/esbuild network.mjs --bundle --minify --format=iife --global-name=ris3kgVendor \
  --platform=browser --target=es2019 --legal-comments=none --charset=utf8 \
  --outfile="$target/network.min.js" --metafile=node_modules/.meta.json
# The licenses of the packages with code in network.min.js (esbuild's metafile names their files).
node - "$target/THIRD-PARTY-LICENSES.txt" <<'JS'
const fs = require("fs");
const path = require("path");
const lock = require("./package-lock.json");
const meta = require("./node_modules/.meta.json");
const bundled = new Set(Object.keys(meta.inputs).map((file) => file.replace(/^(.*node_modules\/(@[^/]+\/)?[^/]+)\/.*$/, "$1")));
const out = [];
for (const [where, info] of Object.entries(lock.packages)) {
  if (!where || !bundled.has(where)) continue;
  const name = where.replace(/^.*node_modules\//, "");
  const files = fs.existsSync(where) ? fs.readdirSync(where).filter((f) => /^(licen[cs]e|copying)/i.test(f)) : [];
  out.push("=".repeat(78), `${name} ${info.version} (${info.license || "see its package"})`, "=".repeat(78));
  for (const f of files) out.push(fs.readFileSync(path.join(where, f), "utf8").trim());
  if (!files.length) out.push(`(the npm package has no license file; its license field says ${info.license || "nothing"})`);
  out.push("");
}
fs.writeFileSync(process.argv[2], out.join("\n") + "\n");
JS
versions=$(node -e '
const lock = require("./package-lock.json");
for (const name of ["sigma", "graphology", "graphology-gexf", "graphology-layout", "graphology-layout-forceatlas2"])
  console.log(`  - \`${name}\` ${lock.packages["node_modules/" + name].version}`);
')
cat > "$target/README.md" <<MD
# The network viewer's libraries, vendored

- Packages, from the npm registry (all MIT), with their dependencies:
$versions
- Files: \`network.min.js\`, one minified IIFE built by esbuild from
  \`api/web/vendor-src/network/network.mjs\`, which sets \`window.ris3kgVendor\` to
  \`{Graph, parseGexf, circular, forceAtlas2, Sigma}\`; \`THIRD-PARTY-LICENSES.txt\` (the licenses of
  every package bundled into it).
- Re-vendor: pin the versions in \`api/web/vendor-src/network/package.json\`, run
  \`npm install --ignore-scripts\` there to refresh \`package-lock.json\`, then
  \`api/web/vendor-src/network/build.sh\` (it runs \`npm ci\` and esbuild). Never edit these files by hand.
- Served from this server only, under the site's strict policy (no eval, no inline script or style);
  \`static/network.js\` draws the views with it on \`/network/<view>\`.
MD
echo "vendored the network viewer's libraries into $target"
