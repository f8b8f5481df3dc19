"""The explorer served live by `ties serve --http`, in a real browser: the Cypher box asks
the server, shows the answer as a table and highlights what it holds in the drawing.

Usage: python live_check.py TIES_BINARY CHROMIUM
Exits 1 on the first failure. The server is stopped however the check ends.
"""
import asyncio
import json
import re
import subprocess
import sys

from playwright.async_api import async_playwright

QUERY = ("MATCH p = shortestPath((a {id: 'shimon-peres'})-[*..6]-(b {id: 'nursultan-nazarbayev'})) "
         "RETURN p")


def fail(message):
    print(f"live: FAIL {message}")
    sys.exit(1)


async def check(url, chromium, expected):
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=chromium)
        page = await browser.new_page(viewport={"width": 1400, "height": 900})
        errors = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        await page.goto(url)
        await page.evaluate("window.ties.ready")
        if await page.is_hidden("#cypher"):
            fail("the Cypher box is hidden on the served page")
        await page.fill("#cypher-text", QUERY)
        await page.click("#cypher-go")
        await page.wait_for_function("document.querySelector('#cypher-result table') !== null")
        text = await page.inner_text("#cypher-result")
        if "Shimon Peres" not in text or "1 row" not in text:
            fail(f"the answer reads {text!r}")
        highlighted = await page.evaluate("window.ties.highlighted()")
        if sorted(highlighted["nodes"]) != sorted(expected["nodes"]) or sorted(highlighted["edges"]) != sorted(expected["edges"]):
            fail(f"highlighted {highlighted}, the answer holds {expected}")
        if errors:
            fail(f"console errors: {errors}")
        # A refused query is shown in the box (the browser logs the 400 itself).
        await page.fill("#cypher-text", "CREATE (n)")
        await page.click("#cypher-go")
        await page.wait_for_function("document.querySelector('#cypher-result').textContent.includes('AccessMode')")
        await browser.close()


def main():
    ties, chromium = sys.argv[1:3]
    server = subprocess.Popen([ties, "--data", "data", "-q", "serve", "--bolt", "127.0.0.1:0",
                               "--http", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()
        url = re.search(r"(http://\S+)", server.stdout.readline()).group(1)
        answer = json.loads(subprocess.run([ties, "--data", "data", "-q", "query", "--format", "json", "-e", QUERY],
                                           check=True, capture_output=True, text=True).stdout)
        path = answer["rows"][0]["p"]
        expected = {"nodes": [n["id"] for n in path["nodes"]], "edges": [e["id"] for e in path["edges"]]}
        asyncio.run(check(url, chromium, expected))
        print(f"live: the served explorer asks the server and highlights its answer ({url})")
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
