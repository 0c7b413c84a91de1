"""``shared.domain`` compiled with mypyc, as the worker image runs it, behaves
exactly as the Python source the rest of the suite runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.support.compiled import compiled_tree, run_python
from tests.support.stack import ROOT

DOMAIN = ROOT / "shared" / "domain"


@pytest.fixture(scope="module")
def tree() -> Path:
    return compiled_tree()


def output_of(code: str, tree: Path | None) -> str:
    done = run_python(["-c", code], tree, timeout=240)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_every_domain_module_is_an_extension_module(tree: Path) -> None:
    code = (
        "import importlib, json, pkgutil, shared.domain as d\n"
        "names = [m.name for m in pkgutil.iter_modules(d.__path__)]\n"
        "print(json.dumps({n: importlib.import_module('shared.domain.' + n).__file__ for n in names}))"
    )
    files = json.loads(output_of(code, tree))
    assert set(files) == {p.stem for p in DOMAIN.glob("*.py")} - {"__init__"}
    assert all(Path(f).is_relative_to(tree) and f.endswith(".so") for f in files.values()), files


def test_compiled_and_source_score_random_recitations_alike(tree: Path) -> None:
    code = (
        "import json, shared.domain.scoring as s\n"
        "from tests.support.compiled import sample_results\n"
        "print(s.__file__)\n"
        "print(json.dumps(sample_results(60, seed=5)))"
    )
    compiled_file, compiled = output_of(code, tree).split("\n", 1)
    source_file, source = output_of(code, None).split("\n", 1)
    assert compiled_file.endswith(".so") and source_file.endswith(".py")
    compiled_results, source_results = json.loads(compiled), json.loads(source)
    statuses = {w["status"] for r in source_results for w in r["words"]}
    assert statuses >= {"correct", "substituted", "omitted", "inserted", "repeated", "self_corrected"}
    assert compiled_results == source_results


def test_domain_unit_tests_pass_against_the_compiled_modules(tree: Path) -> None:
    # pytest's own ``pythonpath`` setting would put the source first: point it at the build.
    code = (
        "import sys, pytest, shared.domain.alignment as a\n"
        "assert a.__file__.endswith('.so'), a.__file__\n"
        f"sys.exit(pytest.main([{str(ROOT / 'tests' / 'shared' / 'domain')!r}, '-q',"
        f" '-p', 'no:cacheprovider', '--rootdir', {str(ROOT)!r}, '-o', 'pythonpath={tree}',"
        " '--deselect', 'tests/shared/domain/test_compiled.py']))"
    )
    output = output_of(code, tree)
    assert " passed" in output and "failed" not in output, output[-2000:]


def test_the_write_path_writes_compiled_results_as_their_contract_dicts(tree: Path) -> None:
    # The score rows' JSON (shared/db/result_json.py) of results built by the compiled classes,
    # which have neither __slots__ nor __dict__: orjson's dataclass support crashed the process
    # on them. The module is loaded from the source: the build's copy of shared/db may be older.
    source = str(ROOT / "shared" / "db" / "result_json.py")
    code = (
        "import importlib.util, json, orjson\n"
        "from tests.support.compiled import sample_scored\n"
        f"spec = importlib.util.spec_from_file_location('rj', {source!r})\n"
        "rj = importlib.util.module_from_spec(spec); spec.loader.exec_module(rj)\n"
        "pairs = [(orjson.loads(rj.result_json(s)), json.loads(json.dumps(s.to_dict())))"
        " for s in sample_scored(30, seed=7)]\n"
        "print(json.dumps([[list(w), w == d] for w, d in pairs]))"
    )
    checked = json.loads(output_of(code, tree))
    assert len(checked) == 30 and all(same for _keys, same in checked)
    assert all(keys[0] == "scores" and "hesitations" in keys for keys, _same in checked)


def test_the_build_is_made_again_when_any_installed_source_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build folder holds a copy of the whole project and processes run in it
    import all of it from there: a build keyed on shared.domain alone ran stale
    services (the re-scoring bench measured code since changed)."""
    import tests.support.compiled as compiled

    for name in ("shared/domain/scoring.py", "shared/services/rescoring.py", "web/app.py", "setup.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x = 1\n")
    (tmp_path / "pyproject.toml").write_text("")
    monkeypatch.setattr(compiled, "ROOT", tmp_path)
    first = compiled._fingerprint()
    (tmp_path / "shared/services/rescoring.py").write_text("x = 2\n")
    second = compiled._fingerprint()
    (tmp_path / "web/app.py").write_text("x = 2\n")
    assert len({first, second, compiled._fingerprint()}) == 3
