"""The layers import one way: page -> figures -> core, never back (docs/architecture.md)."""

import ast

import pytest
from conftest import ROOT

PACKAGE = ROOT / "timeline"


def imported(path) -> set[str]:
    """Return the modules a file imports, relative ones resolved within the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    package = parts[:-1]  # a module's package; for __init__.py, the package itself
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
                found.add(module)
                if node.module is None:  # `from . import figures` imports a module too
                    found |= {f"{module}.{alias.name}" for alias in node.names}
            else:
                found.add(node.module or "")
    return found


def layer(path) -> str:
    parts = path.relative_to(PACKAGE).parts
    if parts in (("cli.py",), ("__main__.py",)):
        return "command line"
    return parts[0] if parts[0] in ("page", "figures") else "core"


FILES = sorted(PACKAGE.rglob("*.py"))
FORBIDDEN = {
    # A core module never draws or shows: no plotly, no streamlit, no figures, no page.
    "core": ("streamlit", "plotly", "timeline.figures", "timeline.page", "timeline.cli"),
    "figures": ("streamlit", "timeline.page"),
    # The command line is a front end, as the page is: it hands the figures to the static
    # page's exporter (which draws nothing itself), and never shows anything in Streamlit.
    "command line": ("streamlit", "timeline.page"),
    "page": (),
}


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_go_one_way(path):
    bad = [
        name
        for name in imported(path)
        for banned in FORBIDDEN[layer(path)]
        if name == banned or name.startswith(banned + ".")
    ]
    assert not bad, f"{path.relative_to(ROOT)} ({layer(path)}) imports {bad}"


def test_the_checker_sees_imports():
    # The rule would pass on a checker that finds nothing: make sure it finds the page's.
    assert "streamlit" in imported(PACKAGE / "page" / "parts.py")
    assert "timeline.figures" in imported(PACKAGE / "page" / "tabs" / "timeline_tab.py")
    assert "timeline.lanes" in imported(PACKAGE / "figures" / "timeline.py")
    assert "timeline.figures" in imported(PACKAGE / "cli.py")  # `from . import figures`
