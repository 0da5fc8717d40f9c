"""Build the offline basemap ``static/incidents/basemap/region.geojson``.

When map tiles cannot load (no network, a blocked tile server) the map still needs
something to put the sites on. This script turns the vendored world-atlas
``countries-50m.json`` (Natural Earth 1:50m admin-0 countries, TopoJSON) into a small
RFC 7946 GeoJSON FeatureCollection of the countries around Iraq and Syria:

- decodes the TopoJSON arcs (quantized, delta-encoded) in plain Python;
- simplifies each *arc* rather than each country, so two neighbours still share
  exactly the same border line after simplification (no slivers or gaps);
- keeps the countries reaching into a box slightly larger than the region and
  clips them to it,
  snaps coordinates to a 0.0001° grid (about 11 m, finer than the source's 50m
  quantization) and orients rings counter-clockwise as RFC 7946 asks.

Each feature has ``properties`` ``name`` (English, from world-atlas) and ``id`` (the
ISO 3166-1 numeric code as a zero-padded string such as ``"760"``, or null for the
few Natural Earth units without one, e.g. "N. Cyprus"). The output is deterministic:
rebuilding from the same vendored file gives the same bytes, which a test checks.
It also records how it was built in ``static/vendor/README.md``.

Usage: ``python scripts/build_basemap.py [--output PATH] [--no-readme]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box, mapping

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "static" / "vendor" / "world-atlas" / "countries-50m.json"
OUTPUT = ROOT / "static" / "incidents" / "basemap" / "region.geojson"
README = ROOT / "static" / "vendor" / "README.md"

# The region the map is about (lon 25..60, lat 22..43: the Levant, Iraq, Iran,
# Turkey, the Gulf, Egypt's east)...
REGION = (25.0, 22.0, 60.0, 43.0)
# ...and the box actually covered, 3° larger, so panning a little past the region
# does not show a hard edge straight away. Countries are kept when they reach into
# this box, not only into REGION: otherwise the margin would show holes where
# Crimea, Romania or Afghanistan should be.
CLIP = (22.0, 19.0, 63.0, 46.0)
# Degrees; about 1 km, invisible at the zooms where tiles are missing anyway.
TOLERANCE = 0.01
DECIMALS = 4

BASEMAP_BEGIN = "<!-- basemap:begin -->"
BASEMAP_END = "<!-- basemap:end -->"


def decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat points of every arc.

    Quantized TopoJSON stores each arc as integer deltas from the previous point;
    the transform maps the running sum back to degrees.
    """
    (sx, sy), (tx, ty) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify_arcs(
    arcs: list[list[tuple[float, float]]], tolerance: float
) -> list[list[tuple[float, float]]]:
    """Douglas-Peucker on each arc; endpoints stay, so shared borders stay shared."""
    out = []
    for points in arcs:
        if len(points) > 2:
            line = LineString(points).simplify(tolerance, preserve_topology=False)
            points = list(line.coords)
        out.append(points)
    return out


def ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list:
    """Join arcs into one ring; a negative index ``~i`` means arc ``i`` reversed."""
    points: list[tuple[float, float]] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their joining point; keep it once.
        points.extend(arc[1:] if points else arc)
    return points


def polygon(rings: list[list[int]], arcs: list) -> Polygon | None:
    shell, *holes = (ring(r, arcs) for r in rings)
    # A small island may collapse to a line once simplified: drop it.
    if len(set(shell)) < 3:
        return None
    return Polygon(shell, [h for h in holes if len(set(h)) >= 3])


def country_geometry(geometry: dict, arcs: list):
    if geometry.get("type") == "Polygon":
        parts = [polygon(geometry["arcs"], arcs)]
    elif geometry.get("type") == "MultiPolygon":
        parts = [polygon(rings, arcs) for rings in geometry["arcs"]]
    else:
        return None
    parts = [p for p in parts if p is not None]
    if not parts:
        return None
    # Simplifying can make a ring touch itself; make_valid repairs that.
    return shapely.make_valid(MultiPolygon(parts))


