"""Vendor third-party browser assets from the npm registry into ``static/vendor/``.

The project serves every JS/CSS library itself (no CDN at run time), so each one is
copied into the repository from a pinned npm release. ``static/vendor/vendor.json``
is the hand-edited list: package name, exact version, the files to copy and the
licence id. Running this script:

1. asks the npm client for the release's ``dist.integrity`` (``npm view``) and
   downloads its tarball (``npm pack``), so registry access, proxies and ``.npmrc``
   are npm's business, not ours;
2. checks the tarball's sha512 against that integrity, and the tarball's own
   ``package.json`` against the pinned name, version and licence;
3. replaces ``static/vendor/<package>/`` with only the listed files plus the
   package's licence file;
4. writes ``static/vendor/vendor.lock.json`` (integrity and the sha256 of every
   vendored file) and ``static/vendor/README.md`` (the same, for people).

``--check`` needs no network and no npm: it verifies that the lock matches
``vendor.json``, that every vendored file matches its recorded sha256, that no
stray file sits in a package directory, and that README.md is up to date. It exits
non-zero on any mismatch, so tests and CI catch a hand-edited vendored file.

Usage: ``python scripts/vendor.py [--check] [--dir static/vendor]``.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "static" / "vendor"
MANIFEST = "vendor.json"
LOCK = "vendor.lock.json"
README = "README.md"

# build_basemap.py owns the text between these markers; this script keeps it as is,
# so the two scripts can run in either order without undoing each other.
BASEMAP_BEGIN = "<!-- basemap:begin -->"
BASEMAP_END = "<!-- basemap:end -->"
BASEMAP_PLACEHOLDER = "Not built yet: run `python scripts/build_basemap.py`.\n"

EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$")
LICENCE_NAME = re.compile(r"^(?:.*[-_.])?(?:licen[cs]e|copying)(?:[-_.].*)?$", re.I)


class VendorError(Exception):
    """A problem the person running the script has to fix; printed without a trace."""


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_manifest(vendor_dir: Path) -> list[dict]:
    data = json.loads((vendor_dir / MANIFEST).read_text(encoding="utf-8"))
    packages = data.get("packages")
    if not isinstance(packages, list) or not packages:
        raise VendorError(f"{MANIFEST}: 'packages' must be a non-empty list")
    seen = set()
    for pkg in packages:
        name, version = pkg.get("name"), pkg.get("version")
        if not name or name in seen:
            raise VendorError(f"{MANIFEST}: missing or duplicate name {name!r}")
        seen.add(name)
        # Ranges would make a rerun silently pick up a new release.
        if not isinstance(version, str) or not EXACT_VERSION.match(version):
            raise VendorError(f"{name}: version must be exact, got {version!r}")
        if not pkg.get("license"):
            raise VendorError(f"{name}: 'license' (an SPDX id) is required")
        files = pkg.get("files")
        if not isinstance(files, list) or not files:
            raise VendorError(f"{name}: 'files' must be a non-empty list")
        for rel in files:
            check_relative(name, rel)
    return packages


def check_relative(name: str, rel: str) -> None:
    """Refuse paths that could write outside the package's directory."""
    parts = Path(rel).parts
    if not rel or Path(rel).is_absolute() or ".." in parts:
        raise VendorError(f"{name}: unsafe file path {rel!r}")


