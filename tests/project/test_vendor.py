"""Vendored assets and the offline basemap are what the scripts say they are.

``static/vendor/`` is refreshed by ``scripts/vendor.py`` and the basemap by
``scripts/build_basemap.py``; both outputs are committed. These tests run offline
and catch a hand-edited vendored file, a stale README, or a basemap that no longer
matches its source.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from shapely.geometry import Point, box, shape

from tests import ROOT

VENDOR = ROOT / "static" / "vendor"
BASEMAP = ROOT / "static" / "incidents" / "basemap" / "region.geojson"
VENDOR_SCRIPT = ROOT / "scripts" / "vendor.py"
BASEMAP_SCRIPT = ROOT / "scripts" / "build_basemap.py"
# Must match CLIP in scripts/build_basemap.py; repeated so a change there is a
# deliberate change here too.
CLIP = (22.0, 19.0, 63.0, 46.0)

# No npm on PATH and every proxy and registry pointing at a closed port: --check
# must not need the network.
OFFLINE_ENV = {
    "PATH": "",
    "HOME": os.environ.get("HOME", "/tmp"),
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "npm_config_registry": "http://127.0.0.1:9/",
}


def run_check(vendor_dir: Path = VENDOR) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(VENDOR_SCRIPT), "--check", "--dir", str(vendor_dir)],
        capture_output=True,
        text=True,
        env=OFFLINE_ENV,
        timeout=60,
    )


def vendored_files() -> list[tuple[str, str]]:
    """(package, path inside it) for every file under static/vendor/<package>/."""
    return [
        (pkg.name, path.relative_to(pkg).as_posix())
        for pkg in sorted(p for p in VENDOR.iterdir() if p.is_dir())
        for path in sorted(pkg.rglob("*"))
        if path.is_file()
    ]


def test_vendor_check_passes_offline():
    result = run_check()
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("damage", "complaint"),
    [
        ("edit", "world-atlas/countries-50m.json: sha256"),
        ("delete", "world-atlas/LICENSE: missing"),
        ("stray", "world-atlas/extra.json: not vendored"),
        ("readme", "README.md is out of date"),
        ("repin", "pins version '9.9.9'"),
    ],
)
def test_vendor_check_fails_when_tree_differs(tmp_path, damage, complaint):
    vendor = tmp_path / "vendor"
    shutil.copytree(VENDOR, vendor)
    if damage == "edit":
        data = vendor / "world-atlas" / "countries-50m.json"
        data.write_bytes(data.read_bytes() + b"\n")
    elif damage == "delete":
        (vendor / "world-atlas" / "LICENSE").unlink()
    elif damage == "stray":
        (vendor / "world-atlas" / "extra.json").write_text("{}")
    elif damage == "readme":
        readme = vendor / "README.md"
        readme.write_text(readme.read_text().replace("2.0.2", "2.0.1", 1))
    elif damage == "repin":
        manifest = json.loads((vendor / "vendor.json").read_text())
        manifest["packages"][0]["version"] = "9.9.9"
        (vendor / "vendor.json").write_text(json.dumps(manifest))
    result = run_check(vendor)
    assert result.returncode == 1
    assert complaint in result.stderr


def test_every_vendored_file_is_in_the_readme_with_version_and_licence():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    pins = {
        p["name"]: p
        for p in json.loads((VENDOR / "vendor.json").read_text())["packages"]
    }
    files = vendored_files()
    assert {pkg for pkg, _ in files} == set(pins)
    # The Files table: one row per file, the file's path in the first cell.
    rows = {}
    for line in readme.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0].startswith("`"):
            rows.setdefault(cells[0].strip("`"), cells)
    for pkg, rel in files:
        cells = rows.get(f"{pkg}/{rel}")
        assert cells is not None, f"{pkg}/{rel} is not listed in README.md"
        assert pins[pkg]["version"] in cells, cells
        assert pins[pkg]["license"] in cells, cells
        digest = hashlib.sha256((VENDOR / pkg / rel).read_bytes()).hexdigest()
        assert f"`{digest}`" in cells, cells


def test_world_atlas_is_vendored_and_nothing_unused():
    assert (VENDOR / "world-atlas" / "countries-50m.json").is_file()
    # leaflet.markercluster was vendored and used by no page: gone (issue 19).
    assert not (VENDOR / "leaflet.markercluster").exists()


@pytest.fixture(scope="module")
def basemap():
    return json.loads(BASEMAP.read_text(encoding="utf-8"))


def test_basemap_is_a_featurecollection_of_named_polygons(basemap):
    assert basemap["type"] == "FeatureCollection"
    assert basemap["features"]
    clip = box(*CLIP)
    for feature in basemap["features"]:
        assert feature["type"] == "Feature"
        assert set(feature["properties"]) == {"name", "id"}
        assert feature["properties"]["name"]
        ident = feature["properties"]["id"]
        assert ident is None or re.fullmatch(r"\d{3}", ident), ident
        assert feature["geometry"]["type"] in {"Polygon", "MultiPolygon"}
        geom = shape(feature["geometry"])
        assert geom.is_valid, feature["properties"]
        # Inside the clip box: a [lat, lon] mix-up would put points outside it.
        assert clip.covers(geom), feature["properties"]


def test_basemap_has_syria_and_iraq_in_lon_lat_order(basemap):
    by_name = {f["properties"]["name"]: f for f in basemap["features"]}
    assert by_name["Syria"]["properties"]["id"] == "760"
    assert by_name["Iraq"]["properties"]["id"] == "368"
    # Damascus and Baghdad, given as (lon, lat).
    assert shape(by_name["Syria"]["geometry"]).contains(Point(36.29, 33.51))
    assert shape(by_name["Iraq"]["geometry"]).contains(Point(44.36, 33.31))
    assert not shape(by_name["Iraq"]["geometry"]).contains(Point(33.31, 44.36))


def test_basemap_is_small(basemap):
    assert BASEMAP.stat().st_size < 300_000


def test_basemap_rebuilds_to_the_committed_bytes(tmp_path):
    out = tmp_path / "region.geojson"
    subprocess.run(
        [sys.executable, str(BASEMAP_SCRIPT), "--output", str(out), "--no-readme"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    assert out.read_bytes() == BASEMAP.read_bytes()


def test_readme_records_the_committed_basemap():
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(BASEMAP.read_bytes()).hexdigest()
    assert f"region.geojson sha256: `{digest}`" in readme
