"""The domain boundary, enforced: floors, no cycles, no reaching into a peer's models.

`docs/architecture.md` explains the floors. Read from the source (AST), so a rule broken in a
function body or behind a lazy import is found too; imports under `if TYPE_CHECKING:` are
for type hints only and are not counted. Writes across domains are caught at run time by the
ownership guard in `tests/ownership.py`, active for the whole suite.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "cbec_alliance"

# Each floor may import only the floors before it (and itself within one package). Within
# the domain floor the order is the order of dependence: a later domain may use an earlier
# one's services, never the other way round.
FLOORS: list[tuple[str, ...]] = [
    ("core", "extensions"),
    ("audit",),
    ("accounts",),
    ("taxonomy",),
    ("organizations",),
    ("notifications",),
    # Uploaded files; who sees one is asked of the kinds each domain registers (kinds.py).
    ("documents",),
    ("students",),
    ("internships",),
    ("applications",),
    ("recommendations",),
    ("competitions",),
    ("courses",),
    ("training_bases",),
    ("lectures",),
    ("matching",),
    ("partnerships",),
    ("surveys",),
    # Reacts to accepted applications and match-round offers (applications.signals).
    ("placements",),
    # Exam sites are universities and training bases; passes become students' certificates.
    ("careers",),
    # Feeds of events, competitions and exam sittings (each domain's calendar.py).
    ("calendar",),
    # Enterprise teachers on courses; university teachers' practice in enterprises.
    ("teaching",),
    # Programmes link courses, certificates and students' cohorts.
    ("programmes",),
    # Graduate destinations: reads students' universities and majors (students.services).
    ("destinations",),
    # Government policies: eligibility figures come from insights (policies.services.figures_of).
    ("policies",),
    # Industry indicators (trade value, enterprises): regions are destinations' GB/T 2260.
    ("indicators",),
    # A university's student roster: reads files with destinations' and indicators' helpers.
    ("rosters",),
    # Conversations on the objects of every domain above: their parties are the participants.
    ("conversations",),
    ("insights",),
    ("monitoring",),
    # The annual report: made of the monitoring summaries and survey reports it must equal.
    ("reports",),
    (
        "health",
        "cli",
        "demo",
        "demo_activity",
        "demo_cooperation",
        "demo_placements",
        "demo_careers",
        "demo_teaching",
        "demo_programmes",
        "demo_destinations",
        "demo_policies",
        "demo_reports",
        # Export and erasure read every table that names a user.
        "privacy",
        # The web console: pages over every domain's services.
        "console",
        "__init__",
    ),
]
RANK = {name: k for k, floor in enumerate(FLOORS) for name in floor}
# The shared kernel every domain may read directly: who people are, which organizations they
# belong to, and the vocabulary. Every other domain's models are read through its services,
# except by `insights` (reports across domains) and the top floor (CLI, demo data).
KERNEL_MODELS = {"accounts.models", "organizations.models", "taxonomy.models"}
READS_EVERYTHING = {"insights", *FLOORS[-1]}


def _package_of(path: Path) -> str:
    rel = path.relative_to(PACKAGE)
    return _node(rel.parts[0].removesuffix(".py"))


def _node(name: str) -> str:
    # extensions.py holds core's uninitialised extensions: one node with core.
    return "core" if name == "extensions" else name


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.body:
                lines.update(range(child.lineno, (child.end_lineno or child.lineno) + 1))
    return lines


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted module under cbec_alliance) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    hints = _type_checking_lines(tree)
    out: list[tuple[int, str]] = []
    here = list(path.relative_to(PACKAGE).with_suffix("").parts)
    for node in ast.walk(tree):
        if getattr(node, "lineno", None) in hints:
            continue
        if isinstance(node, ast.ImportFrom) and node.level > 0:
            # `from . import x`, `from .models import y`: resolved against this file.
            package = here[:-1]  # a module's package; an __init__'s is its own folder
            base = package[: len(package) - (node.level - 1)]
            prefix = ".".join([*base, *([node.module] if node.module else [])])
            if node.module:
                out.append((node.lineno, prefix))
            else:
                out += [(node.lineno, f"{prefix}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "cbec_alliance":
                out += [(node.lineno, alias.name) for alias in node.names]
            elif node.module.startswith("cbec_alliance."):
                out.append((node.lineno, node.module.removeprefix("cbec_alliance.")))
        elif isinstance(node, ast.Import):
            out += [
                (node.lineno, a.name.removeprefix("cbec_alliance."))
                for a in node.names
                if a.name.startswith("cbec_alliance.")
            ]
    return out


def _edges() -> list[tuple[str, str, str, int]]:
    """(importing package, imported package, imported module, line) across packages."""
    edges = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = _package_of(path)
        for line, module in _imports(path):
            target = _node(module.split(".")[0])
            if target != source:
                edges.append((str(path.relative_to(PACKAGE.parent)), source, target, module, line))
    return edges


def test_every_package_has_a_floor():
    packages = {_package_of(p) for p in PACKAGE.rglob("*.py")}
    assert packages - set(RANK) == set(), "add the new package to FLOORS (docs/architecture.md)"


def test_imports_only_go_down_the_floors():
    upward = [
        f"{path}:{line} ({source} imports {module})"
        for path, source, target, module, line in _edges()
        if RANK.get(target, -1) > RANK.get(source, -1)
    ]
    assert upward == []


def _cyclic_groups(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one package (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in list(graph):
        if node not in index:
            visit(node)
    return sorted(groups)


def test_no_cycles_between_packages():
    graph: dict[str, set[str]] = defaultdict(set)
    for _path, source, target, _module, _line in _edges():
        graph[source].add(target)
    assert _cyclic_groups(graph) == []


def test_core_imports_no_domain():
    reached = [
        f"{path}:{line} imports {module}"
        for path, source, target, module, line in _edges()
        if source in FLOORS[0] and target not in FLOORS[0]
    ]
    assert reached == []


# Calls that write the table of the model (or counter) given as their first argument.
WRITERS = {
    "insert",
    "update",
    "delete",
    "insert_ignore",
    "upsert",
    "bulk_update",
    "take",
    "give_back",
    "ensure",
}


def _imported_models(tree: ast.AST, source: str) -> set[str]:
    """Names this module binds to another domain's models (classes and counters)."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            module = node.module.removeprefix("cbec_alliance.")
            owner = _node(module.split(".")[0])
            if module.endswith(".models") and owner not in (source, "core"):
                names |= {alias.asname or alias.name for alias in node.names}
    return names


