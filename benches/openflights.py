#!/usr/bin/env python3
"""OpenFlights (https://openflights.org/data.php) as a ties data folder: the real network of
airports, airlines and countries that the explorer, the exports and the Cypher script are
measured on. The data is not in the repository (it is ODbL-licensed and 3 MB): download
`airports.dat`, `airlines.dat`, `routes.dat` and `countries.dat` from the OpenFlights
repository's `data/` folder into DIR first.

    python3 benches/openflights.py DIR OUT     # writes OUT/data/{entities,relations}

Entities: airports (by OpenFlights id), airlines, countries. Relations: `route` (airport to
airport, with the airline, stops and equipment), `operates` (airline to each airport it flies
from), `located_in` (airport to country) and `based_in` (airline to country). About 14,100
entities and 90,000 relations.
"""
import csv
import os
import sys


def rows(path):
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.reader(f):
            yield [None if cell == "\\N" else cell for cell in row]


def slug(text):
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


def main():
    source, out = sys.argv[1], sys.argv[2]
    data = os.path.join(out, "data")
    os.makedirs(os.path.join(data, "entities"), exist_ok=True)
    os.makedirs(os.path.join(data, "relations"), exist_ok=True)
    countries = {}
    for name, iso, _ in rows(os.path.join(source, "countries.dat")):
        countries[name] = f"c-{slug(name)}"
    airports, airlines = {}, {}
    located, based = [], []
    with open(os.path.join(data, "entities", "airports.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "city", "iata", "icao", "latitude:float", "longitude:float", "altitude:int"])
        for r in rows(os.path.join(source, "airports.dat")):
            ident = f"ap{r[0]}"
            airports[r[0]] = ident
            w.writerow([ident, r[1], r[2] or "", r[4] or "", r[5] or "", r[6], r[7], r[8]])
            if r[3] in countries:
                located.append((ident, countries[r[3]]))
    with open(os.path.join(data, "entities", "airlines.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name", "alias", "iata", "icao", "callsign", "active:bool"])
        for r in rows(os.path.join(source, "airlines.dat")):
            if r[0] == "-1":
                continue
            ident = f"al{r[0]}"
            airlines[r[0]] = ident
            w.writerow([ident, r[1], r[2] or "", r[3] or "", r[4] or "", r[5] or "", "true" if r[7] == "Y" else "false"])
            if r[6] in countries:
                based.append((ident, countries[r[6]]))
    with open(os.path.join(data, "entities", "countries.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "name"])
        for name, ident in countries.items():
            w.writerow([ident, name])
    operates = set()
    with open(os.path.join(data, "relations", "routes.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["from", "type", "to", "airline", "stops:int", "equipment"])
        for r in rows(os.path.join(source, "routes.dat")):
            a, b = airports.get(r[3] or ""), airports.get(r[5] or "")
            if not a or not b:
                continue
            w.writerow([a, "route", b, r[0], r[7], r[8] or ""])
            line = airlines.get(r[1] or "")
            if line:
                operates.add((line, a))
    with open(os.path.join(data, "relations", "operates.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["from", "type", "to"])
        for line, airport in sorted(operates):
            w.writerow([line, "operates", airport])
    with open(os.path.join(data, "relations", "places.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["from", "type", "to"])
        for a, c in located:
            w.writerow([a, "located_in", c])
        for a, c in based:
            w.writerow([a, "based_in", c])
    print(f"{len(airports)} airports, {len(airlines)} airlines, {len(countries)} countries; "
          f"{len(operates)} operates, {len(located)} located_in, {len(based)} based_in")


if __name__ == "__main__":
    main()
