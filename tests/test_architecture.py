"""The layers import one way: page -> figures -> core, never back (docs/architecture.md).

Inside the core too: the exporters use the core, the rest of the core never uses them.
And no function in the package is over MAX_FUNCTION_LINES lines.
"""

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


EXPORTERS = PACKAGE / "exporters"
CORE_BUT_EXPORTERS = [p for p in FILES if layer(p) == "core" and EXPORTERS not in p.parents]


@pytest.mark.parametrize("path", CORE_BUT_EXPORTERS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_never_imports_the_exporters(path):
    # An exporter writes what the core holds (the card, the view, the tables); the core
    # holds nothing an exporter made, so a new format never touches the core.
    bad = sorted(
        n
        for n in imported(path)
        if n == "timeline.exporters" or n.startswith("timeline.exporters.")
    )
    assert not bad, f"{path.relative_to(ROOT)} (core) imports {bad}"


def test_the_checker_sees_the_exporters_and_the_core():
    assert "timeline.exporters.tables" in imported(PACKAGE / "page" / "tabs" / "table_tab.py")
    assert "timeline.card" in imported(PACKAGE / "exporters" / "html.py")
    assert PACKAGE / "views.py" in CORE_BUT_EXPORTERS
    assert PACKAGE / "exporters" / "html.py" not in CORE_BUT_EXPORTERS


MAX_FUNCTION_LINES = 60


def long_functions(source: str, most: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """Return each function (nested ones too) of more than `most` lines, with its length.

    A function's lines run from its `def` to its last line, its decorators left out.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > most:
                found.append((node.name, length))
    return found


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("def f():\n" + "    x = 1\n" * 59, []),  # 60 lines: the most allowed
        ("def f():\n" + "    x = 1\n" * 60, [("f", 61)]),
        ("@cache\ndef f():\n" + "    x = 1\n" * 59, []),  # decorators are not counted
        ("class C:\n    async def g(self):\n" + "        x = 1\n" * 61, [("g", 62)]),
        ("def f():\n    def inner():\n" + "        x = 1\n" * 70, [("f", 72), ("inner", 71)]),
    ],
)
def test_long_functions_are_counted_from_def_to_last_line(source, found):
    assert long_functions(source, 60) == found


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_is_over_60_lines(path):
    long = long_functions(path.read_text(encoding="utf-8"))
    assert not long, f"{path.relative_to(ROOT)}: split {long} (at most {MAX_FUNCTION_LINES} lines)"
