#!/bin/sh
# Re-vendor YASGUI into api/web/static/vendor/yasgui/ from the npm packages pinned here.
#
#   api/web/vendor-src/vendor.sh
#
# To update: change the version in package.json, run `npm install --ignore-scripts` here once to
# refresh package-lock.json, then this script, then the browser tests
# (tests/api/web/test_browser_editor.py), and commit package.json, package-lock.json and the
# vendored files. node_modules/ stays out of git.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
target="$here/../static/vendor/yasgui"
cd "$here"
npm ci --ignore-scripts --no-audit --no-fund
build="node_modules/@zazuko/yasgui/build"
version=$(node -p 'require("./node_modules/@zazuko/yasgui/package.json").version')
mkdir -p "$target"
# The bundles without their source-map comment: the maps are not vendored.
sed -e '/^\/\/# sourceMappingURL=/d' "$build/yasgui.min.js" > "$target/yasgui.min.js"
sed -e "s|/\\*# sourceMappingURL=[^*]*\\*/||" "$build/yasgui.min.css" > "$target/yasgui.min.css"
# The npm package has no LICENSE file: YASGUI-LICENSE is the LICENSE of github.com/rdfjs/Yasgui.
cp YASGUI-LICENSE "$target/LICENSE"
# The licenses of the packages bundled into yasgui.min.js (CodeMirror, jQuery, DataTables, ...).
node - "$target/THIRD-PARTY-LICENSES.txt" <<'JS'
const fs = require("fs");
const path = require("path");
const lock = require("./package-lock.json");
const out = [];
for (const [where, info] of Object.entries(lock.packages)) {
  if (!where) continue;
  const dir = where;
  const name = where.replace(/^.*node_modules\//, "");
  const files = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^(licen[cs]e|copying)/i.test(f)) : [];
  out.push("=".repeat(78), `${name} ${info.version} (${info.license || "see its package"})`, "=".repeat(78));
  for (const f of files) out.push(fs.readFileSync(path.join(dir, f), "utf8").trim());
  if (!files.length) out.push(`(the npm package has no license file; its license field says ${info.license || "nothing"}${name.startsWith("@zazuko/") ? ": see LICENSE" : ""})`);
  out.push("");
}
fs.writeFileSync(process.argv[2], out.join("\n") + "\n");
JS
cat > "$target/README.md" <<MD
# YASGUI, vendored

- Package: [\`@zazuko/yasgui\`](https://www.npmjs.com/package/@zazuko/yasgui) $version (MIT; the
  editor YASQE and the results viewer YASR of the same version are bundled in it), from the npm registry.
- Files: \`yasgui.min.js\` and \`yasgui.min.css\` from the package's \`build/\` folder (source-map
  comments removed), \`LICENSE\` (YASGUI's, from github.com/rdfjs/Yasgui), and
  \`THIRD-PARTY-LICENSES.txt\` (the licenses of the packages bundled into the script).
- Re-vendor: pin the version in \`api/web/vendor-src/package.json\`, run \`npm install --ignore-scripts\`
  there to refresh \`package-lock.json\`, then \`api/web/vendor-src/vendor.sh\` (it runs \`npm ci\` and
  copies the files here). Never edit these files by hand.
- Served from this server only: \`static/query.js\` turns off everything of YASGUI that would call
  another host (the LOV class and property autocompleters, prefix.cc, the endpoint catalogue) and
  completes from this server's ontology (\`/ontology/terms.json\`) and prefixes instead.
MD
echo "vendored @zazuko/yasgui $version into $target"
