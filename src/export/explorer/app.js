// The explorer of `index.html`: the graph embedded in the page, drawn on a canvas, and
// `window.ties`, the script interface the page's own controls use. What the page answers
// (search, an entity's relations, filters, paths) comes from TiesRules (rules.js), which
// follows the CLI's rules, so the page and the command line give the same answers. Every text
// from the data is inserted with textContent, never as markup.
//
// Past OVERVIEW_LIMIT entities in view the page opens on an overview: each community of the
// layout (src/layout/mod.rs) is a disc as large as its membership, named after its most
// connected members, with lines between communities as thick as the relations between them.
// A click (or zooming in) opens a community into its members; search, focus and paths reach
// every entity.
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
  const R = TiesRules;
  const g = R.decode(JSON.parse(dataElement.textContent));
  const { kinds, types } = g;
  const n = g.n, m = g.m;

  /** Past this many entities in view, the drawing opens on communities. */
  const OVERVIEW_LIMIT = 2000;
  /** A community opens by itself when zoomed in until its disc is this wide (pixels). */
  const OPEN_BY_ZOOM = 260;
  /** Labels drawn at most per frame. */
  const MAX_LABELS = 400;
  // Highlighted entities named whatever else is drawn (a path, a small answer); see draw().
  const FORCED_NAMES = 40;

  // ---- groups: the layout's communities ------------------------------------------------
  const groups = g.groups;
  const groupOf = new Int32Array(n).fill(-1);
  groups.forEach((group, index) => { for (const i of group.members) groupOf[i] = index; });
  // Each group's colour: the kind most of its members have.
  const groupKind = groups.map((group) => {
    const counts = new Map();
    for (const i of group.members) counts.set(g.kind[i], (counts.get(g.kind[i]) || 0) + 1);
    let best = 0, most = -1;
    for (const [kind, count] of counts) if (count > most) { best = kind; most = count; }
    return best;
  });

  // ---- look: sizes and colours ---------------------------------------------------------
  const hasMetric = (name) => {
    const values = g.metrics[name];
    if (!Array.isArray(values) || values.length !== n || n === 0) return false;
    for (let i = 0; i < n; i++) if (typeof values[i] !== "number") return false;
    return true;
  };
  const look = { size: "degree", colour: "kind" };
  const communityColours = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];
  // World radii (points); the layout keeps the degree radii apart.
  let radius = g.r;
  function sizeNodes() {
    if (look.size !== "pagerank") { radius = g.r; return; }
    const pagerank = g.metrics.pagerank;
    let top = Number.MIN_VALUE;
    for (let i = 0; i < n; i++) if (pagerank[i] > top) top = pagerank[i];
    radius = new Float64Array(n);
    for (let i = 0; i < n; i++) radius[i] = 4 + 14 * Math.sqrt(pagerank[i] / top);
  }
  const fillOf = (i) => look.colour === "community"
    ? communityColours[g.metrics.community[i] % communityColours.length]
    : kinds[g.kind[i]].color;
  const byNeighbours = Array.from({ length: n }, (_, i) => i).sort((a, b) => g.neighbours[b] - g.neighbours[a] || a - b);

  // ---- state ---------------------------------------------------------------------------
  const state = {
    spec: {}, days: null, view: R.selectView(g, {}), focus: null, focusSet: null,
    path: null, selected: -1, open: new Set(),
  };
  const nodeVisible = (i) => state.view.nodes[i] === 1 && (!state.focusSet || state.focusSet.has(i));
  const edgeVisible = (k) => state.view.edges[k] === 1 && nodeVisible(g.s[k]) && nodeVisible(g.t[k]);

  const container = document.getElementById("graph");
  const canvas = document.createElement("canvas");
  container.appendChild(canvas);
  const ctx = canvas.getContext("2d");
  const camera = { x: 0, y: 0, scale: 1 };
  let size = { w: 1, h: 1 };
  const screenX = (x) => (x - camera.x) * camera.scale + size.w / 2;
  const screenY = (y) => (camera.y - y) * camera.scale + size.h / 2;

  // ---- the scene: what is drawn as entities, what as communities -----------------------
  let scene = null;
  function visibleCount() {
    let count = 0;
    for (let i = 0; i < n; i++) if (nodeVisible(i)) count++;
    return count;
  }
  function buildScene() {
    const shown = visibleCount();
    const overview = groups.length > 0 && !state.focusSet && shown > OVERVIEW_LIMIT;
    const groupMembers = new Int32Array(groups.length);
    for (let i = 0; i < n; i++) if (groupOf[i] >= 0 && nodeVisible(i)) groupMembers[groupOf[i]]++;
    const closed = groups.map((group, index) => overview && groupMembers[index] > 0 && !state.open.has(index)
      && !openedByZoom(group));
    // Each entity drawn as itself, or as its closed community (n + the group's index).
    const rep = (i) => (groupOf[i] >= 0 && closed[groupOf[i]] ? n + groupOf[i] : i);
    const nodesDrawn = [];
    for (let i = 0; i < n; i++) if (nodeVisible(i) && rep(i) === i) nodesDrawn.push(i);
    // Relations between the same two drawn things of one type are one line (between
    // communities, of any type).
    const byEnds = new Map();
    const bundles = [];
    for (let k = 0; k < m; k++) {
      if (!edgeVisible(k)) continue;
      const a = rep(g.s[k]), b = rep(g.t[k]);
      if (a === b && a >= n) continue;
      const grouped = a >= n || b >= n;
      const [x, y] = grouped && b < a ? [b, a] : [a, b];
      const type = grouped ? -1 : g.type[k];
      let inner = byEnds.get(x);
      if (!inner) { inner = new Map(); byEnds.set(x, inner); }
      const key = y * 65537 + type + 1;
      let bundle = inner.get(key);
      if (!bundle) { bundle = { a: x, b: y, type, members: [] }; inner.set(key, bundle); bundles.push(bundle); }
      bundle.members.push(k);
    }
    const groupsDrawn = [];
    closed.forEach((isClosed, index) => { if (isClosed) groupsDrawn.push(index); });
    scene = { overview, closed, rep, nodesDrawn, bundles, groupsDrawn, groupMembers, shown };
  }
  // A community whose disc fills much of the canvas, centre on screen, shows its members.
  function openedByZoom(group) {
    const x = screenX(group.x), y = screenY(group.y);
    return group.r * camera.scale >= OPEN_BY_ZOOM && x >= 0 && y >= 0 && x <= size.w && y <= size.h;
  }
  const posX = (r) => (r < n ? g.x[r] : groups[r - n].x);
  const posY = (r) => (r < n ? g.y[r] : groups[r - n].y);

  function fit(indices) {
    let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    const grow = (x, y, r) => { x0 = Math.min(x0, x - r); x1 = Math.max(x1, x + r); y0 = Math.min(y0, y - r); y1 = Math.max(y1, y + r); };
    if (indices) {
      for (const i of indices) grow(g.x[i], g.y[i], radius[i]);
    } else {
      for (let i = 0; i < n; i++) if (nodeVisible(i)) grow(g.x[i], g.y[i], radius[i]);
    }
    if (!isFinite(x0)) { for (let i = 0; i < n; i++) grow(g.x[i], g.y[i], radius[i]); }
    if (!isFinite(x0)) return;
    camera.x = (x0 + x1) / 2; camera.y = (y0 + y1) / 2;
    // Room at the sides for the names of the entities at the edge.
    camera.scale = Math.min((size.w - 160) / Math.max(x1 - x0, 1), (size.h - 40) / Math.max(y1 - y0, 1));
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
  // A disc's size on screen: the layout's, so that no two overlap, never smaller than a dot.
  const screenRadius = (i) => Math.max(1.5, radius[i] * camera.scale);
  const DASHES = { dashed: [7, 4], dotted: [2, 3] };

  // ---- labels: placed where they fit inside the canvas and cross no other ---------------
  const labelFont = "12px system-ui, sans-serif";
  // Boxes already taken on screen, in a grid of cells, so that each test is local.
  function occupancy() {
    const CELL = 32;
    const cells = new Map();
    const keys = (box) => {
      const out = [];
      for (let cx = Math.floor(box.x / CELL); cx <= Math.floor((box.x + box.w) / CELL); cx++) {
        for (let cy = Math.floor(box.y / CELL); cy <= Math.floor((box.y + box.h) / CELL); cy++) out.push(cx * 100003 + cy);
      }
      return out;
    };
    return {
      add(box) { for (const key of keys(box)) { if (!cells.has(key)) cells.set(key, []); cells.get(key).push(box); } },
      // Whether `box` crosses a label (or, unless `labelsOnly`, a disc) of another owner.
      collides(box, labelsOnly = false) {
        for (const key of keys(box)) {
          for (const t of cells.get(key) || []) {
            if (labelsOnly && t.disc) continue;
            if (t.owner !== box.owner && box.x < t.x + t.w && t.x < box.x + box.w && box.y < t.y + t.h && t.y < box.y + box.h) return true;
          }
        }
        return false;
      },
    };
  }
  // Places each item's text beside its disc (right, left, below, above), fully inside the
  // canvas and over no other label or drawn disc; forced items (the selection, the path, the
  // most connected) are shortened until they fit rather than left out.
  let lastLabels = [];
  function placeLabels(items, discs) {
    lastLabels = [];
    ctx.font = labelFont;
    ctx.textBaseline = "middle";
    const taken = occupancy();
    for (const disc of discs) taken.add(disc);
    const inside = (box) => box.x >= 2 && box.y >= 2 && box.x + box.w <= size.w - 2 && box.y + box.h <= size.h - 2;
    let placed = 0;
    for (const item of items) {
      if (placed >= MAX_LABELS && !item.forced) break;
      let text = item.text;
      let width = ctx.measureText(text).width;
      const spots = (w) => item.centered ? [
        { x: item.x - w / 2, y: item.y - 7, w, h: 14, owner: item.owner },
        { x: item.x - w / 2, y: item.y + 9, w, h: 14, owner: item.owner },
        { x: item.x - w / 2, y: item.y - 23, w, h: 14, owner: item.owner },
      ] : [
        { x: item.x + item.r + 3, y: item.y - 7, w, h: 14, owner: item.owner },
        { x: item.x - item.r - 3 - w, y: item.y - 7, w, h: 14, owner: item.owner },
        { x: item.x - w / 2, y: item.y + item.r + 2, w, h: 14, owner: item.owner },
        { x: item.x - w / 2, y: item.y - item.r - 16, w, h: 14, owner: item.owner },
      ];
      let spot = spots(width).find((box) => inside(box) && !taken.collides(box));
      if (!spot && item.forced) {
        // Further out, then over discs, then shortened: never over another name.
        const far = (w) => spots(w).concat([-1, 1].flatMap((dy) => [
          { x: item.x + item.r + 3, y: item.y - 7 + dy * 15, w, h: 14, owner: item.owner },
          { x: item.x - item.r - 3 - w, y: item.y - 7 + dy * 15, w, h: 14, owner: item.owner },
          { x: item.x - w / 2, y: item.y - 7 + dy * (item.r + 24), w, h: 14, owner: item.owner },
        ]));
        spot = far(width).find((box) => inside(box) && !taken.collides(box))
          || far(width).find((box) => inside(box) && !taken.collides(box, true));
        while (!spot && text.length > 6) {
          text = `${text.slice(0, Math.max(4, text.length - 4))}…`;
          width = ctx.measureText(text).width;
          spot = far(width).find((box) => inside(box) && !taken.collides(box, true));
        }
      }
      if (!spot) continue;
      taken.add(spot);
      lastLabels.push({ text, x: spot.x, y: spot.y, w: spot.w, h: spot.h });
      ctx.lineWidth = 3; ctx.strokeStyle = "rgba(255,255,255,0.9)";
      ctx.strokeText(text, spot.x, spot.y + 7);
      ctx.fillStyle = item.colour || "#222222";
      ctx.fillText(text, spot.x, spot.y + 7);
      placed++;
    }
  }
  const shortName = (text, most = 40) => (text.length > most ? `${text.slice(0, most - 1)}…` : text);
  function groupTitle(index) {
    const group = groups[index];
    if (group.kind === "unconnected") return `${scene.groupMembers[index].toLocaleString("en")} without relations`;
    const names = [];
    for (const i of group.members) {
      if (!nodeVisible(i)) continue;
      names.push(shortName(g.names[i], 24));
      if (names.length === 2) break;
    }
    const label = group.kind === "small" ? "small groups: " : "";
    return `${label}${names.join(", ")} · ${scene.groupMembers[index].toLocaleString("en")}`;
  }

  let frame = 0;
  let drawnOnce = null;
  const drawn = new Promise((resolve) => { drawnOnce = resolve; });
  function draw() {
    frame = 0;
    // Communities open by themselves when zoomed in far enough.
    if (scene.overview && groups.some((group, index) => scene.groupMembers[index] > 0 && !state.open.has(index)
      && scene.closed[index] === openedByZoom(group))) buildScene();
    ctx.clearRect(0, 0, size.w, size.h);
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, size.w, size.h);
    const dim = !!state.path;
    // Relations, one path per colour, width and dash.
    const strokes = new Map();
    const arrows = scene.bundles.length <= 4000;
    for (const b of scene.bundles) {
      if (b.a === b.b) continue;
      const onPath = dim && b.type >= 0 && b.members.some((k) => state.path.edges.has(k));
      const count = b.members.length;
      let color, width, dash = null;
      if (b.type < 0) {
        // Between communities: light, and only the links that carry a few relations when
        // there are many; from an entity to a closed community, fainter still.
        if (scene.bundles.length > 300 && count < 3) continue;
        const toEntity = b.a < n || b.b < n;
        color = dim ? "rgba(180,180,180,0.2)" : toEntity ? "rgba(110,110,110,0.12)" : "rgba(110,110,110,0.35)";
        width = toEntity ? 0.7 : Math.min(6, 0.5 + Math.log2(count) * 0.5);
      } else {
        const type = types[b.type];
        color = onPath ? "#111111" : dim ? "#e4e4e4" : type.color || "#a8a8a8";
        width = (1 + Math.log2(count)) * (onPath ? 2 : 1);
        dash = DASHES[type.line] || null;
      }
      const key = `${color}|${width}|${onPath}|${dash}`;
      if (!strokes.has(key)) strokes.set(key, { color, width, onPath, dash, list: [], typed: b.type >= 0 });
      strokes.get(key).list.push(b);
    }
    const ordered = Array.from(strokes.values()).sort((a, b) => a.onPath - b.onPath || a.typed - b.typed);
    // Thousands of relations drawn at once read as a texture, not a black mass.
    const typedCount = scene.bundles.length;
    const crowd = typedCount > 10000 ? 0.15 : typedCount > 2000 ? 0.3 : 1;
    for (const s of ordered) {
      ctx.globalAlpha = s.typed && !s.onPath ? crowd : 1;
      ctx.strokeStyle = s.color;
      ctx.fillStyle = s.color;
      ctx.lineWidth = s.width;
      ctx.setLineDash(s.dash || []);
      ctx.beginPath();
      for (const b of s.list) {
        ctx.moveTo(screenX(posX(b.a)), screenY(posY(b.a)));
        ctx.lineTo(screenX(posX(b.b)), screenY(posY(b.b)));
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (!arrows || !s.typed) continue;
      ctx.beginPath();
      for (const b of s.list) {
        const x1 = screenX(posX(b.a)), y1 = screenY(posY(b.a));
        const x2 = screenX(posX(b.b)), y2 = screenY(posY(b.b));
        const length = Math.hypot(x2 - x1, y2 - y1);
        if (length < 1 || b.b >= n) continue;
        const ux = (x2 - x1) / length, uy = (y2 - y1) / length;
        const tipX = x2 - ux * (screenRadius(b.b) + 1), tipY = y2 - uy * (screenRadius(b.b) + 1);
        const back = 6 + s.width;
        ctx.moveTo(tipX, tipY);
        ctx.lineTo(tipX - ux * back - uy * back * 0.45, tipY - uy * back + ux * back * 0.45);
        ctx.lineTo(tipX - ux * back + uy * back * 0.45, tipY - uy * back - ux * back * 0.45);
        ctx.closePath();
      }
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    // Communities: discs as large as their layout, in the colour of their commonest kind.
    for (const index of scene.groupsDrawn) {
      const group = groups[index];
      const x = screenX(group.x), y = screenY(group.y), r = Math.max(5, group.r * camera.scale);
      if (x < -r || y < -r || x > size.w + r || y > size.h + r) continue;
      const colour = group.kind === "community" ? kinds[groupKind[index]].color : "#9a9a9a";
      ctx.beginPath();
      ctx.arc(x, y, r, 0, Math.PI * 2);
      // Opaque, so that the lines between communities end at their edge.
      ctx.fillStyle = "#ffffff";
      ctx.fill();
      ctx.globalAlpha = dim ? 0.08 : 0.22;
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.globalAlpha = dim ? 0.3 : 0.85;
      ctx.strokeStyle = colour;
      ctx.lineWidth = 1.5;
      ctx.setLineDash(group.kind === "community" ? [] : [4, 3]);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.globalAlpha = 1;
    }
    // Entities, one path per shape and fill.
    const fills = new Map();
    for (const i of scene.nodesDrawn) {
      const key = `${g.kind[i]}|${fillOf(i)}`;
      if (!fills.has(key)) fills.set(key, { kind: g.kind[i], fill: fillOf(i), list: [] });
      fills.get(key).list.push(i);
    }
    for (const { kind, fill, list } of fills.values()) {
      ctx.beginPath();
      const shape = shapes[kind];
      for (const i of list) {
        const x = screenX(g.x[i]), y = screenY(g.y[i]);
        if (x < -20 || y < -20 || x > size.w + 20 || y > size.h + 20) continue;
        trace(shape, x, y, screenRadius(i));
      }
      ctx.fillStyle = dim ? "#d8d8d8" : fill;
      ctx.fill();
      if (list.length < 3000) { ctx.strokeStyle = "#ffffff"; ctx.lineWidth = 1; ctx.stroke(); }
    }
    // The path on top, even through closed communities.
    if (dim) {
      ctx.strokeStyle = "#111111"; ctx.lineWidth = 3;
      ctx.beginPath();
      for (const k of state.path.edges) {
        ctx.moveTo(screenX(g.x[g.s[k]]), screenY(g.y[g.s[k]]));
        ctx.lineTo(screenX(g.x[g.t[k]]), screenY(g.y[g.t[k]]));
      }
      ctx.stroke();
      for (const i of state.path.nodes) {
        const x = screenX(g.x[i]), y = screenY(g.y[i]);
        ctx.beginPath();
        trace(shapes[g.kind[i]], x, y, Math.max(5, screenRadius(i)) + 1);
        ctx.fillStyle = fillOf(i);
        ctx.fill();
        ctx.strokeStyle = "#111111"; ctx.lineWidth = 2; ctx.stroke();
      }
    }
    if (state.selected >= 0 && nodeVisible(state.selected)) {
      const i = state.selected;
      ctx.beginPath();
      ctx.arc(screenX(g.x[i]), screenY(g.y[i]), Math.max(5, screenRadius(i)) + 4, 0, Math.PI * 2);
      ctx.strokeStyle = "#111111"; ctx.lineWidth = 2; ctx.stroke();
    }
    // Labels: the selection, the path and the most connected first, always; then the rest
    // by number of neighbours where they fit. Communities by size.
    const items = [];
    // A path's names are always shown; an answer of hundreds (a Cypher query's, served live)
    // would bury the drawing in names, so past FORCED_NAMES it is named where names fit.
    const marked = dim ? state.path.nodes : new Set();
    const forced = new Set(marked.size <= FORCED_NAMES ? marked : []);
    if (state.selected >= 0 && nodeVisible(state.selected)) forced.add(state.selected);
    const drawnSet = scene.overview ? new Set(scene.nodesDrawn) : null;
    const isDrawn = (i) => nodeVisible(i) && (!drawnSet || drawnSet.has(i) || forced.has(i) || marked.has(i));
    const onScreen = (i) => {
      const x = screenX(g.x[i]), y = screenY(g.y[i]);
      return x >= 0 && y >= 0 && x <= size.w && y <= size.h;
    };
    let hubs = 0;
    for (const i of byNeighbours) {
      if (hubs >= 6) break;
      if (!isDrawn(i) || forced.has(i) || (drawnSet && !drawnSet.has(i)) || !onScreen(i)) continue;
      forced.add(i); hubs++;
    }
    const labelOf = (i, isForced) => ({ x: screenX(g.x[i]), y: screenY(g.y[i]), r: screenRadius(i), text: shortName(g.names[i]), forced: isForced, owner: i });
    for (const i of forced) {
      const x = screenX(g.x[i]), y = screenY(g.y[i]);
      if (x >= 0 && y >= 0 && x <= size.w && y <= size.h) items.push(labelOf(i, true));
    }
    scene.groupsDrawn.slice().sort((a, b) => scene.groupMembers[b] - scene.groupMembers[a]).forEach((index, rank) => {
      const group = groups[index];
      const x = screenX(group.x), y = screenY(group.y);
      if (x < 0 || y < 0 || x > size.w || y > size.h) return;
      items.push({ x, y, r: 0, text: groupTitle(index), forced: rank < 8, colour: "#333333", owner: -1 - index, centered: true });
    });
    for (const i of byNeighbours) {
      if (items.length >= MAX_LABELS * 2) break;
      if (forced.has(i) || !isDrawn(i) || (drawnSet && !drawnSet.has(i) && !marked.has(i))) continue;
      const x = screenX(g.x[i]), y = screenY(g.y[i]);
      if (x < 0 || y < 0 || x > size.w || y > size.h) continue;
      if (dim) continue;
      items.push(labelOf(i, false));
    }
    // Names never cover another entity's disc (only the discs large enough to matter).
    const discs = [];
    for (const i of scene.nodesDrawn) {
      const r = screenRadius(i);
      if (r < 4) continue;
      const x = screenX(g.x[i]), y = screenY(g.y[i]);
      if (x < -r || y < -r || x > size.w + r || y > size.h + r) continue;
      discs.push({ x: x - r, y: y - r, w: 2 * r, h: 2 * r, owner: i, disc: true });
    }
    placeLabels(items, discs);
    drawnOnce();
  }
  function schedule() { if (!frame) frame = requestAnimationFrame(draw); }
  function rebuild() { buildScene(); schedule(); updateStatus(); }

  // ---- pointer: drag to pan, wheel to zoom at the pointer, click to select or open -----
  function nodeAt(sx, sy) {
    let best = -1, bestDistance = Infinity;
    const check = (i) => {
      const d = Math.hypot(screenX(g.x[i]) - sx, screenY(g.y[i]) - sy);
      if (d <= Math.max(4, screenRadius(i)) + 3 && d < bestDistance) { best = i; bestDistance = d; }
    };
    for (const i of scene.nodesDrawn) check(i);
    if (state.path) for (const i of state.path.nodes) check(i);
    return best;
  }
  function groupAt(sx, sy) {
    let best = -1, bestRadius = Infinity;
    for (const index of scene.groupsDrawn) {
      const group = groups[index];
      const r = Math.max(5, group.r * camera.scale);
      if (Math.hypot(screenX(group.x) - sx, screenY(group.y) - sy) <= r && r < bestRadius) { best = index; bestRadius = r; }
    }
    return best;
  }
  function bundleAt(sx, sy) {
    let best = null, bestDistance = 5;
    for (const b of scene.bundles) {
      if (b.a === b.b || b.type < 0) continue;
      const x1 = screenX(posX(b.a)), y1 = screenY(posY(b.a));
      const dx = screenX(posX(b.b)) - x1, dy = screenY(posY(b.b)) - y1;
      const length2 = dx * dx + dy * dy;
      const t = length2 ? Math.max(0, Math.min(1, ((sx - x1) * dx + (sy - y1) * dy) / length2)) : 0;
      const d = Math.hypot(x1 + t * dx - sx, y1 + t * dy - sy);
      if (d < bestDistance) { best = b; bestDistance = d; }
    }
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
    if (i >= 0) { api.select(g.ids[i]); return; }
    const index = groupAt(event.offsetX, event.offsetY);
    if (index >= 0) { api.open(index); return; }
    const b = bundleAt(event.offsetX, event.offsetY);
    if (b) showBundle(b);
  });

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
  function provenance(k) {
    const attributes = R.relationJson(g, k).attributes;
    const lines = [];
    for (const key of ["source", "note"]) if (attributes[key] !== undefined) lines.push(`${key}: ${attributes[key]}`);
    lines.push(R.origin(g, k));
    return lines.join("\n");
  }
  function relationLine(k, from) {
    const row = el("div", null, "relation");
    const out = g.s[k] === from;
    const other = out ? g.t[k] : g.s[k];
    const when = R.dates(g, k);
    row.appendChild(el("span", `${out ? "→" : "←"} ${types[g.type[k]].label}${when ? ` (${when})` : ""} `));
    const link = el("a", g.names[other]);
    link.href = "#";
    link.addEventListener("click", (event) => { event.preventDefault(); api.select(g.ids[other]); reveal(other); });
    row.appendChild(link);
    const prov = provenance(k);
    row.appendChild(el("div", prov, "prov"));
    row.title = prov;
    return row;
  }
  function timeWords() {
    if (state.spec.asOf !== undefined && state.spec.asOf !== null) return `in force in ${state.spec.asOf}`;
    if (state.spec.between) return `in force between ${String(state.spec.between).replace("..", " and ")}`;
    return null;
  }
  function showEntity(i) {
    const info = R.show(g, i, state.days);
    panel.replaceChildren();
    panel.appendChild(el("h2", info.name));
    panel.appendChild(el("p", `${kinds[g.kind[i]].label} · ${info.id}`, "muted"));
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
    const all = g.incidentStart[i + 1] - g.incidentStart[i];
    const when = timeWords();
    const heading = when
      ? `${info.relations.length} of ${all} relation${all === 1 ? "" : "s"} ${when}`
      : `${info.relations.length} relation${info.relations.length === 1 ? "" : "s"}`;
    panel.appendChild(el("h3", heading));
    for (const relation of info.relations) panel.appendChild(relationLine(g.edgeIndex.get(relation.id), i));
    return info;
  }
  function showBundle(b) {
    panel.replaceChildren();
    panel.appendChild(el("h2", `${g.names[b.a]} → ${g.names[b.b]}`));
    panel.appendChild(el("p", `${types[b.type].label} ×${b.members.length}`, "muted"));
    for (const k of b.members) panel.appendChild(relationLine(k, b.a));
  }
  function hover(sx, sy) {
    const onNode = nodeAt(sx, sy) >= 0;
    const onGroup = !onNode && groupAt(sx, sy) >= 0;
    const b = onNode || onGroup ? null : bundleAt(sx, sy);
    if (!b) {
      tooltip.style.display = "none";
      canvas.style.cursor = onNode || onGroup ? "pointer" : "default";
      return;
    }
    canvas.style.cursor = "pointer";
    tooltip.textContent = b.members.slice(0, 20).map((k) => {
      const when = R.dates(g, k);
      return `${g.names[g.s[k]]} → ${g.names[g.t[k]]}: ${types[g.type[k]].label}${when ? ` (${when})` : ""}\n${provenance(k)}`;
    }).join("\n\n") + (b.members.length > 20 ? `\n\n… and ${b.members.length - 20} more` : "");
    tooltip.style.left = `${sx + 12}px`;
    tooltip.style.top = `${sy + 12}px`;
    tooltip.style.display = "block";
  }
  // Brings entity i into sight: opens its community and centres it.
  function reveal(i) {
    if (groupOf[i] >= 0 && scene.closed[groupOf[i]]) state.open.add(groupOf[i]);
    camera.x = g.x[i]; camera.y = g.y[i];
    if (scene.overview || camera.scale < 0.5) camera.scale = Math.max(camera.scale, 1);
    rebuild();
  }

  // ---- controls ------------------------------------------------------------------------
  const status = document.getElementById("status");
  function updateStatus() {
    let edgesShown = 0;
    for (let k = 0; k < m; k++) if (edgeVisible(k)) edgesShown++;
    const drawnGroups = scene.groupsDrawn.length;
    status.textContent = `${scene.shown.toLocaleString("en")} entities, ${edgesShown.toLocaleString("en")} relations`
      + (drawnGroups ? ` · ${drawnGroups} communities drawn as discs: click one to open it` : "");
  }

  // A list of entities under a text field, as `ties find` ranks them: click or Enter picks.
  function suggestions(input, list, pick) {
    input.addEventListener("input", () => {
      list.replaceChildren();
      if (!input.value.trim()) return;
      for (const hit of R.search(g, input.value.trim(), 8)) {
        const li = el("li", hit.name);
        li.appendChild(el("span", ` ${hit.kind} · ${hit.id}`, "kind"));
        li.addEventListener("mousedown", (event) => { event.preventDefault(); pick(hit); list.replaceChildren(); });
        list.appendChild(li);
      }
    });
    input.addEventListener("blur", () => setTimeout(() => list.replaceChildren(), 150));
  }
  const searchBox = document.getElementById("search");
  const hitList = document.getElementById("hits");
  suggestions(searchBox, hitList, (hit) => { api.select(hit.id); reveal(g.nodeIndex.get(hit.id)); });
  searchBox.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    const first = hitList.querySelector("li");
    if (first) first.dispatchEvent(new MouseEvent("mousedown"));
  });

  function swatchShape(mark, shape) {
    const clip = {
      square: "none", diamond: "polygon(50% 0,100% 50%,50% 100%,0 50%)",
      triangle: "polygon(50% 0,100% 100%,0 100%)", hexagon: "polygon(25% 0,75% 0,100% 50%,75% 100%,25% 100%,0 50%)",
    }[outline(shape)];
    if (clip) { mark.style.borderRadius = "0"; if (clip !== "none") mark.style.clipPath = clip; }
  }
  function strokeMark(type) {
    const mark = el("span", null, "stroke");
    mark.style.borderTopColor = type.color || "#9a9a9a";
    if (type.line === "dashed" || type.line === "dotted") mark.style.borderTopStyle = type.line;
    return mark;
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
      let mark;
      if (kindOfItem === "kind") { mark = el("span", null, "swatch"); mark.style.background = item.color; swatchShape(mark, item.shape); }
      else mark = strokeMark(item);
      label.appendChild(mark);
      label.appendChild(document.createTextNode(item.label));
      box.appendChild(label);
    });
  }
  checkboxes("kinds", kinds, "kind");
  checkboxes("types", types, "type");

  // The years the relations span, for the time slider (a loop, not a spread over them all).
  let firstDay = Infinity, lastDay = -Infinity;
  for (let k = 0; k < m; k++) {
    if (isFinite(g.first[k])) { firstDay = Math.min(firstDay, g.first[k]); lastDay = Math.max(lastDay, g.first[k]); }
    if (isFinite(g.last[k])) { firstDay = Math.min(firstDay, g.last[k]); lastDay = Math.max(lastDay, g.last[k]); }
  }
  const yearOf = (day) => new Date(day * 86400000).getUTCFullYear();
  const firstYear = isFinite(firstDay) ? yearOf(firstDay) : 2000;
  const lastYear = isFinite(lastDay) ? yearOf(lastDay) : 2000;
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

  // Paths: the answer as a list of relations with their evidence, not only a highlight.
  const pathFrom = document.getElementById("path-from");
  const pathTo = document.getElementById("path-to");
  const pathResult = document.getElementById("path-result");
  suggestions(pathFrom, document.getElementById("path-from-hits"), (hit) => { pathFrom.value = hit.name; });
  suggestions(pathTo, document.getElementById("path-to-hits"), (hit) => { pathTo.value = hit.name; });
  // The answer in the panel, where there is room: each relation of each path in order, with
  // its type, dates, source, note and file:line, the evidence a journalist cites.
  function showPaths(found, walked) {
    const count = found.paths.length;
    const lengths = count ? found.paths[0].length : 0;
    const summary = `${count}${found.truncated ? "+" : ""} path${count === 1 ? "" : "s"} of ${lengths} relation${lengths === 1 ? "" : "s"}`;
    pathResult.replaceChildren(el("p", `${summary}; the evidence is in the panel`, "summary"));
    panel.replaceChildren();
    const ends = found.paths[0].nodes;
    panel.appendChild(el("h2", `${ends[0].name} to ${ends[ends.length - 1].name}`));
    panel.appendChild(el("p", summary + (found.chronological ? ", in time order" : ""), "muted"));
    const list = el("ol", null, "paths");
    walked.slice(0, 20).forEach(([ns, es]) => {
      const item = el("li");
      for (const step of R.evidence(g, ns, es)) {
        const row = el("div", null, "step");
        row.appendChild(el("div", `${step.from} ${step.forward ? "—" : "←"}${step.type}${step.dates ? ` (${step.dates})` : ""}${step.forward ? "→" : "—"} ${step.to}`, "hop"));
        const cited = [step.source && `source: ${step.source}`, step.note && `note: ${step.note}`, step.origin].filter(Boolean).join("\n");
        row.appendChild(el("div", cited, "prov"));
        item.appendChild(row);
      }
      if (!es.length) item.appendChild(el("div", "the same entity at both ends", "hop"));
      list.appendChild(item);
    });
    panel.appendChild(list);
    if (walked.length > 20) panel.appendChild(el("p", `and ${walked.length - 20} more paths; ties path --all lists every one`, "muted"));
  }
  function runPath() {
    for (const list of ["path-from-hits", "path-to-hits"]) document.getElementById(list).replaceChildren();
    const chronological = document.getElementById("path-chronological").checked;
    const opts = Object.assign({}, state.spec, chronological ? { chronological } : { all: document.getElementById("path-all").checked });
    let found;
    try {
      found = api.path(pathFrom.value, pathTo.value, opts);
    } catch (error) {
      api.clearPath();
      pathResult.replaceChildren(el("p", error.message, "error"));
      return;
    }
    if (!found.paths.length) {
      pathResult.replaceChildren(el("p", `No ${chronological ? "time-ordered " : ""}path with these filters.`));
      return;
    }
    showPaths(found, lastWalk);
    for (const i of state.path.nodes) if (groupOf[i] >= 0) state.open.add(groupOf[i]);
    fit(Array.from(state.path.nodes));
    rebuild();
  }
  document.getElementById("path-go").addEventListener("click", runPath);
  for (const input of [pathFrom, pathTo]) input.addEventListener("keydown", (event) => { if (event.key === "Enter") runPath(); });
  document.getElementById("path-clear").addEventListener("click", () => { api.clearPath(); pathResult.replaceChildren(); });
  document.getElementById("focus-go").addEventListener("click", () => {
    if (state.selected >= 0) api.focus(g.ids[state.selected], Number(document.getElementById("focus-depth").value) || 1);
  });
  document.getElementById("focus-clear").addEventListener("click", () => { api.focus(null); state.open.clear(); fit(); rebuild(); });

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
    item.append(strokeMark(t), document.createTextNode(t.label));
    legend.appendChild(item);
  }

  function xml(text) {
    return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  }
  // The drawn view as SVG, in the page's layout and colours: entities and communities as
  // drawn, relations as lines.
  function pictureSvg() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    const grow = (x, y, r) => { x0 = Math.min(x0, x - r); x1 = Math.max(x1, x + r); y0 = Math.min(y0, -y - r); y1 = Math.max(y1, -y + r); };
    for (const i of scene.nodesDrawn) grow(g.x[i], g.y[i], radius[i]);
    for (const index of scene.groupsDrawn) grow(groups[index].x, groups[index].y, groups[index].r);
    if (!isFinite(x0)) { x0 = 0; y0 = 0; x1 = 0; y1 = 0; }
    const pad = 80;
    x0 -= pad; y0 -= pad;
    const w = x1 - x0 + pad, h = y1 - y0 + pad;
    const parts = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x0} ${y0} ${w} ${h}" width="${Math.round(w)}" height="${Math.round(h)}" font-family="Helvetica,Arial,sans-serif">`, `<rect x="${x0}" y="${y0}" width="${w}" height="${h}" fill="white"/>`];
    for (const b of scene.bundles) {
      if (b.a === b.b) continue;
      const colour = b.type >= 0 ? types[b.type].color || "#9a9a9a" : "#c9c9c9";
      const dash = b.type >= 0 && DASHES[types[b.type].line] ? ` stroke-dasharray="${DASHES[types[b.type].line].join(",")}"` : "";
      const title = b.type >= 0 ? `${types[b.type].label} ×${b.members.length}` : `${b.members.length} relations`;
      parts.push(`<line x1="${posX(b.a)}" y1="${-posY(b.a)}" x2="${posX(b.b)}" y2="${-posY(b.b)}" stroke="${xml(colour)}" stroke-width="${1 + Math.log2(b.members.length)}"${dash}><title>${xml(title)}</title></line>`);
    }
    for (const index of scene.groupsDrawn) {
      const group = groups[index];
      parts.push(`<circle cx="${group.x}" cy="${-group.y}" r="${group.r}" fill="${xml(kinds[groupKind[index]].color)}" fill-opacity="0.2" stroke="#888"><title>${xml(groupTitle(index))}</title></circle>`);
      parts.push(`<text x="${group.x}" y="${-group.y}" font-size="11" text-anchor="middle">${xml(groupTitle(index))}</text>`);
    }
    for (const i of scene.nodesDrawn) {
      const r = radius[i];
      parts.push(`<circle cx="${g.x[i]}" cy="${-g.y[i]}" r="${r}" fill="${xml(fillOf(i))}"><title>${xml(g.names[i])}</title></circle>`);
      parts.push(`<text x="${g.x[i] + r + 2}" y="${-g.y[i] + 4}" font-size="11">${xml(g.names[i])}</text>`);
    }
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
      const picture = document.createElement("canvas");
      picture.width = image.width; picture.height = image.height;
      picture.getContext("2d").drawImage(image, 0, 0);
      picture.toBlob((blob) => download("ties-view.png", blob));
    };
    image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(pictureSvg())}`;
  });

  // ---- the script interface ------------------------------------------------------------
  function ids(flags, names) {
    const out = [];
    for (let i = 0; i < flags.length; i++) if (flags[i]) out.push(names(i));
    return out;
  }
  function apply(spec) {
    state.spec = spec || {};
    state.days = R.timeDays(state.spec);
    state.view = R.selectView(g, state.spec);
    rebuild();
    if (state.selected >= 0) showEntity(state.selected);
    return { nodes: ids(state.view.nodes, (i) => g.ids[i]), edges: ids(state.view.edges, (k) => `e${g.number[k]}`) };
  }
  let lastWalk = [];
  const LOOKS = { size: ["degree", "pagerank"], colour: ["kind", "community"] };

  const api = {
    /** Resolves once the graph is drawn. */
    ready: null,
    /** Entities whose id or name contains `text`, ranked as `ties find` ranks them. */
    search: (text, limit = 20) => R.search(g, text, limit),
    /** The entity panel's data, as `ties show ID --format json` (only the relations in force
     * under the time filter, when one is set; file paths inside the data folder); shows it. */
    select(id) {
      const i = g.nodeIndex.get(id);
      if (i === undefined) return null;
      state.selected = i;
      schedule();
      return showEntity(i);
    },
    /** Filters the drawing as `ties export` selects a view; `filter({})` resets. */
    filter(spec) { return apply(spec || {}); },
    /** Paths as `ties path --format json`, between ids or exact names (`{all: true}` for
     * every shortest, up to `limit`, 1000 by default; `{chronological: true}` for one in
     * time order); highlighted. */
    path(from, to, opts = {}) {
      state.path = null;
      const { json, walked } = R.pathJson(g, from, to, opts);
      lastWalk = walked;
      if (walked.length) {
        state.path = { nodes: new Set(), edges: new Set() };
        for (const [ns, es] of walked) { ns.forEach((i) => state.path.nodes.add(i)); es.forEach((k) => state.path.edges.add(k)); }
      }
      schedule();
      return json;
    },
    /** Removes the highlighted path. */
    clearPath() { state.path = null; lastWalk = []; schedule(); },
    /** Shows only what lies within `depth` visible relations of `id`; `focus(null)` resets. */
    focus(id, depth = 1) {
      if (id === null || id === undefined) { state.focus = null; state.focusSet = null; rebuild(); return api.visible(); }
      const start = g.nodeIndex.get(id);
      if (start === undefined) return null;
      state.focusSet = null;
      const seen = new Set([start]);
      let frontier = [start];
      for (let d = 0; d < depth; d++) {
        const next = [];
        for (const v of frontier) {
          for (let p = g.incidentStart[v]; p < g.incidentStart[v + 1]; p++) {
            const k = g.incident[p];
            if (!edgeVisible(k)) continue;
            const w = g.s[k] === v ? g.t[k] : g.s[k];
            if (!seen.has(w)) { seen.add(w); next.push(w); }
          }
        }
        frontier = next;
      }
      state.focus = { id, depth };
      state.focusSet = seen;
      buildScene();
      fit(Array.from(seen));
      rebuild();
      return api.visible();
    },
    /** What the view holds now: entity ids and relation ids (`e<N>`). */
    visible() {
      const nodes = [], edges = [];
      for (let i = 0; i < n; i++) if (nodeVisible(i)) nodes.push(g.ids[i]);
      for (let k = 0; k < m; k++) if (edgeVisible(k)) edges.push(`e${g.number[k]}`);
      return { nodes, edges };
    },
    /** The communities as drawn: `{size, names, open, x, y, r}` each (size in view, the two
     * most connected names, whether it is open, its disc on screen); empty below the overview. */
    groups() {
      return groups.map((group, index) => ({
        kind: group.kind, size: scene.groupMembers[index], open: !scene.closed[index],
        names: group.members.filter(nodeVisible).slice(0, 3).map((i) => g.names[i]),
        x: screenX(group.x), y: screenY(group.y), r: group.r * camera.scale,
      }));
    },
    /** Opens community `index` into its members and zooms to it. */
    open(index) {
      const group = groups[index];
      if (!group) throw new Error(`no community ${index}`);
      state.open.add(index);
      camera.x = group.x; camera.y = group.y;
      camera.scale = Math.min(size.w, size.h) * 0.45 / Math.max(group.r, 1);
      rebuild();
      return api.groups()[index];
    },
    /** The drawn view as an SVG document. */
    svg: pictureSvg,
    /** The names drawn in the last frame, each with its box on the canvas (pixels). */
    labels: () => lastLabels.map((label) => ({ ...label })),
    /** The highlighted path's entity and relation ids (empty when none is). */
    highlighted() {
      if (!state.path) return { nodes: [], edges: [] };
      return {
        nodes: Array.from(state.path.nodes, (i) => g.ids[i]),
        edges: Array.from(state.path.edges, (k) => `e${g.number[k]}`),
      };
    },
    /** The canvas's size in pixels. */
    size: () => ({ width: size.w, height: size.h }),
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
  /** Sizes entities by `degree` or `pagerank` and colours them (`color`, as ties.toml spells
   * it, or `colour`) by `kind` or `community`; refuses anything else. Returns the look. */
  api.look = (spec = {}) => {
    const wanted = {};
    for (const [key, value] of Object.entries(spec)) {
      const name = key === "color" ? "colour" : key;
      if (!LOOKS[name]) throw new Error(`look: unknown setting \`${key}\` (size, color)`);
      if (!LOOKS[name].includes(value)) throw new Error(`look: ${key} \`${value}\` is not one of ${LOOKS[name].join(", ")}`);
      wanted[name] = value;
    }
    if (wanted.size === "pagerank" && !hasMetric("pagerank")) throw new Error("this page has no PageRank: build with --metrics pagerank");
    if (wanted.colour === "community" && !hasMetric("community")) throw new Error("this page has no communities: build with --metrics communities");
    Object.assign(look, wanted);
    if (sizeBy) { sizeBy.value = look.size; colourBy.value = look.colour; }
    sizeNodes();
    legendForLook();
    schedule();
    return { size: look.size, color: look.colour };
  };
  // ---- live: a Cypher box when `ties serve --http` serves the page ------------------------
  // Offline (file://) the page makes no request at all; served, it asks the server that
  // served it, and highlights the entities and relations of the answer.
  const live = location.protocol === "http:" || location.protocol === "https:";
  let relationIndex = null;
  const highlightAnswer = (answer) => {
    if (!relationIndex) {
      relationIndex = new Map();
      for (let k = 0; k < m; k++) relationIndex.set(`e${g.number[k]}`, k);
    }
    const marked = { nodes: new Set(), edges: new Set() };
    const visit = (value) => {
      if (Array.isArray(value)) { value.forEach(visit); return; }
      if (!value || typeof value !== "object") return;
      if ("kind" in value && "id" in value && g.nodeIndex.has(value.id)) marked.nodes.add(g.nodeIndex.get(value.id));
      if ("from" in value && "to" in value && relationIndex.has(value.id)) marked.edges.add(relationIndex.get(value.id));
      Object.values(value).forEach(visit);
    };
    answer.rows.forEach(visit);
    state.path = marked.nodes.size || marked.edges.size ? marked : null;
    schedule();
    return { nodes: Array.from(marked.nodes, (i) => g.ids[i]), edges: Array.from(marked.edges, (k) => `e${g.number[k]}`) };
  };
  /** Served pages only: runs Cypher on the server (`POST /query`, the JSON of `ties query
   * --format json`) and highlights what the answer holds. */
  api.query = async (text, params = {}) => {
    if (!live) throw new Error("the Cypher box needs the page served by `ties serve --http`");
    const response = await fetch("query", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ query: text, params }),
    });
    const answer = await response.json();
    if (!response.ok) throw new Error(answer.error ? `${answer.error.code}: ${answer.error.message}` : response.statusText);
    answer.highlighted = highlightAnswer(answer);
    return answer;
  };
  if (live) {
    const box = document.getElementById("cypher");
    const text = document.getElementById("cypher-text");
    const result = document.getElementById("cypher-result");
    box.hidden = false;
    const cell = (value) => {
      if (value === null || value === undefined) return "";
      if (typeof value !== "object") return String(value);
      if ("kind" in value && "name" in value) return value.name;
      if ("type" in value && "from" in value) return `[:${value.type}]`;
      if (Array.isArray(value.nodes) && Array.isArray(value.edges)) return value.nodes.map((node) => node.name).join(" – ");
      return JSON.stringify(value);
    };
    const run = async () => {
      result.textContent = "…";
      try {
        const answer = await api.query(text.value);
        const table = document.createElement("table");
        const head = table.createTHead().insertRow();
        answer.columns.forEach((c) => { head.insertCell().textContent = c; });
        const body = table.createTBody();
        answer.rows.slice(0, 200).forEach((row) => {
          const tr = body.insertRow();
          answer.columns.forEach((c) => { tr.insertCell().textContent = cell(row[c]); });
        });
        result.replaceChildren(table, document.createTextNode(`${answer.rows.length} row${answer.rows.length === 1 ? "" : "s"}`));
      } catch (error) {
        result.textContent = error.message;
      }
    };
    document.getElementById("cypher-go").addEventListener("click", run);
    text.addEventListener("keydown", (event) => { if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run(); });
  }
  window.ties = api;

  new ResizeObserver(() => { resize(); schedule(); }).observe(container);
  resize();
  buildScene();
  fit();
  applyControls();
})();