def npm(*args: str, cwd: Path) -> str:
    exe = shutil.which("npm")
    if exe is None:
        raise VendorError("npm is not on PATH; it is needed to fetch packages")
    result = subprocess.run(  # noqa: S603 - fixed executable, arguments from vendor.json
        [exe, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise VendorError(f"npm {' '.join(args)} failed:\n{result.stderr.strip()}")
    return result.stdout


def fetch(pkg: dict, workdir: Path) -> tuple[Path, dict]:
    """Download one pinned release and prove it is the one the registry published."""
    spec = f"{pkg['name']}@{pkg['version']}"
    dist = json.loads(npm("view", spec, "dist", "--json", cwd=workdir) or "null")
    if not isinstance(dist, dict) or not dist.get("integrity"):
        raise VendorError(f"{spec}: the registry reports no such release")
    packed = json.loads(
        npm(
            "pack",
            spec,
            "--json",
            "--ignore-scripts",
            "--pack-destination",
            str(workdir),
            cwd=workdir,
        )
    )
    tarball = workdir / packed[0]["filename"]
    algo, _, expected = dist["integrity"].partition("-")
    if algo != "sha512":
        raise VendorError(f"{spec}: expected a sha512 integrity, got {algo!r}")
    actual = base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
    if actual != expected:
        raise VendorError(
            f"{spec}: tarball sha512 {actual} does not match the registry's {expected}"
        )
    return tarball, dist


def tar_members(tarball: Path) -> dict[str, tarfile.TarInfo]:
    """Regular files by path inside the package (npm's top directory stripped)."""
    members = {}
    with tarfile.open(tarball, "r:gz") as tar:
        for info in tar.getmembers():
            # Links could point outside the package; npm tarballs do not need them.
            if not info.isfile():
                continue
            _, _, rel = info.name.partition("/")
            if rel:
                members[rel] = info
    return members


def extract(pkg: dict, tarball: Path, staging: Path) -> tuple[dict[str, str], str]:
    """Copy the listed files and the licence into ``staging``.

    Returns the sha256 of each copied file by path, and the licence file's path.
    """
    name = pkg["name"]
    members = tar_members(tarball)
    with tarfile.open(tarball, "r:gz") as tar:
        meta = json.loads(tar.extractfile(members["package.json"]).read())
        if meta.get("name") != name or meta.get("version") != pkg["version"]:
            raise VendorError(
                f"{name}: tarball is {meta.get('name')}@{meta.get('version')}"
            )
        if meta.get("license") != pkg["license"]:
            raise VendorError(
                f"{name}: package.json says licence {meta.get('license')!r}, "
                f"{MANIFEST} says {pkg['license']!r}; check and correct {MANIFEST}"
            )
        licence = pkg.get("license_file") or find_licence(name, members)
        wanted = [*pkg["files"], licence]
        for rel in wanted:
            check_relative(name, rel)
            if rel not in members:
                raise VendorError(f"{name}@{pkg['version']} has no file {rel!r}")
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(tar.extractfile(members[rel]).read())
    return {rel: sha256_of(staging / rel) for rel in sorted(wanted)}, licence


def find_licence(name: str, members: dict[str, tarfile.TarInfo]) -> str:
    candidates = sorted(
        rel for rel in members if "/" not in rel and LICENCE_NAME.match(rel)
    )
    if len(candidates) != 1:
        raise VendorError(
            f"{name}: found licence files {candidates}; "
            f"name the right one with 'license_file' in {MANIFEST}"
        )
    return candidates[0]


def vendor(vendor_dir: Path) -> None:
    packages = load_manifest(vendor_dir)
    old_lock = read_lock(vendor_dir)
    locked = []
    with tempfile.TemporaryDirectory(prefix="vendor-") as tmp:
        tmp_path = Path(tmp)
        # Fetch and verify everything before touching static/vendor/, so a failure
        # halfway leaves the committed files as they were.
        staged = []
        for pkg in packages:
            work = tmp_path / "dl" / pkg["name"]
            work.mkdir(parents=True)
            tarball, dist = fetch(pkg, work)
            staging = tmp_path / "out" / pkg["name"]
            staging.mkdir(parents=True)
            hashes, licence = extract(pkg, tarball, staging)
            staged.append((pkg["name"], staging))
            locked.append(
                {
                    "name": pkg["name"],
                    "version": pkg["version"],
                    "license": pkg["license"],
                    "license_file": licence,
                    "source": "npm",
                    "tarball": dist.get("tarball"),
                    "integrity": dist["integrity"],
                    "files": hashes,
                    "why": pkg.get("why", ""),
                }
            )
            print(f"verified {pkg['name']}@{pkg['version']} ({len(hashes)} files)")
        for name, staging in staged:
            target = vendor_dir / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(staging, target)
    current = {pkg["name"] for pkg in packages}
    for gone in old_lock.get("packages", []):
        if gone["name"] not in current and (vendor_dir / gone["name"]).is_dir():
            shutil.rmtree(vendor_dir / gone["name"])
            print(f"removed {gone['name']} (no longer in {MANIFEST})")
    lock = {"packages": locked}
    (vendor_dir / LOCK).write_text(json.dumps(lock, indent=2) + "\n", encoding="utf-8")
    write_readme(vendor_dir, lock)
    print(f"wrote {LOCK} and {README}")


def read_lock(vendor_dir: Path) -> dict:
    path = vendor_dir / LOCK
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def basemap_section(existing: str) -> str:
    start, end = existing.find(BASEMAP_BEGIN), existing.find(BASEMAP_END)
    if start == -1 or end < start:
        return BASEMAP_PLACEHOLDER
    return existing[start + len(BASEMAP_BEGIN) : end].lstrip("\n")


def render_readme(lock: dict, basemap: str) -> str:
    lines = [
        "# Vendored third-party assets",
        "",
        "Generated by `scripts/vendor.py` from `vendor.json` (the pinned list): do",
        "not edit by hand. To change a version, edit `vendor.json` and run",
        "`make vendor`;",
        "`python scripts/vendor.py --check` (run by `tests/project/test_vendor.py`)",
        "verifies, offline, that the files below are exactly what was vendored.",
        "",
        "Every package is downloaded from the npm registry with `npm pack`, and its",
        "tarball's sha512 is checked against the `dist.integrity` the registry",
        "reports before anything is copied.",
        "",
        "| package | version | licence | source | licence file |",
        "| --- | --- | --- | --- | --- |",
    ]
    for pkg in lock["packages"]:
        lines.append(
            f"| {pkg['name']} | {pkg['version']} | {pkg['license']} | "
            f"npm (`{pkg['integrity']}`) | `{pkg['name']}/{pkg['license_file']}` |"
        )
    lines += ["", "Why each package is here:", ""]
    lines += [
        f"- **{pkg['name']}**: {pkg.get('why') or '-'}" for pkg in lock["packages"]
    ]
    lines += [
        "",
        "## Files",
        "",
        "| file | package | version | licence | sha256 |",
        "| --- | --- | --- | --- | --- |",
    ]
    for pkg in lock["packages"]:
        for rel, digest in pkg["files"].items():
            lines.append(
                f"| `{pkg['name']}/{rel}` | {pkg['name']} | {pkg['version']} | "
                f"{pkg['license']} | `{digest}` |"
            )
    lines += ["", "## Basemap", "", BASEMAP_BEGIN, basemap.rstrip("\n"), BASEMAP_END]
    return "\n".join(lines) + "\n"


def write_readme(vendor_dir: Path, lock: dict) -> None:
    path = vendor_dir / README
    existing = path.read_text(encoding="utf-8") if path.exists() else ""
    path.write_text(render_readme(lock, basemap_section(existing)), encoding="utf-8")


def check(vendor_dir: Path) -> list[str]:
    """Every reason the vendored tree differs from the lock and the manifest."""
    problems = []
    packages = load_manifest(vendor_dir)
    lock = read_lock(vendor_dir)
    if not lock:
        return [f"{LOCK} is missing: run scripts/vendor.py"]
    locked = {pkg["name"]: pkg for pkg in lock.get("packages", [])}
    for pkg in packages:
        entry = locked.get(pkg["name"])
        if entry is None:
            problems.append(f"{pkg['name']}: in {MANIFEST} but never vendored")
            continue
        for key in ("version", "license"):
            if entry[key] != pkg[key]:
                problems.append(
                    f"{pkg['name']}: {MANIFEST} pins {key} {pkg[key]!r}, "
                    f"vendored {entry[key]!r}"
                )
        missing = set(pkg["files"]) - set(entry["files"])
        if missing:
            problems.append(
                f"{pkg['name']}: listed but not vendored: {sorted(missing)}"
            )
    for name in set(locked) - {pkg["name"] for pkg in packages}:
        problems.append(f"{name}: vendored but no longer in {MANIFEST}")
    for name, entry in locked.items():
        pkg_dir = vendor_dir / name
        for rel, digest in entry["files"].items():
            path = pkg_dir / rel
            if not path.is_file():
                problems.append(f"{name}/{rel}: missing")
            elif sha256_of(path) != digest:
                problems.append(f"{name}/{rel}: sha256 differs from {LOCK}")
        if pkg_dir.is_dir():
            for path in sorted(pkg_dir.rglob("*")):
                rel = path.relative_to(pkg_dir).as_posix()
                if path.is_file() and rel not in entry["files"]:
                    problems.append(f"{name}/{rel}: not vendored by this script")
    readme = vendor_dir / README
    existing = readme.read_text(encoding="utf-8") if readme.exists() else ""
    if existing != render_readme(lock, basemap_section(existing)):
        problems.append(f"{README} is out of date with {LOCK}: run scripts/vendor.py")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="verify vendored files against the lock (offline); exit 1 on mismatch",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=DEFAULT_DIR,
        help="the vendor directory holding vendor.json (default: static/vendor)",
    )
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.dir)
            for problem in problems:
                print(f"vendor check: {problem}", file=sys.stderr)
            if problems:
                return 1
            print("vendor check: all vendored files match vendor.lock.json")
            return 0
        vendor(args.dir)
    except VendorError as exc:
        print(f"vendor: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
