"""The README's screenshots: every picture ``make screenshots`` takes is committed,
is a PNG of the viewport it claims, and is shown in the README (and the README shows
no picture the command does not make, so none goes stale by hand)."""

import importlib.util
import re
import struct
import sys

from tests import ROOT

SCRIPT = ROOT / "scripts" / "screenshots.py"
README = ROOT / "README.md"


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _expected() -> dict[str, int]:
    script = _script()
    names = {shot.name for shot in script.shots(1, "al-omar")}
    return {
        script.file_name(name, language, viewport): width
        for name in names
        for language in script.LANGUAGES
        for viewport, (width, _height) in script.VIEWPORTS.items()
    }


def _png_size(path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path.name} is not a PNG"
    return struct.unpack(">II", head[16:24])


def test_every_screenshot_is_committed_at_its_viewport_width():
    for name, width in _expected().items():
        path = ROOT / "docs" / "screenshots" / name
        assert path.is_file(), f"{name} missing: run make screenshots"
        assert _png_size(path)[0] == width, name


def test_the_readme_shows_exactly_the_screenshots_the_command_takes():
    shown = set(re.findall(r"docs/screenshots/([\w.-]+\.png)", README.read_text()))
    assert shown == set(_expected())
