// Reads GEXF files with graphology-gexf (the parser Gephi Lite uses) and prints, per file, the
// node and edge counts and a few attributes of the first node, as one JSON object.
import { readFileSync } from "node:fs";
import Graph from "graphology";
import gexf from "graphology-gexf";

const out = {};
for (const path of process.argv.slice(2)) {
  const graph = gexf.parse(Graph, readFileSync(path, "utf-8"));
  const nodes = {};
  graph.forEachNode((key, attributes) => {
    nodes[key] = attributes;
  });
  out[path] = { order: graph.order, size: graph.size, type: graph.type, multi: graph.multi, nodes };
}
process.stdout.write(JSON.stringify(out));
