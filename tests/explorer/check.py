"""The explorer page in a real browser: `window.ties` must answer as the CLI does.

Usage: python check.py TIES_BINARY CHROMIUM

Builds the seed data, a data dir with hostile names, a generated network of 2,000 entities, one
of 15,000, and realistic-name data (benches/realistic.py) of 20,000 entities / 100,000
relations and 100,000 / 500,000 into temporary folders, opens each `index.html` from disk in
headless Chromium through Playwright, and compares search, select, filter and path with `ties
find`, `ties show`, `ties export --format json` and `ties path --format json`. Also: no console
error, no request leaving the file, no dialog from a name, a canvas that is not blank, names
drawn inside the canvas and over no other, the most connected entities named, an overview of
communities on large pages that opens into members, the path's evidence in the page, and the
large pages ready in time (at most twice the targets of 3 s and 5 s, so that a slower machine
does not fail; the times are printed). Prints one line per check and exits 1 on the first
failure.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
import time

from playwright.sync_api import sync_playwright

TIES, CHROMIUM = sys.argv[1], sys.argv[2]
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
passed = 0


def fail(message):
    print(f"explorer: FAIL: {message}")
    sys.exit(1)


def ok(what):
    global passed
    passed += 1
    print(f"explorer: ok  {what}")


def ties(data, *args, code=(0, 1)):
    run = subprocess.run([TIES, "--data", data, "-q", *args], capture_output=True, text=True, cwd=ROOT)
    if run.returncode not in code:
        fail(f"ties {' '.join(args)} exited {run.returncode}: {run.stderr}")
    return run.stdout


def build(data, out):
    empty = tempfile.mkdtemp()
    ties(data, "build", "-o", out, "--queries", empty if data != "data" else "queries", code=(0,))
    return os.path.join(out, "index.html")


def inside_data(show, data):
    """`ties show` JSON with its origins as the page gives them: inside the data folder."""
    prefix = data.rstrip("/") + "/"
    for relation in show["relations"]:
        if relation["origin"].startswith(prefix):
            relation["origin"] = relation["origin"][len(prefix):]
    return show


def generated(entities, relations, seed):
    """A network in the CSV format, of three kinds, with dates, hubs and parallel relations."""
    rng = random.Random(seed)
    folder = tempfile.mkdtemp()
    os.makedirs(os.path.join(folder, "entities"))
    os.makedirs(os.path.join(folder, "relations"))
    kinds = ["people", "organizations", "places"]
    files = {k: open(os.path.join(folder, "entities", f"{k}.csv"), "w", encoding="utf-8") for k in kinds}
    for f in files.values():
        f.write("id,name,founded:int\n")
    for i in range(entities):
        files[kinds[i % 3]].write(f"x{i},Entity {i} {rng.choice(['North', 'South', 'Bank', 'Ministry'])},{1900 + i % 120}\n")
    for f in files.values():
        f.close()
    hubs = max(3, entities // 500)
    with open(os.path.join(folder, "relations", "ties.csv"), "w", encoding="utf-8") as f:
        f.write("from,type,to,start,end,source\n")
        for _ in range(relations):
            a = rng.randrange(hubs) if rng.random() < 0.3 else rng.randrange(entities)
            b = rng.randrange(entities)
            start = rng.randrange(1990, 2025)
            when = rng.choice([f"{start}", f"{start}-{rng.randrange(1, 13):02d}", ""])
            end = f"{start + rng.randrange(1, 8)}" if when and rng.random() < 0.3 else ""
            f.write(f"x{a},{rng.choice(['knows', 'funds', 'member_of', 'located_in'])},x{b},{when},{end},gen\n")
    # Funding is an event: in force on its own dates only, in the page as in the CLI.
    with open(os.path.join(folder, "ties.toml"), "w", encoding="utf-8") as f:
        f.write('[schema.types.funds]\ntime = "event"\n')
    return folder


def open_page(browser, path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.errors, page.requests, page.dialogs = [], [], []
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("request", lambda r: page.requests.append(r.url))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto("file://" + path, timeout=120000)
    page.evaluate("window.ties.ready")
    return page


def clean(page, what):
    leaving = [u for u in page.requests if not u.startswith(("file:", "data:", "blob:"))]
    if page.errors or leaving or page.dialogs:
        fail(f"{what}: console errors {page.errors}, requests {leaving}, dialogs {page.dialogs}")
    ok(f"{what}: no console error, no request leaves the file, no dialog")


def found_ids(data, text):
    return [line.split()[0] for line in ties(data, "find", text, "--limit", "20").splitlines() if line.strip()]


def export_view(data, flags):
    graph = json.loads(ties(data, "export", "--format", "json", *flags, "-o", "-"))
    return {"nodes": [n["id"] for n in graph["nodes"]], "edges": [e["key"] for e in graph["edges"]]}


def compare_api(page, data, texts, ids, specs, pairs, what):
    for text in texts:
        got = [hit["id"] for hit in page.evaluate("t => window.ties.search(t)", text)]
        if got != found_ids(data, text):
            fail(f"{what}: search {text!r}: {got} != ties find")
    ok(f"{what}: search agrees with ties find for {len(texts)} texts")
    for node in ids:
        got = page.evaluate("id => window.ties.select(id)", node)
        want = inside_data(json.loads(ties(data, "show", node, "--format", "json")), data)
        if got != want:
            fail(f"{what}: select {node!r}:\n{json.dumps(got)[:600]}\n!=\n{json.dumps(want)[:600]}")
    ok(f"{what}: select agrees with ties show for {len(ids)} entities")
    for spec, flags in specs:
        got = page.evaluate("s => window.ties.filter(s)", spec)
        want = export_view(data, flags)
        if got != want:
            fail(f"{what}: filter {spec}: {len(got['nodes'])}/{len(got['edges'])} != {len(want['nodes'])}/{len(want['edges'])}")
        visible = page.evaluate("window.ties.visible()")
        if visible != want:
            fail(f"{what}: visible() after filter {spec} differs from the filter's answer")
    page.evaluate("window.ties.filter({})")
    ok(f"{what}: filter agrees with ties export for {len(specs)} views")
    for a, b, opts, flags in pairs:
        got = page.evaluate("([a, b, o]) => window.ties.path(a, b, o)", [a, b, opts])
        want = json.loads(ties(data, "path", a, b, "--format", "json", *flags))
        if got != want:
            fail(f"{what}: path {a} {b} {opts}: {json.dumps(got)[:400]} != {json.dumps(want)[:400]}")
    page.evaluate("window.ties.clearPath()")
    ok(f"{what}: path agrees with ties path for {len(pairs)} queries")


def labels_readable(page, what, must=()):
    """Every name drawn lies inside the canvas and over no other; the `must` names are drawn."""
    page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    labels = page.evaluate("window.ties.labels()")
    size = page.evaluate("window.ties.size()")
    for label in labels:
        if label["x"] < 0 or label["y"] < 0 or label["x"] + label["w"] > size["width"] or label["y"] + label["h"] > size["height"]:
            fail(f"{what}: the name {label['text']!r} is cut at the canvas edge: {label} in {size}")
    for i, a in enumerate(labels):
        for b in labels[i + 1:]:
            if a["x"] < b["x"] + b["w"] - 0.5 and b["x"] < a["x"] + a["w"] - 0.5 and a["y"] < b["y"] + b["h"] - 0.5 and b["y"] < a["y"] + a["h"] - 0.5:
                fail(f"{what}: names drawn over each other: {a} and {b}")
    texts = {label["text"] for label in labels}
    missing = [name for name in must if name not in texts]
    if missing:
        fail(f"{what}: {missing} not named on the canvas (named: {sorted(texts)[:20]})")
    ok(f"{what}: {len(labels)} names drawn, all inside the canvas, none over another{', including ' + ', '.join(must) if must else ''}")


def canvas_not_blank(page, what):
    inked = page.evaluate(
        """() => { const c = document.querySelector('#graph canvas'); const g = c.getContext('2d');
        const d = g.getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i] < 240 || d[i + 1] < 240 || d[i + 2] < 240) n++; return n; }"""
    )
    if inked < 500:
        fail(f"{what}: the canvas is blank ({inked} inked pixels)")
    ok(f"{what}: the canvas shows the network ({inked} inked pixels)")


def main():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        work = tempfile.mkdtemp()

        # The seed data: every entity selected, filters at several dates, paths.
        seed = build("data", os.path.join(work, "seed"))
        page = open_page(browser, seed)
        ids = [line.split()[0] for line in ties("data", "find", "", "--limit", "1000").splitlines()]
        specs = [({"asOf": d}, ["--as-of", d]) for d in ["1992", "1995", "2000-05", "2016", "2025-12-31"]]
        specs += [
            ({"between": "1992..2000"}, ["--between", "1992..2000"]),
            ({"between": "2010.."}, ["--between", "2010.."]),
            ({"kinds": ["people", "countries"]}, ["--kinds", "people,countries"]),
            ({"types": ["visited", "diplomatic_relations"]}, ["--types", "visited,diplomatic_relations"]),
            ({"asOf": "2000", "kinds": ["people", "countries", "offices"]}, ["--as-of", "2000", "--kinds", "people,countries,offices"]),
        ]
        pairs = [
            ("shimon-peres", "nursultan-nazarbayev", {}, []),
            ("shimon-peres", "nursultan-nazarbayev", {"all": True}, ["--all"]),
            ("donald-trump", "kazakhstan", {"all": True}, ["--all"]),
            ("kazakhstan", "israel", {"asOf": "1995", "all": True}, ["--as-of", "1995", "--all"]),
            ("shimon-peres", "nursultan-nazarbayev", {"types": ["visited", "diplomatic_relations"], "all": True}, ["--types", "visited,diplomatic_relations", "--all"]),
            ("shimon-peres", "nursultan-nazarbayev", {"kinds": ["countries"], "all": True}, ["--kinds", "countries", "--all"]),
            ("nursultan-nazarbayev", "israel", {"directed": True}, ["--directed"]),
            ("israel", "israel", {}, []),
            # In time order: longer than the shortest, none at all, and under filters.
            ("donald-trump", "nursultan-nazarbayev", {"chronological": True}, ["--chronological"]),
            ("donald-trump", "military-cooperation-agreement", {"chronological": True}, ["--chronological"]),
            ("benjamin-netanyahu", "shimon-peres", {"chronological": True}, ["--chronological"]),
            ("nursultan-nazarbayev", "benjamin-netanyahu", {"chronological": True, "directed": True}, ["--chronological", "--directed"]),
            ("shimon-peres", "kazakhstan", {"chronological": True, "asOf": "2009"}, ["--chronological", "--as-of", "2009"]),
            ("shimon-peres", "benjamin-netanyahu", {"chronological": True, "kinds": ["countries"]}, ["--chronological", "--kinds", "countries"]),
        ]
        compare_api(page, "data", ["isr", "kaz", "ministry", "PERES", "e", "zzz"], ids, specs, pairs, "seed")
        canvas_not_blank(page, "seed")
        import xml.etree.ElementTree as ET

        page.evaluate("window.ties.filter({asOf: '1995'})")
        svg = ET.fromstring(page.evaluate("window.ties.svg()"))
        circles = len(svg.findall("{http://www.w3.org/2000/svg}circle"))
        if circles != len(page.evaluate("window.ties.visible().nodes")):
            fail(f"seed: the SVG of the view has {circles} entities")
        page.evaluate("window.ties.filter({})")
        ok("seed: the view saved as SVG is well-formed and holds the entities shown")
        focused = page.evaluate("window.ties.focus('shimon-peres', 1)")
        if sorted(focused["nodes"]) != ["kazakhstan", "president-of-israel", "shimon-peres"]:
            fail(f"seed: focus: {focused}")
        page.evaluate("window.ties.focus(null)")
        ok("seed: focus shows the neighbourhood, focus(null) the whole view")
        # The build's metrics: PageRank sizes and community colours, as `ties stats` gives them.
        stats = json.loads(ties("data", "stats", "--metrics", "pagerank,communities", "--format", "json"))
        want = {e["id"]: (e["pagerank"], e["community"]) for e in stats["entities"]}
        got = page.evaluate("(() => { const d = JSON.parse(document.getElementById('ties-data').textContent);"
                            " return Object.fromEntries(d.nodes.id.map((id, i) => [id, [d.nodes.metrics.pagerank[i], d.nodes.metrics.community[i]]])); })()")
        if any(abs(got[k][0] - v[0]) > 1e-12 or got[k][1] != v[1] for k, v in want.items()):
            fail("seed: the page's PageRank or communities differ from ties stats")
        if not page.is_visible("#look"):
            fail("seed: the look controls are hidden although the page has metrics")
        look = page.evaluate("window.ties.look({size: 'pagerank', color: 'community'})")
        if look != {"size": "pagerank", "color": "community"}:
            fail(f"seed: look: {look}")
        canvas_not_blank(page, "seed coloured by community")
        page.evaluate("window.ties.look({size: 'degree', colour: 'kind'})")
        for bad in ["{size: 'bogus'}", "{shape: 'circle'}", "{color: 'pink'}"]:
            refused = page.evaluate(f"(() => {{ try {{ window.ties.look({bad}); return null; }} catch (e) {{ return e.message; }} }})()")
            if not refused:
                fail(f"seed: look({bad}) was accepted")
        ok("seed: entities sized by PageRank and coloured by community, as ties stats computes them; look() takes `color` and refuses unknown settings")
        labels_readable(page, "seed", must=("Kazakhstan", "Israel"))
        # Paths by name, and the answer as evidence in the page: each relation with its source.
        by_name = page.evaluate("window.ties.path('Shimon Peres', 'Nursultan Nazarbayev', {all: true})")
        if by_name != json.loads(ties("data", "path", "Shimon Peres", "Nursultan Nazarbayev", "--all", "--format", "json")):
            fail("seed: window.ties.path by names differs from ties path")
        page.evaluate("window.ties.clearPath()")
        page.fill("#path-from", "Peres")
        if not page.evaluate("document.querySelectorAll('#path-from-hits li').length"):
            fail("seed: the from field suggests no names")
        page.click("#path-from-hits li")
        page.fill("#path-to", "Nursultan Nazarbayev")
        page.press("#path-to", "Enter")
        steps = page.evaluate("Array.from(document.querySelectorAll('#panel ol.paths li:first-child .step')).map((s) => s.textContent)")
        if len(steps) != 3 or not all("source: article" in step and "data" not in step.split("relations/")[0][-6:] for step in steps):
            fail(f"seed: the path's evidence is not in the page: {steps}")
        if not page.evaluate("window.ties.highlighted().nodes.length"):
            fail("seed: the path found from the fields is not highlighted")
        page.fill("#path-to", "no such entity")
        page.press("#path-to", "Enter")
        if page.evaluate("window.ties.highlighted().nodes.length"):
            fail("seed: a failed path search left the old path highlighted")
        ok("seed: paths by name from the fields, with each relation's source, note and file:line in the page; a failed search clears the highlight")
        # The panel honours the time filter: as of 2010 it lists what was in force in 2010.
        page.evaluate("window.ties.filter({asOf: '2010'})")
        shown = page.evaluate("window.ties.select('kazakhstan').relations.map((r) => r.id)")
        in_force = set(export_view("data", ["--as-of", "2010"])["edges"])
        heading = page.evaluate("document.querySelector('#panel h3').textContent")
        if not shown or any(r not in in_force for r in shown) or "in force in 2010" not in heading:
            fail(f"seed: the panel as of 2010 lists {shown}, heading {heading!r}")
        page.evaluate("window.ties.filter({})")
        ok(f"seed: the entity panel as of 2010 lists the {len(shown)} relations then in force ({heading})")
        table = page.evaluate("document.querySelectorAll('#questions table.answer').length")
        if table != len([f for f in os.listdir(os.path.join(ROOT, "queries")) if f.endswith(".cypher")]):
            fail(f"seed: {table} answer tables on the page")
        ok("seed: every saved question's answer is a table on the page")
        clean(page, "seed")
        page.close()

        # Hostile names stay text.
        hostile = tempfile.mkdtemp()
        os.makedirs(os.path.join(hostile, "entities"))
        os.makedirs(os.path.join(hostile, "relations"))
        with open(os.path.join(hostile, "entities", "people.csv"), "w", encoding="utf-8") as f:
            f.write('id,name\nimg,<img src=x onerror=alert(1)>\nend,"</script><script>alert(2)</script>"\nsep,a\u2028b\n')
        with open(os.path.join(hostile, "relations", "r.csv"), "w", encoding="utf-8") as f:
            f.write("from,type,to\nimg,<b>knows</b>,end\n")
        page = open_page(browser, build(hostile, os.path.join(work, "hostile")))
        shown = page.evaluate("window.ties.select('img').name")
        panel = page.evaluate("document.getElementById('panel').textContent")
        images = page.evaluate("document.querySelectorAll('#panel img, #panel script').length")
        if shown != "<img src=x onerror=alert(1)>" or "<img src=x onerror=alert(1)>" not in panel or images:
            fail(f"hostile: the name is not shown as text ({shown!r}, {images} elements)")
        page.evaluate("window.ties.select('end')")
        page.fill("#search", "<")
        ok("hostile: names from the data are text, never markup")
        clean(page, "hostile")
        page.close()

        # A generated network: the same answers as the CLI.
        data = generated(2000, 8000, 7)
        page = open_page(browser, build(data, os.path.join(work, "gen")))
        specs = [({"asOf": d}, ["--as-of", d]) for d in ["1995", "2003-06", "2020"]]
        specs.append(({"between": "2000..2005", "types": ["funds"]}, ["--between", "2000..2005", "--types", "funds"]))
        pairs = [(f"x{a}", f"x{b}", {"all": True}, ["--all"]) for a, b in [(5, 1700), (12, 999), (1500, 3)]]
        pairs += [(f"x{a}", f"x{b}", {"asOf": "2010", "all": True}, ["--as-of", "2010", "--all"]) for a, b in [(5, 1700), (40, 41)]]
        pairs += [(f"x{a}", f"x{b}", {"chronological": True}, ["--chronological"])
                  for a, b in [(5, 1700), (12, 999), (1500, 3), (40, 41), (7, 8), (100, 1999), (333, 1234)]
                  + [(i * 37 % 2000, i * 71 % 2000 + 1) for i in range(1, 30)]]
        pairs += [(f"x{a}", f"x{b}", {"chronological": True, "directed": True}, ["--chronological", "--directed"])
                  for a, b in [(0, 1), (5, 1700), (250, 17)]]
        compare_api(page, data, ["entity 1", "north", "x19"], [f"x{i}" for i in range(0, 2000, 97)], specs, pairs, "generated 2,000")
        clean(page, "generated 2,000")
        page.close()

        # Scale: 15,000 entities and 85,000 relations, ready within 3 s of opening.
        data = generated(15000, 85000, 11)
        index = build(data, os.path.join(work, "large"))
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.time()
        page.goto("file://" + index, timeout=120000)
        page.evaluate("window.ties.ready")
        seconds = time.time() - started
        if seconds > 3.0:
            fail(f"large: ready after {seconds:.2f} s, more than 3 s")
        ok(f"large: 15,000 entities and 85,000 relations ready in {seconds:.2f} s")
        canvas_not_blank(page, "large")
        page.close()

        # Realistic names at the sizes of a leak: an overview of communities, not one blob.
        for size, limit in [("leak", 6.0), ("medium", 10.0)]:
            folder = tempfile.mkdtemp()
            subprocess.run([sys.executable, os.path.join(ROOT, "benches", "realistic.py"), "--size", size, "--out", folder],
                           check=True, capture_output=True)
            data = os.path.join(folder, "data")
            index = build(data, os.path.join(work, size))
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.errors, page.requests, page.dialogs = [], [], []
            page.on("console", lambda m, page=page: page.errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e, page=page: page.errors.append(str(e)))
            page.on("request", lambda r, page=page: page.requests.append(r.url))
            page.on("dialog", lambda d, page=page: (page.dialogs.append(d.message), d.dismiss()))
            started = time.time()
            page.goto("file://" + index, timeout=180000)
            page.evaluate("window.ties.ready")
            seconds = time.time() - started
            entities = page.evaluate("JSON.parse(document.getElementById('ties-data').textContent).nodes.id.length")
            if seconds > limit:
                fail(f"{size}: ready after {seconds:.2f} s, more than {limit} s")
            ok(f"{size}: {entities:,} entities with realistic names ready in {seconds:.2f} s")
            groups = page.evaluate("window.ties.groups()")
            named = [g for g in groups if g["names"] and not g["open"]]
            if len(named) < 10 or max(g["size"] for g in groups) > entities / 2:
                fail(f"{size}: the overview is not a set of communities: {len(named)} named, largest {max(g['size'] for g in groups)}")
            ok(f"{size}: the first view is an overview of {len(named)} communities, the largest {max(g['size'] for g in groups):,} entities")
            labels_readable(page, size)
            opened = page.evaluate("window.ties.open(0)")
            if not opened["open"]:
                fail(f"{size}: the largest community did not open")
            page.evaluate("new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            labels_readable(page, f"{size}, its largest community opened", must=opened["names"][:1])
            canvas_not_blank(page, f"{size} opened")
            a, b = page.evaluate("[window.ties.select('p0000001').name, window.ties.search('k00000', 1)[0].id]")
            found = page.evaluate("([a, b]) => window.ties.path(a, b)", ["p0000001", b])
            if found != json.loads(ties(data, "path", "p0000001", b, "--format", "json")):
                fail(f"{size}: path p0000001 {b} differs from ties path")
            ok(f"{size}: select, search and path answer as the CLI does ({a} to {b})")
            clean(page, size)
            page.close()
        browser.close()
    print(f"explorer: {passed} passed, 0 failed")


if __name__ == "__main__":
    main()
