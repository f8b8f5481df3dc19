// The explorer's rules, apart from any drawing: the page's data decoded into arrays, and the
// CLI's answers computed from them (`ties find`, `ties show`, `--as-of`/`--between`,
// `ties export`'s views, `ties path` and `ties path --chronological`), so that the page and
// the command line agree. Nothing here touches the page; tests/explorer/rules.test.mjs runs
// it under Node. Every loop is over arrays, never a spread or a recursion over all entities or
// relations, so a page of 500,000 relations cannot overflow the stack.
const TiesRules = (function () {
  "use strict";

  // ---- dates: days since 1970-01-01, as the page's data gives them ----------------------

  // Howard Hinnant's days_from_civil, as src/model/date.rs computes it (Date.UTC would read
  // years 0 to 99 as 1900 to 1999).
  function dayNumber(year, month, day) {
    const y = year - (month <= 2 ? 1 : 0);
    const era = Math.floor(y / 400);
    const yearOfEra = y - era * 400;
    const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
    const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
    return era * 146097 + dayOfEra - 719468;
  }

  function daysInMonth(year, month) {
    if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
    return [4, 6, 9, 11].includes(month) ? 30 : 31;
  }

  // The first or last day a partial date (YYYY, YYYY-MM or YYYY-MM-DD) covers.
  function daysOf(text, side) {
    const match = /^(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(String(text).trim());
    if (!match) throw new Error(`\`${text}\` is not a date (use YYYY, YYYY-MM or YYYY-MM-DD)`);
    const year = Number(match[1]);
    const month = match[2] === undefined ? null : Number(match[2]);
    const day = match[3] === undefined ? null : Number(match[3]);
    if (month !== null && (month < 1 || month > 12)) throw new Error(`\`${text}\` is not a date`);
    if (side === "first") return dayNumber(year, month || 1, day || 1);
    const lastMonth = month || 12;
    return dayNumber(year, lastMonth, day || daysInMonth(year, lastMonth));
  }

  // The days a time spec covers: {asOf} or {between: "A..B" | [A, B]}, open sides as
  // infinities; null for no limit.
  function timeDays(spec) {
    if (!spec) return null;
    if (spec.asOf !== undefined && spec.asOf !== null) {
      return [daysOf(spec.asOf, "first"), daysOf(spec.asOf, "last")];
    }
    if (spec.between !== undefined && spec.between !== null) {
      const [a, b] = Array.isArray(spec.between) ? spec.between : String(spec.between).split("..");
      return [a ? daysOf(a, "first") : -Infinity, b ? daysOf(b, "last") : Infinity];
    }
    return null;
  }

  // ---- the data ------------------------------------------------------------------------

  // The page's columnar JSON (src/export/explorer.rs documents it) as typed arrays, with an
  // id index and each entity's relations in relation order (a CSR: `incident` from
  // `incidentStart[i]` to `incidentStart[i + 1]`).
  function decode(data) {
    const nodes = data.nodes, edges = data.edges;
    const n = nodes.id.length, m = edges.id.length;
    const g = {
      title: data.title, kinds: data.kinds, types: data.types, files: data.files,
      groups: data.groups || [],
      n, m,
      ids: nodes.id, names: nodes.name,
      kind: Int32Array.from(nodes.kind),
      x: Float64Array.from(nodes.x), y: Float64Array.from(nodes.y), r: Float64Array.from(nodes.r),
      nodeAttributes: nodes.attributes || {}, metrics: nodes.metrics || {},
      number: Int32Array.from(edges.id),
      s: Int32Array.from(edges.s), t: Int32Array.from(edges.t), type: Int32Array.from(edges.type),
      start: edges.start, end: edges.end, weight: edges.weight,
      first: Float64Array.from(edges.first, (d) => (d === null ? -Infinity : d)),
      last: Float64Array.from(edges.last, (d) => (d === null ? Infinity : d)),
      file: Int32Array.from(edges.file), line: Int32Array.from(edges.line),
      edgeAttributes: edges.attributes || {},
    };
    g.nodeIndex = new Map();
    for (let i = 0; i < n; i++) g.nodeIndex.set(g.ids[i], i);
    g.edgeIndex = new Map();
    for (let k = 0; k < m; k++) g.edgeIndex.set(`e${g.number[k]}`, k);
    const count = new Int32Array(n + 1);
    for (let k = 0; k < m; k++) {
      count[g.s[k] + 1]++;
      if (g.t[k] !== g.s[k]) count[g.t[k] + 1]++;
    }
    for (let i = 0; i < n; i++) count[i + 1] += count[i];
    const fill = count.slice(0, n);
    const incident = new Int32Array(count[n]);
    for (let k = 0; k < m; k++) {
      incident[fill[g.s[k]]++] = k;
      if (g.t[k] !== g.s[k]) incident[fill[g.t[k]]++] = k;
    }
    g.incidentStart = count;
    g.incident = incident;
    // Neighbours (distinct, relation direction ignored): what the page sizes entities by.
    const neighbours = new Int32Array(n);
    const seen = new Int32Array(n).fill(-1);
    for (let i = 0; i < n; i++) {
      for (let p = count[i]; p < count[i + 1]; p++) {
        const k = incident[p];
        const other = g.s[k] === i ? g.t[k] : g.s[k];
        if (other !== i && seen[other] !== i) { seen[other] = i; neighbours[i]++; }
      }
    }
    g.neighbours = neighbours;
    g.lowerIds = g.ids.map((id) => id.toLowerCase());
    g.lowerNames = g.names.map((name) => name.toLowerCase());
    return g;
  }

  // ---- entities and relations as the CLI's JSON shows them -----------------------------

  // Rust compares strings by code point; JavaScript by UTF-16 unit. Same for the BMP.
  function compareCodePoints(a, b) {
    const x = Array.from(a), y = Array.from(b);
    const shorter = Math.min(x.length, y.length);
    for (let i = 0; i < shorter; i++) {
      const d = x[i].codePointAt(0) - y[i].codePointAt(0);
      if (d !== 0) return d;
    }
    return x.length - y.length;
  }

  function entity(g, i) {
    return { id: g.ids[i], name: g.names[i], kind: g.kinds[g.kind[i]].name };
  }

  function columnsOf(columns, row) {
    const out = {};
    for (const name of Object.keys(columns)) {
      const value = columns[name][row];
      if (value !== null && value !== undefined) out[name] = value;
    }
    return out;
  }

  function origin(g, k) {
    return `${g.files[g.file[k]]}:${g.line[k]}`;
  }

  function relationJson(g, k) {
    return {
      id: `e${g.number[k]}`, from: g.ids[g.s[k]], to: g.ids[g.t[k]], type: g.types[g.type[k]].name,
      start: g.start[k], end: g.end[k], weight: g.weight[k], attributes: columnsOf(g.edgeAttributes, k),
    };
  }

  // `ties find`: exact matches, then prefixes, then substrings of id or name, each by id.
  function search(g, text, limit = 20) {
    const wanted = String(text).toLowerCase();
    const hits = [];
    for (let i = 0; i < g.n; i++) {
      let best = -1;
      for (const field of [g.lowerIds[i], g.lowerNames[i]]) {
        const rank = field === wanted ? 0 : field.startsWith(wanted) ? 1 : field.includes(wanted) ? 2 : -1;
        if (rank >= 0 && (best < 0 || rank < best)) best = rank;
      }
      if (best >= 0) hits.push([best, i]);
    }
    hits.sort((a, b) => a[0] - b[0] || compareCodePoints(g.ids[a[1]], g.ids[b[1]]));
    return hits.slice(0, limit).map(([, i]) => entity(g, i));
  }

  // An id, else an exact name (case-insensitive), as NODE arguments resolve: the entity's
  // index, or an error that says what went wrong (no such entity, or which ones share it).
  function resolve(g, text) {
    const given = String(text).trim();
    if (g.nodeIndex.has(given)) return g.nodeIndex.get(given);
    const wanted = given.toLowerCase();
    const named = [];
    for (let i = 0; i < g.n; i++) if (g.lowerNames[i] === wanted) named.push(i);
    if (named.length === 1) return named[0];
    if (named.length > 1) {
      const list = named.slice(0, 10).map((i) => `${g.ids[i]} (${g.names[i]})`).join(", ");
      throw new Error(`\`${given}\` matches ${named.length} entities: ${list}; pass the id instead of the name`);
    }
    throw new Error(`no entity with the id or name \`${given}\``);
  }

  // Whether relation k is in force on some of `days` (open sides always are).
  function inForce(g, k, days) {
    return !days || (g.first[k] <= days[1] && g.last[k] >= days[0]);
  }

  // `ties show ID --format json`: dated relations by their first day, then undated, each in
  // input order; with `days`, only the relations in force then.
  function show(g, i, days = null) {
    const order = [];
    for (let p = g.incidentStart[i]; p < g.incidentStart[i + 1]; p++) {
      const k = g.incident[p];
      if (inForce(g, k, days)) order.push(k);
    }
    order.sort((a, b) => {
      const da = isFinite(g.first[a]), db = isFinite(g.first[b]);
      if (da !== db) return da ? -1 : 1;
      if (da && g.first[a] !== g.first[b]) return g.first[a] - g.first[b];
      return g.number[a] - g.number[b];
    });
    return {
      id: g.ids[i], name: g.names[i], kind: g.kinds[g.kind[i]].name,
      attributes: columnsOf(g.nodeAttributes, i),
      relations: order.map((k) => Object.assign(relationJson(g, k), {
        direction: g.s[k] === i ? "out" : "in",
        origin: origin(g, k),
      })),
    };
  }

  function nameSet(list, table) {
    if (!list || !list.length) return null;
    const wanted = new Set(list);
    const found = new Set();
    table.forEach((item, i) => { if (wanted.has(item.name)) found.add(i); });
    return found;
  }

  // A view as `ties export` selects it: kinds keep entities, types and time keep relations
  // between kept entities, and with a relation filter only entities with a relation stay.
  function selectView(g, spec) {
    const days = timeDays(spec);
    const kindSet = nameSet(spec.kinds, g.kinds);
    const typeSet = nameSet(spec.types, g.types);
    const keep = new Uint8Array(g.n);
    for (let i = 0; i < g.n; i++) keep[i] = !kindSet || kindSet.has(g.kind[i]) ? 1 : 0;
    const edges = new Uint8Array(g.m);
    for (let k = 0; k < g.m; k++) {
      if (keep[g.s[k]] && keep[g.t[k]] && (!typeSet || typeSet.has(g.type[k])) && inForce(g, k, days)) edges[k] = 1;
    }
    let nodes = keep;
    if (days || typeSet) {
      nodes = new Uint8Array(g.n);
      for (let k = 0; k < g.m; k++) if (edges[k]) { nodes[g.s[k]] = 1; nodes[g.t[k]] = 1; }
    }
    return { nodes, edges };
  }

  // ---- paths ---------------------------------------------------------------------------

  // `ties path`: shortest by hops; among equal ones, the smallest sequence of relation
  // numbers first (relations are in number order). Kinds limit inner entities only. Returns
  // up to `limit + 1` paths with `all` (the one more says the answer was cut), else one, as
  // [entities, relations].
  function findPaths(g, from, to, opts) {
    const days = timeDays(opts);
    const kindSet = nameSet(opts.kinds, g.kinds);
    const typeSet = nameSet(opts.types, g.types);
    const directed = !!opts.directed;
    const wanted = opts.all ? (opts.limit || 1000) + 1 : 1;
    const allowed = (k) => (!typeSet || typeSet.has(g.type[k])) && inForce(g, k, days);
    const enter = (v) => v === from || v === to || !kindSet || kindSet.has(g.kind[v]);
    // The entity across relation k from v, when k may be walked from v (`back`: walked
    // against its direction, for the search from `to`); -1 otherwise.
    const across = (v, k, back) => {
      if (g.s[k] === g.t[k] || !allowed(k)) return -1;
      const forward = g.s[k] === v;
      if (directed && forward === back) return -1;
      return forward ? g.t[k] : g.s[k];
    };
    const dist = new Int32Array(g.n).fill(-1);
    dist[to] = 0;
    let frontier = [to];
    while (frontier.length && dist[from] < 0) {
      const next = [];
      for (const v of frontier) {
        if (v !== to && !enter(v)) continue;
        for (let p = g.incidentStart[v]; p < g.incidentStart[v + 1]; p++) {
          const w = across(v, g.incident[p], true);
          if (w >= 0 && dist[w] < 0) { dist[w] = dist[v] + 1; next.push(w); }
        }
      }
      frontier = next;
    }
    const paths = [];
    const maxHops = opts.maxHops === undefined || opts.maxHops === null ? Infinity : opts.maxHops;
    if (dist[from] < 0 || dist[from] > maxHops) return paths;
    // Depth-first over the relations that bring the walk one step closer, with an explicit
    // stack of positions in each entity's relation list.
    const walkNodes = [from], walkEdges = [], cursor = [g.incidentStart[from]];
    while (cursor.length && paths.length < wanted) {
      const depth = cursor.length - 1;
      const v = walkNodes[depth];
      if (v === to) {
        paths.push([walkNodes.slice(), walkEdges.slice()]);
        cursor.pop(); walkNodes.pop(); walkEdges.pop();
        continue;
      }
      let moved = false;
      while (cursor[depth] < g.incidentStart[v + 1]) {
        const k = g.incident[cursor[depth]++];
        const w = across(v, k, false);
        if (w < 0 || dist[w] !== dist[v] - 1 || (w !== to && !enter(w))) continue;
        walkNodes.push(w); walkEdges.push(k); cursor.push(g.incidentStart[w]);
        moved = true;
        break;
      }
      if (!moved) { cursor.pop(); walkNodes.pop(); walkEdges.pop(); }
    }
    return paths;
  }

  // One shortest path in time order, step for step as `ties path --chronological` finds it
  // (src/query/path/chrono.rs explains why it is right): a bidirectional breadth-first search
  // over labels, forward ones holding the earliest arrival, backward ones the latest
  // departure, each side keeping per entity only labels better than every label with as few
  // relations. Moments are days since 1970; infinities stand for missing dates.
  function findChronological(g, from, to, opts) {
    const days = timeDays(opts);
    const kindSet = nameSet(opts.kinds, g.kinds);
    const typeSet = nameSet(opts.types, g.types);
    const directed = !!opts.directed;
    const hopLimit = opts.maxHops === undefined || opts.maxHops === null ? Infinity : opts.maxHops;
    const allowed = (k) => (!typeSet || typeSet.has(g.type[k])) && inForce(g, k, days);
    // The links a side follows out of v, as [relation, entity]: outgoing then incoming
    // forwards, incoming then outgoing backwards, each in relation order.
    const links = (v, forward) => {
      const outgoing = [], incoming = [];
      for (let p = g.incidentStart[v]; p < g.incidentStart[v + 1]; p++) {
        const k = g.incident[p];
        if (g.s[k] === v) outgoing.push([k, g.t[k]]);
        if (g.t[k] === v) incoming.push([k, g.s[k]]);
      }
      const first = forward ? outgoing : incoming;
      return directed ? first : first.concat(forward ? incoming : outgoing);
    };
    const step = (forward, moment, node, k) => {
      if (!allowed(k)) return null;
      if (node !== (forward ? to : from) && kindSet && !kindSet.has(g.kind[node])) return null;
      if (forward) return g.last[k] >= moment ? Math.max(moment, g.first[k]) : null;
      return g.first[k] <= moment ? Math.min(moment, g.last[k]) : null;
    };
    const side = (forward, end) => {
      const newest = new Int32Array(g.n).fill(-1);
      newest[end] = 0;
      return { forward, newest, depth: 0, frontier: [0],
        labels: [{ node: end, moment: forward ? -Infinity : Infinity, hops: 0, parent: -1, edge: -1, older: -1 }] };
    };
    const better = (s, a, b) => (s.forward ? a < b : a > b);
    const cost = (s) => {
      let sum = 0;
      for (const i of s.frontier) {
        const v = s.labels[i].node;
        sum += g.incidentStart[v + 1] - g.incidentStart[v];
      }
      return sum;
    };
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

  // `ties path FROM TO --format json`, FROM and TO as ids or exact names; also returns the
  // paths as indexes (`walked`) for highlighting.
  function pathJson(g, fromText, toText, opts = {}) {
    const a = resolve(g, fromText), b = resolve(g, toText);
    const chronological = !!opts.chronological;
    const limit = opts.all && !chronological ? opts.limit || 1000 : null;
    const walked = chronological ? findChronological(g, a, b, opts) : findPaths(g, a, b, opts);
    const truncated = limit !== null && walked.length > limit;
    const kept = walked.slice(0, limit === null ? walked.length : limit);
    const paths = kept.map(([ns, es]) => ({
      length: es.length, weight: null, nodes: ns.map((i) => entity(g, i)), edges: es.map((k) => relationJson(g, k)),
    }));
    return { json: { from: g.ids[a], to: g.ids[b], limit, truncated, chronological, paths }, walked: kept };
  }

  // The dates of relation k as `ties path` writes them: `1992-08`, `2009 – 2015`, `until 2024`.
  function dates(g, k) {
    const start = g.start[k], end = g.end[k];
    if (start === null && end === null) return "";
    if (end === null) return start;
    if (start === null) return `until ${end}`;
    return start === end ? start : `${start} – ${end}`;
  }

  // What a journalist cites for one path: each relation in order, from the path's entity
  // before it to the one after, with its type, dates, source, note and file:line.
  function evidence(g, ns, es) {
    return es.map((k, step) => {
      const attributes = columnsOf(g.edgeAttributes, k);
      return {
        from: g.names[ns[step]], to: g.names[ns[step + 1]],
        forward: g.s[k] === ns[step],
        type: g.types[g.type[k]].label, dates: dates(g, k),
        source: attributes.source === undefined ? null : String(attributes.source),
        note: attributes.note === undefined ? null : String(attributes.note),
        origin: origin(g, k),
      };
    });
  }

  return {
    dayNumber, daysOf, timeDays, decode, search, resolve, inForce, show, selectView,
    findPaths, findChronological, pathJson, relationJson, entity, dates, evidence, origin,
  };
})();
if (typeof module !== "undefined" && module.exports) module.exports = TiesRules;
