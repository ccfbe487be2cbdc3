// The network viewer's libraries, bundled by build.sh into one IIFE that sets window.ris3kgVendor;
// api/web/static/network.js uses them. Only what the page needs: the graph, the browser GEXF
// parser (not the writer), the renderer, and two layouts for files without positions.
import Graph from "graphology";
import parseGexf from "graphology-gexf/browser/parser.js";
import { circular } from "graphology-layout";
import forceAtlas2 from "graphology-layout-forceatlas2";
import Sigma from "sigma";

export { Graph, parseGexf, circular, forceAtlas2, Sigma };
