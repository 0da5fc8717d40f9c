"""Nothing imports upward: the API and the pages sit on ``filters``, selectors and
services, and no package below them imports either (DESIGN.md, *Layout*)."""

import ast
import re
from pathlib import Path

import incidents

PACKAGE = Path(incidents.__file__).resolve().parent
PAGES = {"pages"}


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, as a dotted name under ``incidents``."""
    here = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = here[:-1]  # a module's package; for __init__, the package itself
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *(node.module or "").split(".")]).strip(".")
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {name for name in found if name.startswith("incidents")}


def modules_in(*parts: str) -> list[Path]:
    return sorted((PACKAGE.joinpath(*parts)).rglob("*.py"))


def importers_of(prefix: str, paths: list[Path]) -> list[str]:
    return [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in paths
        for name in sorted(imported_modules(path))
        if name == prefix or name.startswith(prefix + ".")
    ]


def outside(*excluded: str) -> list[Path]:
    return [
        path
        for path in modules_in()
        if path.relative_to(PACKAGE).parts[0] not in excluded
        and path.relative_to(PACKAGE).with_suffix("").parts[0] not in excluded
    ]


def test_no_module_outside_the_api_imports_it():
    paths = outside("api", "migrations")
    assert len(paths) > 100
    assert importers_of("incidents.api", paths) == []


def test_filters_import_neither_the_api_nor_a_page():
    paths = modules_in("filters")
    assert paths
    hits = importers_of("incidents.api", paths)
    for page in PAGES:
        hits += importers_of(f"incidents.{page}", paths)
    assert hits == []


def test_the_check_sees_relative_imports():
    page = imported_modules(PACKAGE / "stats" / "figures.py")
    assert {"incidents.upkeep", "incidents.filters.params"} <= page
    views = imported_modules(PACKAGE / "api" / "views.py")
    assert {"incidents.filters.params", "incidents.selectors"} <= views
    # The API's own modules import it: the check would name them.
    assert importers_of("incidents.api", [PACKAGE / "api" / "views.py"])


MAX_MODULE_LINES = 400


def test_no_python_module_is_over_400_lines():
    """Split a module when it passes ~400 lines (DESIGN.md): the app, the settings,
    the benchmarks and the scripts alike; migrations and tests aside."""
    project = PACKAGE.parent
    modules = [
        *outside("migrations"),
        *(project / "config").glob("*.py"),
        *(project / "bench").glob("*.py"),
        *(project / "scripts").glob("*.py"),
    ]
    long = [
        f"{path.relative_to(project)}: {count} lines"
        for path in modules
        if (count := len(path.read_text(encoding="utf-8").splitlines()))
        > MAX_MODULE_LINES
    ]
    assert long == []


JS = PACKAGE.parent / "static" / "incidents" / "js"
MAX_JS_MODULE_LINES = 300
# Each page's entry point has its own, named alike on purpose.
ENTRY_POINTS = {"start"}
_JS_FUNCTION = re.compile(r"^(?:export )?(?:async )?function (\w+)", re.MULTILINE)


def _js_modules() -> list[Path]:
    return sorted(JS.rglob("*.js"))


def test_no_js_module_is_over_300_lines():
    """DESIGN.md: split a script past ~300 lines (the vendored libraries aside)."""
    assert _js_modules(), JS
    long = [
        f"{path.relative_to(JS)}: {count} lines"
        for path in _js_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines()))
        > MAX_JS_MODULE_LINES
    ]
    assert long == []


def test_each_js_helper_is_defined_once():
    """A helper two pages need lives in common/ and is imported, not copied."""
    defined: dict[str, list[str]] = {}
    for path in _js_modules():
        for name in _JS_FUNCTION.findall(path.read_text(encoding="utf-8")):
            defined.setdefault(name, []).append(str(path.relative_to(JS)))
    twice = {
        name: places
        for name, places in defined.items()
        if len(places) > 1 and name not in ENTRY_POINTS
    }
    assert twice == {}