def _writes(path: Path) -> list[str]:
    """Lines where the module constructs, inserts, updates or deletes another domain's rows."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    foreign = _imported_models(tree, _package_of(path))
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in foreign:
            found.append(f"{path.name}:{node.lineno} creates {func.id}")
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        if name in WRITERS and node.args:
            first = node.args[0]
            if isinstance(first, ast.Attribute):  # Model.__table__
                first = first.value
            if isinstance(first, ast.Name) and first.id in foreign:
                found.append(f"{path.name}:{node.lineno} {name}s {first.id}")
    return found


def test_no_module_writes_another_domains_models():
    """Only a domain's own modules write its tables (the top floor aside); the others call
    its services. The ownership guard (tests/ownership.py) checks the same at run time."""
    writes = [
        f"{path.relative_to(PACKAGE.parent)}: {w}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if _package_of(path) not in FLOORS[-1]
        for w in _writes(path)
    ]
    assert writes == []


def test_no_cycles_between_modules():
    """Not even a circle of two files inside one floor (lazy imports in functions count)."""
    graph: dict[str, set[str]] = defaultdict(set)
    modules = {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in PACKAGE.rglob("*.py")
    }
    for path in PACKAGE.rglob("*.py"):
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        for _line, module in _imports(path):
            full = f"cbec_alliance.{module}"
            while full not in modules and "." in full:
                full = full.rsplit(".", 1)[0]
            if full in modules and full != name and not name.startswith(full + "."):
                graph[name].add(full)
    assert _cyclic_groups(graph) == []


@pytest.mark.parametrize("name", ["insights"])
def test_nothing_below_the_top_imports_insights(name):
    below = [
        f"{path}:{line}"
        for path, source, target, _module, line in _edges()
        if target == name and RANK[source] < RANK[name]
    ]
    assert below == []


def test_the_ownership_guard_sees_a_write_from_another_domain(ctx):
    """The run-time guard is not blind: a row of internships created, and one of its columns
    set, by code that lives in the applications package is recorded; the same from the
    internships package, or from a test, is not."""
    from tests import ownership

    before = list(ownership.violations)
    foreign = compile(
        "posting = Internship(title='越界 out of bounds')\nposting.status = 'open'\n",
        str(PACKAGE / "applications" / "probe.py"),
        "exec",
    )
    own = compile("Internship(title='自己的')\n", str(PACKAGE / "internships" / "probe.py"), "exec")
    from cbec_alliance.internships.models import Internship

    exec(foreign, {"Internship": Internship})  # noqa: S102 - code compiled above, as a probe
    exec(own, {"Internship": Internship})  # noqa: S102
    Internship(title="from a test")
    found = ownership.violations[len(before) :]
    ownership.violations[:] = before
    assert [v.split(" (")[1] for v in found] == [
        "applications) creates a row of internships, which internships owns",
        "applications) sets title of internships, which internships owns",
        "applications) sets status of internships, which internships owns",
    ]
