// The explorer of `index.html`: the graph embedded in the page, drawn on a canvas, and
// `window.ties`, the script interface the page's own controls use. Search, panel, filters and
// paths follow the CLI's rules (`ties find`, `ties show`, `--as-of`/`--between`, `ties path`),
// so the page and the command line give the same answers. Every text from the data is inserted
// with textContent, never as markup.
(function () {
  "use strict";

  // Answer tables are sortable on every page, with or without a graph.
  function sortableTables() {
    for (const table of document.querySelectorAll("table.sortable")) {
      const heads = table.querySelectorAll("thead th");
      heads.forEach((th, column) => {
        th.addEventListener("click", () => {
          const body = table.tBodies[0];
          const rows = Array.from(body.rows);
          const ascending = !th.classList.contains("asc");
          heads.forEach((h) => h.classList.remove("asc", "desc"));
          th.classList.add(ascending ? "asc" : "desc");
          const key = (row) => row.cells[column] ? row.cells[column].textContent : "";
          const numeric = rows.every((r) => key(r) === "" || !isNaN(Number(key(r))));
          rows.sort((a, b) => {
            const x = key(a), y = key(b);
            const order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
            return ascending ? order : -order;
          });
          rows.forEach((r) => body.appendChild(r));
        });
      });
    }
  }
  sortableTables();

  const dataElement = document.getElementById("ties-data");
  if (!dataElement) return;
  const data = JSON.parse(dataElement.textContent);
  const { nodes, edges, kinds, types } = data;

  // ---- indexes -------------------------------------------------------------------------
  const nodeIndex = new Map(nodes.map((n, i) => [n.id, i]));
  const incident = nodes.map(() => []);
  edges.forEach((e, k) => {
    incident[e.s].push(k);
    if (e.t !== e.s) incident[e.t].push(k);
  });
  const edgeNumber = edges.map((e) => Number(e.id.slice(1)));
  const edgeIndex = new Map(edges.map((e, k) => [e.id, k]));

  // ---- the CLI's rules -----------------------------------------------------------------

  // Rust compares strings by code point; JavaScript by UTF-16 unit. Same for the BMP.
  function compareCodePoints(a, b) {
    const x = Array.from(a), y = Array.from(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }

  function entity(i) {
    const n = nodes[i];
    return { id: n.id, name: n.name, kind: kinds[n.kind].name };
  }

  // `ties find`: exact matches, then prefixes, then substrings of id or name, each by id.
  function search(text, limit = 20) {
    const wanted = String(text).toLowerCase();
    const hits = [];
    nodes.forEach((n, i) => {
      let best = -1;
      for (const field of [n.id.toLowerCase(), n.name.toLowerCase()]) {
        const rank = field === wanted ? 0 : field.startsWith(wanted) ? 1 : field.includes(wanted) ? 2 : -1;
        if (rank >= 0 && (best < 0 || rank < best)) best = rank;
      }
      if (best >= 0) hits.push([best, i]);
    });
    hits.sort((a, b) => a[0] - b[0] || compareCodePoints(nodes[a[1]].id, nodes[b[1]].id));
    return hits.slice(0, limit).map(([, i]) => entity(i));
  }

  // An id, else an exact name (case-insensitive), as NODE arguments resolve.
  function resolve(text) {
    if (nodeIndex.has(text)) return nodeIndex.get(text);
    const wanted = String(text).toLowerCase();
    const named = [];
    nodes.forEach((n, i) => { if (n.name.toLowerCase() === wanted) named.push(i); });
    return named.length === 1 ? named[0] : -1;
  }

  function relationJson(k) {
    const e = edges[k];
    return {
      id: e.id, from: nodes[e.s].id, to: nodes[e.t].id, type: types[e.type].name,
      start: e.start, end: e.end, weight: e.weight, attributes: e.attributes,
    };
  }

  // `ties show ID --format json`: dated relations by start day, then undated, by input order.
  function show(i) {
    const n = nodes[i];
    const order = incident[i].slice().sort((a, b) => {
      const x = edges[a], y = edges[b];
      if ((x.first === null) !== (y.first === null)) return x.first === null ? 1 : -1;
      if (x.first !== y.first && x.first !== null) return x.first < y.first ? -1 : 1;
      return edgeNumber[a] - edgeNumber[b];
    });
    return {
      id: n.id, name: n.name, kind: kinds[n.kind].name, attributes: n.attributes,
      relations: order.map((k) => Object.assign(relationJson(k), {
        direction: edges[k].s === i ? "out" : "in",
        origin: edges[k].origin,
      })),
    };
  }

  // Partial dates as the days they cover.
  function daysOf(text, side) {
    const parts = String(text).split("-").map(Number);
    if (!parts.length || parts.some(isNaN)) throw new Error(`\`${text}\` is not a date`);
    const pad = (x, w) => String(x).padStart(w, "0");
    const [y, m, d] = parts;
    if (side === "first") return `${pad(y, 4)}-${pad(m || 1, 2)}-${pad(d || 1, 2)}`;
    const month = m || 12;
    const last = d || new Date(Date.UTC(y, month, 0)).getUTCDate();
    return `${pad(y, 4)}-${pad(month, 2)}-${pad(last, 2)}`;
  }

  // The days a time spec covers: {asOf} or {between: "A..B" | [A, B]}; null for no limit.
  function timeDays(spec) {
    if (spec.asOf !== undefined && spec.asOf !== null) {
      return [daysOf(spec.asOf, "first"), daysOf(spec.asOf, "last")];
    }
    if (spec.between !== undefined && spec.between !== null) {
      const [a, b] = Array.isArray(spec.between) ? spec.between : String(spec.between).split("..");
      return [a ? daysOf(a, "first") : null, b ? daysOf(b, "last") : null];
    }
    return null;
  }

  // Whether relation k overlaps the days (open sides always do), as `--as-of` reads it.
  function inForce(k, days) {
    if (!days) return true;
    const e = edges[k];
    const startsInTime = e.first === null || days[1] === null || e.first <= days[1];
    const endsInTime = e.last === null || days[0] === null || e.last >= days[0];
    return startsInTime && endsInTime;
  }

  function nameSet(list, table) {
    if (!list || !list.length) return null;
    const wanted = new Set(list);
    return new Set(table.map((t, i) => (wanted.has(t.name) ? i : -1)).filter((i) => i >= 0));
  }

  // A view as `ties export` selects it: kinds keep entities, types and time keep relations
  // between kept entities, and with a relation filter only entities with a relation stay.
  function selectView(spec) {
    const days = timeDays(spec);
    const kindSet = nameSet(spec.kinds, kinds);
    const typeSet = nameSet(spec.types, types);
    const keep = nodes.map((n) => !kindSet || kindSet.has(n.kind));
    const kept = [];
    edges.forEach((e, k) => {
      if (keep[e.s] && keep[e.t] && (!typeSet || typeSet.has(e.type)) && inForce(k, days)) kept.push(k);
    });
    let nodeKeep = keep;
    if (days || typeSet) {
      nodeKeep = nodes.map(() => false);
      for (const k of kept) { nodeKeep[edges[k].s] = true; nodeKeep[edges[k].t] = true; }
    }
    return { nodes: nodeKeep, edges: new Set(kept) };
  }

  // `ties path`: shortest by hops; among equal ones, the smallest sequence of relation
  // numbers first. Kinds limit inner entities only.
  function findPaths(from, to, opts) {
    const days = timeDays(opts);
    const kindSet = nameSet(opts.kinds, kinds);
    const typeSet = nameSet(opts.types, types);
    const directed = !!opts.directed;
    const limit = opts.limit || 1000;
    const allowed = (k) => (!typeSet || typeSet.has(edges[k].type)) && inForce(k, days);
    const enter = (v) => v === from || v === to || !kindSet || kindSet.has(nodes[v].kind);
    // Steps out of v: [relation, next entity], in relation order.
    const steps = (v, reverse) => {
      const out = [];
      for (const k of incident[v]) {
        const e = edges[k];
        if (e.s === e.t || !allowed(k)) continue;
        const forward = e.s === v;
        if (directed && forward === reverse) continue;
        out.push([k, forward ? e.t : e.s]);
      }
      return out.sort((a, b) => edgeNumber[a[0]] - edgeNumber[b[0]]);
    };
    // Distances to `to`, walking relations backwards.
    const dist = new Int32Array(nodes.length).fill(-1);
    dist[to] = 0;
    let frontier = [to];
    while (frontier.length && dist[from] < 0) {
      const next = [];
      for (const v of frontier) {
        if (v !== to && !enter(v)) continue;
        for (const [, w] of steps(v, true)) {
          if (dist[w] < 0) { dist[w] = dist[v] + 1; next.push(w); }
        }
      }
      frontier = next;
    }
    const paths = [];
    const maxHops = opts.maxHops === undefined || opts.maxHops === null ? Infinity : opts.maxHops;
    if (dist[from] < 0 || dist[from] > maxHops) return paths;
    // One path more than the limit is looked for: finding it says the answer was cut.
    const walk = (v, nodesSoFar, edgesSoFar) => {
      if (paths.length >= (opts.all ? limit + 1 : 1)) return;
      if (v === to) { paths.push([nodesSoFar.slice(), edgesSoFar.slice()]); return; }
      for (const [k, w] of steps(v, false)) {
        if (dist[w] !== dist[v] - 1 || (w !== to && !enter(w))) continue;
        nodesSoFar.push(w); edgesSoFar.push(k);
        walk(w, nodesSoFar, edgesSoFar);
        nodesSoFar.pop(); edgesSoFar.pop();
      }
    };
    walk(from, [from], []);
    return paths;
  }

  // One shortest path in time order, step for step as `ties path --chronological` finds it
  // (src/query/chrono.rs explains why it is right): a bidirectional breadth-first search over
  // labels, forward ones holding the earliest arrival, backward ones the latest departure,
  // each side keeping per entity only labels better than every label with as few relations.
  // Moments are days since 1970; -Infinity and Infinity stand for missing dates.
  const dayNumber = (text) => Date.UTC(Number(text.slice(0, 4)), Number(text.slice(5, 7)) - 1, Number(text.slice(8, 10))) / 86400000;
  const byNumber = (a, b) => edgeNumber[a] - edgeNumber[b];
  const outLinks = nodes.map((_, v) => incident[v].filter((k) => edges[k].s === v).sort(byNumber));
  const inLinks = nodes.map((_, v) => incident[v].filter((k) => edges[k].t === v).sort(byNumber));
  function findChronological(from, to, opts) {
    const days = timeDays(opts);
    const kindSet = nameSet(opts.kinds, kinds);
    const typeSet = nameSet(opts.types, types);
    const directed = !!opts.directed;
    const hopLimit = opts.maxHops === undefined || opts.maxHops === null ? Infinity : opts.maxHops;
    const allowed = (k) => (!typeSet || typeSet.has(edges[k].type)) && inForce(k, days);
    // The links a side follows out of v, as [relation, entity]: outgoing then incoming
    // forwards, incoming then outgoing backwards, each in relation order.
    const links = (v, forward) => {
      const there = (k) => [k, edges[k].t], back = (k) => [k, edges[k].s];
      const first = forward ? outLinks[v].map(there) : inLinks[v].map(back);
      if (directed) return first;
      return first.concat(forward ? inLinks[v].map(back) : outLinks[v].map(there));
    };
    const step = (forward, moment, node, k) => {
      if (!allowed(k)) return null;
      if (node !== (forward ? to : from) && kindSet && !kindSet.has(nodes[node].kind)) return null;
      const e = edges[k];
      const first = e.first === null ? -Infinity : dayNumber(e.first);
      const last = e.last === null ? Infinity : dayNumber(e.last);
      if (forward) return last >= moment ? Math.max(moment, first) : null;
      return first <= moment ? Math.min(moment, last) : null;
    };
    const side = (forward, end) => {
      const newest = new Int32Array(nodes.length).fill(-1);
      newest[end] = 0;
      return { forward, newest, depth: 0, frontier: [0],
        labels: [{ node: end, moment: forward ? -Infinity : Infinity, hops: 0, parent: -1, edge: -1, older: -1 }] };
    };
    const better = (s, a, b) => (s.forward ? a < b : a > b);
    const cost = (s) => s.frontier.reduce((sum, i) => sum + outLinks[s.labels[i].node].length + inLinks[s.labels[i].node].length, 0);
    const expand = (s) => {
      s.depth += 1;
      const layer = [];
      for (const parent of s.frontier) {
        const { node, moment } = s.labels[parent];
        for (const [k, w] of links(node, s.forward)) {
          if (w === node) continue;
          const next = step(s.forward, moment, w, k);
          if (next === null) continue;
          const candidate = { node: w, moment: next, hops: s.depth, parent, edge: k, older: -1 };
          const newest = s.newest[w];
          const label = newest >= 0 ? s.labels[newest] : null;
          if (label && !better(s, next, label.moment)) continue;
          if (label && label.hops === s.depth) {
            candidate.older = label.older;
            s.labels[newest] = candidate;
          } else {
            candidate.older = newest;
            s.newest[w] = s.labels.length;
            layer.push(s.labels.length);
            s.labels.push(candidate);
          }
        }
      }
      s.frontier = layer;
      return layer;
    };
    const forward = side(true, from), backward = side(false, to);
    let best = from === to ? [0, 0, 0] : null;
    for (;;) {
      const reach = forward.depth + backward.depth;
      if ((best && best[0] <= reach) || reach >= hopLimit || !forward.frontier.length || !backward.frontier.length) break;
      const growForward = cost(forward) <= cost(backward);
      const grown = growForward ? forward : backward, other = growForward ? backward : forward;
      for (const index of expand(grown)) {
        const label = grown.labels[index];
        for (let o = other.newest[label.node]; o >= 0; o = other.labels[o].older) {
          const old = other.labels[o];
          const [arrival, departure] = grown.forward ? [label.moment, old.moment] : [old.moment, label.moment];
          const hops = label.hops + old.hops;
          if (arrival <= departure && hops <= hopLimit && (!best || hops < best[0])) {
            best = grown.forward ? [hops, index, o] : [hops, o, index];
          }
        }
      }
    }
    if (!best) return [];
    const ns = [], es = [];
    for (let i = best[1]; i >= 0; i = forward.labels[i].parent) {
      ns.push(forward.labels[i].node);
      if (forward.labels[i].edge >= 0) es.push(forward.labels[i].edge);
    }
    ns.reverse(); es.reverse();
    for (let i = best[2]; backward.labels[i].parent >= 0; i = backward.labels[i].parent) {
      es.push(backward.labels[i].edge);
      ns.push(backward.labels[backward.labels[i].parent].node);
    }
    return [[ns, es]];
  }

  // ---- drawing -------------------------------------------------------------------------
  // A Canvas 2D renderer: relations grouped into one path per colour and width, entities into
  // one path per kind, labels placed largest entity first where they do not collide. Sizes
  // are in screen pixels, so zooming in spreads entities apart and more labels fit.
  const container = document.getElementById("graph");
  const degree = nodes.map((_, i) => new Set(incident[i].map((k) => edges[k].s === i ? edges[k].t : edges[k].s)).size);
  // Sizes and colours: by neighbours and kind, or (when the build computed them) by
  // PageRank and Louvain community.
  const hasMetric = (name) => nodes.length > 0 && nodes.every((n) => n.metrics && typeof n.metrics[name] === "number");
  const look = { size: "degree", colour: "kind" };
  const communityColours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  let radius = [];
  function sizeNodes() {
    const measure = look.size === "pagerank" ? nodes.map((n) => n.metrics.pagerank) : degree;
    const top = Math.max(Number.MIN_VALUE, ...measure);
    radius = measure.map((d) => 3 + 9 * Math.sqrt(d / top));
  }
  sizeNodes();
  const fillOf = (i) => look.colour === "community"
    ? communityColours[nodes[i].metrics.community % communityColours.length]
    : kinds[nodes[i].kind].color;
  const byDegree = nodes.map((_, i) => i).sort((a, b) => degree[b] - degree[a] || a - b);
  // One drawn edge per (from, to, type); its relations are listed on click and hover.
  const bundles = [];
  const bundleIndex = new Map();
  edges.forEach((e, k) => {
    const key = `${e.s}>${e.t}>${e.type}`;
    let b = bundleIndex.get(key);
    if (b === undefined) {
      b = bundles.length;
      bundleIndex.set(key, b);
      bundles.push({ s: e.s, t: e.t, type: e.type, members: [] });
    }
    bundles[b].members.push(k);
  });

  const state = {
    view: selectView({}), spec: {}, focus: null, focusSet: null,
    path: null, selected: -1,
  };

  function nodeVisible(i) {
    return state.view.nodes[i] && (!state.focusSet || state.focusSet.has(i));
  }
  function edgeVisible(k) {
    const e = edges[k];
    return state.view.edges.has(k) && nodeVisible(e.s) && nodeVisible(e.t);
  }

  const canvas = document.createElement("canvas");
  container.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  const camera = { x: 0, y: 0, scale: 1 };
  let size = { w: 1, h: 1 };
  const toScreen = (n) => [(n.x - camera.x) * camera.scale + size.w / 2, (camera.y - n.y) * camera.scale + size.h / 2];

  function fit() {
    const shown = nodes.filter((_, i) => nodeVisible(i));
    const list = shown.length ? shown : nodes;
    if (!list.length) return;
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (const n of list) { x0 = Math.min(x0, n.x); x1 = Math.max(x1, n.x); y0 = Math.min(y0, n.y); y1 = Math.max(y1, n.y); }
    camera.x = (x0 + x1) / 2; camera.y = (y0 + y1) / 2;
    camera.scale = Math.min((size.w - 60) / Math.max(x1 - x0, 1), (size.h - 60) / Math.max(y1 - y0, 1));
    if (!isFinite(camera.scale) || camera.scale <= 0) camera.scale = 1;
  }
  function resize() {
    const ratio = window.devicePixelRatio || 1;
    size = { w: container.clientWidth || 600, h: container.clientHeight || 400 };
    canvas.width = Math.round(size.w * ratio);
    canvas.height = Math.round(size.h * ratio);
    canvas.style.width = `${size.w}px`;
    canvas.style.height = `${size.h}px`;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  }

  // Each kind's Graphviz shape, drawn as the nearest of five outlines.
  const OUTLINES = {
    square: ["box", "rect", "rectangle", "square", "note", "tab", "folder", "component", "box3d", "cylinder", "underline", "plain", "plaintext", "cds", "signature", "rpromoter", "larrow", "rarrow"],
    diamond: ["diamond", "Mdiamond", "Msquare"],
    triangle: ["triangle", "invtriangle", "house", "invhouse", "trapezium", "invtrapezium"],
    hexagon: ["hexagon", "octagon", "pentagon", "septagon", "doubleoctagon", "tripleoctagon", "polygon", "parallelogram"],
  };
  function outline(shape) {
    for (const [name, list] of Object.entries(OUTLINES)) if (list.includes(shape)) return name;
    return "circle";
  }
  const shapes = kinds.map((k) => outline(k.shape));
  function trace(shape, x, y, r) {
    if (shape === "square") { ctx.moveTo(x - r, y - r); ctx.rect(x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8); return; }
    const corners = { diamond: 4, triangle: 3, hexagon: 6 }[shape];
    if (!corners) { ctx.moveTo(x + r, y); ctx.arc(x, y, r, 0, Math.PI * 2); return; }
    const turn = shape === "hexagon" ? 0 : -Math.PI / 2;
    const grow = shape === "triangle" ? 1.25 : 1.1;
    for (let c = 0; c <= corners; c++) {
      const a = turn + (c * 2 * Math.PI) / corners;
      const px = x + r * grow * Math.cos(a), py = y + r * grow * Math.sin(a);
      if (c === 0) ctx.moveTo(px, py); else ctx.lineTo(px, py);
    }
    ctx.closePath();
  }

  let frame = 0;
  let drawnOnce = null;
  const drawn = new Promise((resolve) => { drawnOnce = resolve; });
  function draw() {
    frame = 0;
    ctx.clearRect(0, 0, size.w, size.h);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, size.w, size.h);
    const dim = !!state.path;
    // Relations, one path per colour and width.
    const groups = new Map();
    const arrows = bundles.length <= 4000;
    for (const b of bundles) {
      if (b.s === b.t) continue;
      let count = 0;
      for (const k of b.members) if (edgeVisible(k)) count++;
      if (!count) continue;
      const onPath = dim && b.members.some((k) => state.path.edges.has(k));
      const color = onPath ? "#111111" : dim ? "#e4e4e4" : types[b.type].color || "#a8a8a8";
      const width = (1 + Math.log2(count)) * (onPath ? 2 : 1);
      const key = `${color}|${width}|${onPath}`;
      if (!groups.has(key)) groups.set(key, { color, width, onPath, list: [] });
      groups.get(key).list.push(b);
    }
    const ordered = Array.from(groups.values()).sort((a, b) => a.onPath - b.onPath);
    for (const g of ordered) {
      ctx.strokeStyle = g.color;
      ctx.fillStyle = g.color;
      ctx.lineWidth = g.width;
      ctx.beginPath();
      for (const b of g.list) {
        const [x1, y1] = toScreen(nodes[b.s]);
        const [x2, y2] = toScreen(nodes[b.t]);
        ctx.moveTo(x1, y1);
        ctx.lineTo(x2, y2);
      }
      ctx.stroke();
      if (!arrows) continue;
      ctx.beginPath();
      for (const b of g.list) {
        const [x1, y1] = toScreen(nodes[b.s]);
        const [x2, y2] = toScreen(nodes[b.t]);
        const length = Math.hypot(x2 - x1, y2 - y1);
        if (length < 1) continue;
        const ux = (x2 - x1) / length, uy = (y2 - y1) / length;
        const tipX = x2 - ux * (radius[b.t] + 1), tipY = y2 - uy * (radius[b.t] + 1);
        const back = 6 + g.width;
        ctx.moveTo(tipX, tipY);
        ctx.lineTo(tipX - ux * back - uy * back * 0.45, tipY - uy * back + ux * back * 0.45);
        ctx.lineTo(tipX - ux * back + uy * back * 0.45, tipY - uy * back - ux * back * 0.45);
        ctx.closePath();
      }
      ctx.fill();
    }
    // One path per shape and fill (kind, or kind and community).
    const fills = new Map();
    for (let i = 0; i < nodes.length; i++) {
      if (!nodeVisible(i)) continue;
      const key = `${nodes[i].kind}|${fillOf(i)}`;
      if (!fills.has(key)) fills.set(key, { kind: nodes[i].kind, fill: fillOf(i), list: [] });
      fills.get(key).list.push(i);
    }
    for (const { kind, fill, list } of fills.values()) {
      ctx.beginPath();
      const shape = shapes[kind];
      for (const i of list) {
        const [x, y] = toScreen(nodes[i]);
        if (x < -20 || y < -20 || x > size.w + 20 || y > size.h + 20) continue;
        trace(shape, x, y, radius[i]);
      }
      ctx.fillStyle = dim ? "#d8d8d8" : fill;
      ctx.fill();
      if (list.length < 3000) { ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1; ctx.stroke(); }
    }
    if (dim) {
      for (const i of state.path.nodes) {
        const [x, y] = toScreen(nodes[i]);
        ctx.beginPath();
        trace(shapes[nodes[i].kind], x, y, radius[i] + 1);
        ctx.fillStyle = fillOf(i);
        ctx.fill();
        ctx.strokeStyle = "#111111"; ctx.lineWidth = 2; ctx.stroke();
      }
    }
    if (state.selected >= 0 && nodeVisible(state.selected)) {
      const [x, y] = toScreen(nodes[state.selected]);
      ctx.beginPath();
      ctx.arc(x, y, radius[state.selected] + 4, 0, Math.PI * 2);
      ctx.strokeStyle = "#111111"; ctx.lineWidth = 2; ctx.stroke();
    }
    // Labels, most connected first, where they do not overlap one already placed.
    ctx.font = "12px system-ui, sans-serif";
    ctx.textBaseline = "middle";
    const taken = new Set();
    const cell = 14;
    let placed = 0;
    const forced = new Set(dim ? state.path.nodes : []);
    if (state.selected >= 0) forced.add(state.selected);
    const candidates = Array.from(forced).concat(byDegree.filter((i) => !forced.has(i)));
    for (const i of candidates) {
      if (placed >= 400) break;
      if (!nodeVisible(i) || (dim && !forced.has(i))) continue;
      const [x, y] = toScreen(nodes[i]);
      if (x < 0 || y < 0 || x > size.w || y > size.h) continue;
      const text = nodes[i].name.length > 40 ? `${nodes[i].name.slice(0, 39)}…` : nodes[i].name;
      const width = ctx.measureText(text).width;
      const lx = x + radius[i] + 3;
      const cells = [];
      let free = true;
      for (let cx = Math.floor(lx / cell); cx <= Math.floor((lx + width) / cell); cx++) {
        for (let cy = Math.floor((y - 7) / cell); cy <= Math.floor((y + 7) / cell); cy++) {
          const key = `${cx},${cy}`;
          if (taken.has(key)) free = false;
          cells.push(key);
        }
      }
      if (!free && !forced.has(i)) continue;
      cells.forEach((key) => taken.add(key));
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.85)";
      ctx.strokeText(text, lx, y);
      ctx.fillStyle = "#222222";
      ctx.fillText(text, lx, y);
      placed++;
    }
    drawnOnce();
  }
  function schedule() { if (!frame) frame = requestAnimationFrame(draw); }

  // Pointer: drag to pan, wheel to zoom at the pointer, click to select, hover for relations.
  function nodeAt(sx, sy) {
    let best = -1, bestDistance = Infinity;
    for (let i = 0; i < nodes.length; i++) {
      if (!nodeVisible(i)) continue;
      const [x, y] = toScreen(nodes[i]);
      const d = Math.hypot(x - sx, y - sy);
      if (d <= radius[i] + 3 && d < bestDistance) { best = i; bestDistance = d; }
    }
    return best;
  }
  function bundleAt(sx, sy) {
    let best = -1, bestDistance = 5;
    bundles.forEach((b, index) => {
      if (b.s === b.t || !b.members.some(edgeVisible)) return;
      const [x1, y1] = toScreen(nodes[b.s]);
      const [x2, y2] = toScreen(nodes[b.t]);
      const dx = x2 - x1, dy = y2 - y1;
      const length2 = dx * dx + dy * dy;
      const t = length2 ? Math.max(0, Math.min(1, ((sx - x1) * dx + (sy - y1) * dy) / length2)) : 0;
      const d = Math.hypot(x1 + t * dx - sx, y1 + t * dy - sy);
      if (d < bestDistance) { best = index; bestDistance = d; }
    });
    return best;
  }
  let drag = null;
  canvas.addEventListener("mousedown", (event) => { drag = { x: event.offsetX, y: event.offsetY, moved: false }; });
  window.addEventListener("mouseup", () => { setTimeout(() => { drag = null; }, 0); });
  canvas.addEventListener("mousemove", (event) => {
    if (drag && (event.buttons & 1)) {
      const dx = event.offsetX - drag.x, dy = event.offsetY - drag.y;
      if (Math.abs(dx) + Math.abs(dy) > 2) drag.moved = true;
      camera.x -= dx / camera.scale; camera.y += dy / camera.scale;
      drag.x = event.offsetX; drag.y = event.offsetY;
      schedule();
      return;
    }
    hover(event.offsetX, event.offsetY);
  });
  canvas.addEventListener("wheel", (event) => {
    event.preventDefault();
    const factor = Math.exp(-event.deltaY * 0.0015);
    const gx = camera.x + (event.offsetX - size.w / 2) / camera.scale;
    const gy = camera.y - (event.offsetY - size.h / 2) / camera.scale;
    camera.scale *= factor;
    camera.x = gx - (event.offsetX - size.w / 2) / camera.scale;
    camera.y = gy + (event.offsetY - size.h / 2) / camera.scale;
    schedule();
  }, { passive: false });
  canvas.addEventListener("click", (event) => {
    if (drag && drag.moved) return;
    const i = nodeAt(event.offsetX, event.offsetY);
    if (i >= 0) { api.select(nodes[i].id); return; }
    const b = bundleAt(event.offsetX, event.offsetY);
    if (b >= 0) showBundle(bundles[b]);
  });

  new ResizeObserver(() => { resize(); schedule(); }).observe(container);
  resize();
  fit();

  // ---- panel and tooltip ---------------------------------------------------------------
  const panel = document.getElementById("panel");
  const tooltip = document.createElement("div");
  tooltip.id = "tooltip";
  container.appendChild(tooltip);
  function el(tag, text, cls) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (cls) node.className = cls;
    return node;
  }
  function dates(e) {
    if (e.start === null && e.end === null) return "";
    if (e.end === null) return e.start;
    if (e.start === null) return `until ${e.end}`;
    return e.start === e.end ? e.start : `${e.start} – ${e.end}`;
  }
  function provenance(k) {
    const e = edges[k];
    const lines = [];
    for (const key of ["source", "note"]) {
      if (e.attributes[key] !== undefined) lines.push(`${key}: ${e.attributes[key]}`);
    }
    lines.push(e.origin);
    return lines.join("\n");
  }
  function relationLine(k, from) {
    const e = edges[k];
    const row = el("div", null, "relation");
    const out = e.s === from;
    const other = out ? e.t : e.s;
    const label = `${out ? "→" : "←"} ${types[e.type].label}${dates(e) ? ` (${dates(e)})` : ""} `;
    row.appendChild(el("span", label));
    const link = el("a", nodes[other].name);
    link.href = "#";
    link.addEventListener("click", (event) => { event.preventDefault(); api.select(nodes[other].id); });
    row.appendChild(link);
    row.appendChild(el("div", provenance(k), "prov"));
    row.title = provenance(k);
    return row;
  }
  function showEntity(i) {
    const info = show(i);
    panel.replaceChildren();
    panel.appendChild(el("h2", info.name));
    panel.appendChild(el("p", `${kinds[nodes[i].kind].label} · ${info.id}`, "muted"));
    const keys = Object.keys(info.attributes);
    if (keys.length) {
      const table = el("table");
      for (const key of keys) {
        const tr = el("tr");
        tr.appendChild(el("th", key));
        const value = info.attributes[key];
        tr.appendChild(el("td", Array.isArray(value) ? value.join("; ") : value));
        table.appendChild(tr);
      }
      panel.appendChild(table);
    }
    panel.appendChild(el("h3", `${info.relations.length} relation${info.relations.length === 1 ? "" : "s"}`));
    for (const relation of info.relations) panel.appendChild(relationLine(edgeIndex.get(relation.id), i));
  }
  function showBundle(b) {
    panel.replaceChildren();
    panel.appendChild(el("h2", `${nodes[b.s].name} → ${nodes[b.t].name}`));
    panel.appendChild(el("p", `${types[b.type].label} ×${b.members.length}`, "muted"));
    for (const k of b.members) panel.appendChild(relationLine(k, b.s));
  }

  function hover(sx, sy) {
    const onNode = nodeAt(sx, sy) >= 0;
    const b = onNode ? -1 : bundleAt(sx, sy);
    if (b < 0) { tooltip.style.display = "none"; canvas.style.cursor = onNode ? "pointer" : "default"; return; }
    canvas.style.cursor = "pointer";
    tooltip.textContent = bundles[b].members.filter(edgeVisible).map((k) => {
      const e = edges[k];
      return `${nodes[e.s].name} → ${nodes[e.t].name}: ${types[e.type].label}${dates(e) ? ` (${dates(e)})` : ""}\n${provenance(k)}`;
    }).join("\n\n");
    tooltip.style.left = `${sx + 12}px`;
    tooltip.style.top = `${sy + 12}px`;
    tooltip.style.display = "block";
  }

  // ---- controls ------------------------------------------------------------------------
  const status = document.getElementById("status");
  function updateStatus() {
    const v = api.visible();
    status.textContent = `${v.nodes.length} entities, ${v.edges.length} relations shown`;
  }
  function refresh() { schedule(); updateStatus(); }

  const searchBox = document.getElementById("search");
  const hitList = document.getElementById("hits");
  searchBox.addEventListener("input", () => {
    hitList.replaceChildren();
    if (!searchBox.value) return;
    for (const hit of search(searchBox.value, 12)) {
      const li = el("li", hit.name);
      li.appendChild(el("span", ` ${hit.kind} · ${hit.id}`, "kind"));
      li.addEventListener("click", () => api.select(hit.id));
      hitList.appendChild(li);
    }
  });

  function swatchShape(mark, shape) {
    const clip = {
      square: "none", diamond: "polygon(50% 0,100% 50%,50% 100%,0 50%)",
      triangle: "polygon(50% 0,100% 100%,0 100%)", hexagon: "polygon(25% 0,75% 0,100% 50%,75% 100%,25% 100%,0 50%)",
    }[outline(shape)];
    if (clip) { mark.style.borderRadius = "0"; if (clip !== "none") mark.style.clipPath = clip; }
  }
  function checkboxes(target, table, kindOfItem) {
    const box = document.getElementById(target);
    table.forEach((item) => {
      const label = el("label");
      const input = el("input");
      input.type = "checkbox";
      input.checked = true;
      input.value = item.name;
      input.addEventListener("change", applyControls);
      label.appendChild(input);
      const mark = el("span", null, kindOfItem === "kind" ? "swatch" : "stroke");
      if (kindOfItem === "kind") { mark.style.background = item.color; swatchShape(mark, item.shape); }
      else mark.style.borderTopColor = item.color || "#9a9a9a";
      if (item.line === "dashed" || item.line === "dotted") mark.style.borderTopStyle = item.line;
      label.appendChild(mark);
      label.appendChild(document.createTextNode(item.label));
      box.appendChild(label);
    });
  }
  checkboxes("kinds", kinds, "kind");
  checkboxes("types", types, "type");

  const years = edges.flatMap((e) => [e.first, e.last]).filter((d) => d !== null).map((d) => Number(d.slice(0, 4)));
  const firstYear = years.length ? Math.min(...years) : 2000;
  const lastYear = years.length ? Math.max(...years) : 2000;
  const dateFrom = document.getElementById("date-from");
  const dateTo = document.getElementById("date-to");
  const dateLabel = document.getElementById("date-label");
  for (const slider of [dateFrom, dateTo]) {
    slider.min = firstYear; slider.max = lastYear; slider.step = 1;
    slider.addEventListener("input", applyControls);
  }
  dateFrom.value = firstYear; dateTo.value = lastYear;
  for (const radio of document.querySelectorAll('input[name="time"]')) radio.addEventListener("change", applyControls);

  function checked(target) {
    const boxes = Array.from(document.querySelectorAll(`#${target} input`));
    return boxes.every((b) => b.checked) ? undefined : boxes.filter((b) => b.checked).map((b) => b.value);
  }
  function applyControls() {
    const mode = document.querySelector('input[name="time"]:checked').value;
    const spec = { kinds: checked("kinds"), types: checked("types") };
    dateTo.disabled = mode !== "between";
    dateFrom.disabled = mode === "all";
    if (mode === "asof") { spec.asOf = dateFrom.value; dateLabel.textContent = `in force in ${dateFrom.value}`; }
    else if (mode === "between") {
      const a = Math.min(dateFrom.value, dateTo.value), b = Math.max(dateFrom.value, dateTo.value);
      spec.between = `${a}..${b}`; dateLabel.textContent = `${a} to ${b}`;
    } else dateLabel.textContent = "all dates";
    apply(spec);
  }

  let playing = null;
  document.getElementById("play").addEventListener("click", (event) => {
    if (playing) { clearInterval(playing); playing = null; event.target.textContent = "▶ play"; return; }
    document.querySelector('input[name="time"][value="asof"]').checked = true;
    dateFrom.value = firstYear;
    event.target.textContent = "❚❚ pause";
    applyControls();
    playing = setInterval(() => {
      if (Number(dateFrom.value) >= lastYear) { clearInterval(playing); playing = null; event.target.textContent = "▶ play"; return; }
      dateFrom.value = Number(dateFrom.value) + 1;
      applyControls();
    }, 700);
  });

  document.getElementById("path-go").addEventListener("click", () => {
    const result = document.getElementById("path-result");
    const from = resolve(document.getElementById("path-from").value.trim());
    const to = resolve(document.getElementById("path-to").value.trim());
    if (from < 0 || to < 0) { result.textContent = "Name an entity at each end (an id or an exact name)."; return; }
    const chronological = document.getElementById("path-chronological").checked;
    const opts = Object.assign({}, state.spec, chronological ? { chronological } : { all: document.getElementById("path-all").checked });
    const found = api.path(nodes[from].id, nodes[to].id, opts);
    result.textContent = found.paths.length
      ? `${found.paths.length} path${found.paths.length === 1 ? "" : "s"} of ${found.paths[0].length} relation${found.paths[0].length === 1 ? "" : "s"}`
      : `No ${chronological ? "time-ordered " : ""}path with these filters.`;
  });
  document.getElementById("path-clear").addEventListener("click", () => { api.clearPath(); document.getElementById("path-result").textContent = ""; });
  document.getElementById("focus-go").addEventListener("click", () => {
    if (state.selected >= 0) api.focus(nodes[state.selected].id, Number(document.getElementById("focus-depth").value) || 1);
  });
  document.getElementById("focus-clear").addEventListener("click", () => api.focus(null));

  // ---- legend and pictures -------------------------------------------------------------
  const legend = document.getElementById("legend");
  const kindMarks = [];
  for (const k of kinds) {
    const item = el("span", null, "item");
    const mark = el("span", null, "swatch");
    mark.style.background = k.color;
    swatchShape(mark, k.shape);
    kindMarks.push(mark);
    item.append(mark, document.createTextNode(k.label));
    legend.appendChild(item);
  }
  // Coloured by community, the kinds keep their shapes but lose their colours.
  const lookNote = el("span", null, "item");
  legend.prepend(lookNote);
  function legendForLook() {
    const byCommunity = look.colour === "community";
    kinds.forEach((k, i) => { kindMarks[i].style.background = byCommunity ? "#9a9a9a" : k.color; });
    lookNote.textContent = byCommunity ? "Colours: Louvain communities; shapes: kinds." : "";
    lookNote.hidden = !byCommunity;
  }
  legendForLook();
  for (const t of types.filter((t) => t.color || t.line)) {
    const item = el("span", null, "item");
    const mark = el("span", null, "stroke");
    mark.style.borderTopColor = t.color || "#9a9a9a";
    if (t.line === "dashed" || t.line === "dotted") mark.style.borderTopStyle = t.line;
    item.append(mark, document.createTextNode(t.label));
    legend.appendChild(item);
  }

  function xml(text) {
    return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  }
  // The visible graph as SVG, in the page's layout and colours.
  function pictureSvg() {
    const shown = nodes.map((_, i) => nodeVisible(i));
    const xs = nodes.filter((_, i) => shown[i]).map((n) => n.x);
    const ys = nodes.filter((_, i) => shown[i]).map((n) => -n.y);
    const pad = 80;
    const x0 = Math.min(...xs, 0) - pad, y0 = Math.min(...ys, 0) - pad;
    const w = Math.max(...xs, 0) - x0 + pad, h = Math.max(...ys, 0) - y0 + pad;
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x0} ${y0} ${w} ${h}" width="${Math.round(w)}" height="${Math.round(h)}" font-family="Helvetica,Arial,sans-serif">`, `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="white"/>`];
    bundles.forEach((b) => {
      const shownMembers = b.members.filter(edgeVisible);
      if (!shownMembers.length || b.s === b.t) return;
      const a = nodes[b.s], c = nodes[b.t];
      parts.push(`<line x1="${a.x}" y1="${-a.y}" x2="${c.x}" y2="${-c.y}" stroke="${xml(types[b.type].color || "#9a9a9a")}" stroke-width="${1 + Math.log2(shownMembers.length)}"><title>${xml(`${types[b.type].label} ×${shownMembers.length}`)}</title></line>`);
    });
    nodes.forEach((n, i) => {
      if (!shown[i]) return;
      const r = radius[i];
      parts.push(`<circle cx="${n.x}" cy="${-n.y}" r="${r}" fill="${xml(fillOf(i))}"><title>${xml(n.name)}</title></circle>`);
      parts.push(`<text x="${n.x + r + 2}" y="${-n.y + 4}" font-size="11">${xml(n.name)}</text>`);
    });
    parts.push("</svg>");
    return parts.join("\n");
  }
  function download(name, blob) {
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }
  document.getElementById("export-svg").addEventListener("click", () => {
    download("ties-view.svg", new Blob([pictureSvg()], { type: "image/svg+xml" }));
  });
  document.getElementById("export-png").addEventListener("click", () => {
    const image = new Image();
    image.onload = () => {
      const canvas = document.createElement("canvas");
      canvas.width = image.width; canvas.height = image.height;
      canvas.getContext("2d").drawImage(image, 0, 0);
      canvas.toBlob((blob) => download("ties-view.png", blob));
    };
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(pictureSvg())}`;
  });

  // ---- the script interface ------------------------------------------------------------
  function apply(spec) {
    state.spec = spec || {};
    state.view = selectView(state.spec);
    refresh();
    return { nodes: nodes.filter((_, i) => state.view.nodes[i]).map((n) => n.id), edges: edges.filter((_, k) => state.view.edges.has(k)).map((e) => e.id) };
  }

  const api = {
    /** Resolves once the graph is drawn. */
    ready: null,
    /** Entities whose id or name contains `text`, ranked as `ties find` ranks them. */
    search,
    /** The entity panel's data, as `ties show ID --format json`; shows it. */
    select(id) {
      const i = nodeIndex.get(id);
      if (i === undefined) return null;
      state.selected = i;
      showEntity(i);
      schedule();
      return show(i);
    },
    /** Filters the drawing as `ties export` selects a view; `filter({})` resets. */
    filter(spec) { return apply(spec || {}); },
    /** Paths as `ties path --format json` (`{all: true}` for every shortest, up to
     * `limit`, 1000 by default; `{chronological: true}` for one in time order); highlighted. */
    path(from, to, opts = {}) {
      const a = nodeIndex.get(from), b = nodeIndex.get(to);
      if (a === undefined || b === undefined) throw new Error(`no entity with the id \`${a === undefined ? from : to}\``);
      const chronological = !!opts.chronological;
      const limit = opts.all && !chronological ? opts.limit || 1000 : null;
      const walked = chronological ? findChronological(a, b, opts) : findPaths(a, b, opts);
      const truncated = limit !== null && walked.length > limit;
      const found = walked.slice(0, limit === null ? walked.length : limit).map(([ns, es]) => ({
        length: es.length, weight: null, nodes: ns.map(entity), edges: es.map(relationJson),
      }));
      state.path = { nodes: new Set(), edges: new Set() };
      for (const p of found) {
        p.nodes.forEach((n) => state.path.nodes.add(nodeIndex.get(n.id)));
        p.edges.forEach((e) => state.path.edges.add(edgeIndex.get(e.id)));
      }
      if (!found.length) state.path = null;
      schedule();
      return { from, to, limit, truncated, chronological, paths: found };
    },
    /** Removes the highlighted path. */
    clearPath() { state.path = null; schedule(); },
    /** Shows only what lies within `depth` visible relations of `id`; `focus(null)` resets. */
    focus(id, depth = 1) {
      if (id === null || id === undefined) { state.focus = null; state.focusSet = null; refresh(); return api.visible(); }
      const start = nodeIndex.get(id);
      if (start === undefined) return null;
      state.focusSet = null;
      const seen = new Set([start]);
      let frontier = [start];
      for (let d = 0; d < depth; d++) {
        const next = [];
        for (const v of frontier) {
          for (const k of incident[v]) {
            if (!edgeVisible(k)) continue;
            const w = edges[k].s === v ? edges[k].t : edges[k].s;
            if (!seen.has(w)) { seen.add(w); next.push(w); }
          }
        }
        frontier = next;
      }
      state.focus = { id, depth };
      state.focusSet = seen;
      refresh();
      return api.visible();
    },
    /** What is drawn now: entity ids and relation ids (`e<N>`). */
    visible() {
      return {
        nodes: nodes.filter((_, i) => nodeVisible(i)).map((n) => n.id),
        edges: edges.filter((_, k) => edgeVisible(k)).map((e) => e.id),
      };
    },
    /** The drawn view as an SVG document. */
    svg: pictureSvg,
  };
  api.ready = drawn.then(() => true);
  // ---- look: size and colour by metrics ------------------------------------------------
  const lookControls = document.getElementById("look");
  const sizeBy = document.getElementById("size-by");
  const colourBy = document.getElementById("colour-by");
  if (lookControls && (hasMetric("pagerank") || hasMetric("community"))) {
    lookControls.hidden = false;
    if (!hasMetric("pagerank")) sizeBy.querySelector('option[value="pagerank"]').disabled = true;
    if (!hasMetric("community")) colourBy.querySelector('option[value="community"]').disabled = true;
    sizeBy.addEventListener("change", () => api.look({ size: sizeBy.value }));
    colourBy.addEventListener("change", () => api.look({ colour: colourBy.value }));
  }
  /** Sizes entities by `degree` or `pagerank` and colours them by `kind` or `community`
   * (the metrics `ties build` computed); returns the look in force. */
  api.look = (spec = {}) => {
    if (spec.size === "pagerank" && !hasMetric("pagerank")) throw new Error("this page has no PageRank: build with --metrics pagerank");
    if (spec.colour === "community" && !hasMetric("community")) throw new Error("this page has no communities: build with --metrics communities");
    if (spec.size) look.size = spec.size;
    if (spec.colour) look.colour = spec.colour;
    if (sizeBy) { sizeBy.value = look.size; colourBy.value = look.colour; }
    sizeNodes();
    legendForLook();
    schedule();
    return { ...look };
  };
  window.ties = api;
  updateStatus();
  applyControls();
})();