def polygons_only(geom):
    """Clipping can leave stray lines or points on the box edge; keep areas only."""
    if geom.is_empty:
        return None
    if isinstance(geom, Polygon | MultiPolygon):
        return geom
    parts = []
    for part in getattr(geom, "geoms", []):
        if isinstance(part, Polygon):
            parts.append(part)
        elif isinstance(part, MultiPolygon):
            parts.extend(part.geoms)
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else MultiPolygon(parts)


def rounded(coords):
    if isinstance(coords[0], int | float):
        return [round(c, DECIMALS) for c in coords]
    return [rounded(c) for c in coords]


def build(topology: dict) -> dict:
    arcs = simplify_arcs(decode_arcs(topology), TOLERANCE)
    clip = box(*CLIP)
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        geom = country_geometry(geometry, arcs)
        if geom is None or not geom.intersects(clip):
            continue
        geom = shapely.set_precision(geom.intersection(clip), 10**-DECIMALS)
        geom = polygons_only(shapely.orient_polygons(geom))
        if geom is None:
            continue
        shape = mapping(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "name": geometry.get("properties", {}).get("name"),
                    "id": geometry.get("id"),
                },
                "geometry": {
                    "type": shape["type"],
                    "coordinates": rounded(shape["coordinates"]),
                },
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    return {"type": "FeatureCollection", "bbox": list(CLIP), "features": features}


def dumps(collection: dict) -> str:
    """Compact JSON, one feature a line, so a rebuild shows up as a readable diff."""
    head = json.dumps({k: v for k, v in collection.items() if k != "features"})
    lines = [
        json.dumps(f, separators=(",", ":"), ensure_ascii=False)
        for f in collection["features"]
    ]
    return head[:-1] + ', "features": [\n' + ",\n".join(lines) + "\n]}\n"


def readme_section(source: Path, output_bytes: bytes, collection: dict) -> str:
    names = ", ".join(f["properties"]["name"] for f in collection["features"])
    source_sha = hashlib.sha256(source.read_bytes()).hexdigest()
    output_sha = hashlib.sha256(output_bytes).hexdigest()
    return (
        "`static/incidents/basemap/region.geojson` is built offline by\n"
        "`scripts/build_basemap.py` (run by `make vendor`) from the vendored\n"
        "`world-atlas/countries-50m.json` (Natural Earth 1:50m admin-0 countries,\n"
        "public domain), and committed. Build parameters:\n"
        "\n"
        f"- region of interest `{list(REGION)}`; countries reaching into the\n"
        f"  3° larger box `{list(CLIP)}` kept and clipped to it\n"
        "  (minlon, minlat, maxlon, maxlat)\n"
        f"- simplified per TopoJSON arc (Douglas-Peucker, tolerance {TOLERANCE}°)\n"
        f"- coordinates snapped to {DECIMALS} decimals, rings oriented per RFC 7946\n"
        "- properties: `name` (English, from world-atlas), `id` (ISO 3166-1\n"
        "  numeric as a string, null where Natural Earth has none)\n"
        f"- source sha256: `{source_sha}`\n"
        f"- region.geojson sha256: `{output_sha}`\n"
        f"- size: {len(output_bytes)} bytes, "
        f"{len(collection['features'])} features\n"
        f"- countries: {names}\n"
    )


def update_readme(readme: Path, section: str) -> None:
    text = readme.read_text(encoding="utf-8")
    start, end = text.find(BASEMAP_BEGIN), text.find(BASEMAP_END)
    if start == -1 or end < start:
        raise SystemExit(f"{readme} has no basemap markers: run scripts/vendor.py")
    text = text[: start + len(BASEMAP_BEGIN)] + "\n" + section + text[end:]
    readme.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--no-readme",
        action="store_true",
        help="do not record the build in static/vendor/README.md",
    )
    args = parser.parse_args(argv)
    collection = build(json.loads(args.source.read_text(encoding="utf-8")))
    data = dumps(collection).encode("utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    print(
        f"wrote {args.output} ({len(data)} bytes, "
        f"{len(collection['features'])} countries)"
    )
    if not args.no_readme:
        update_readme(README, readme_section(args.source, data, collection))
    return 0


if __name__ == "__main__":
    sys.exit(main())
