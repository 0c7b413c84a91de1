"""deploy/prometheus and deploy/grafana: the alert rules pass ``promtool check rules`` and their
unit tests (``promtool test rules``, Debian's prometheus package); every alert has a test; the
Grafana dashboard is valid JSON and every query in it, like every rule, names only metrics
Recital exports (or Prometheus's own ``up``)."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY
from prometheus_client.core import Metric

import shared.observability.metrics  # noqa: F401 - registers every counted metric
from shared.observability.readings import DatabaseReadings, QueueReadings, ScrapeErrors
from tests.support.stack import ROOT, require_tool

RULES = ROOT / "deploy" / "prometheus" / "rules.yml"
RULES_TEST = ROOT / "deploy" / "prometheus" / "rules_test.yml"
DASHBOARD = ROOT / "deploy" / "grafana" / "recital.json"
# A word that could be a metric: PromQL functions, keywords and labels are filtered out below.
NAME = re.compile(r"\b(?:recital_[a-z_]+|up)\b")
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def exported_series() -> set[str]:
    """Every series name Recital's processes and scrape-time readings can expose."""

    def families() -> list[Metric]:
        queues, database = QueueReadings("redis://127.0.0.1:1/0", ()), DatabaseReadings(dict)
        readings = [queues, database, ScrapeErrors({"queues": queues, "database": database})]
        return [*REGISTRY.collect(), *(f for r in readings for f in r.collect())]

    names = {"up"}
    for family in families():
        if family.name.startswith("recital_"):
            names |= {family.name + suffix for suffix in SUFFIXES[family.type]}
    return names


def queries_in_rules() -> list[str]:
    groups = yaml.safe_load(RULES.read_text())["groups"]
    return [rule["expr"] for group in groups for rule in group["rules"]]


def queries_in_dashboard() -> list[str]:
    dashboard: dict[str, Any] = json.loads(DASHBOARD.read_text())
    return [target["expr"] for panel in dashboard["panels"] for target in panel["targets"]]


def promtool(*args: str, cwd: Path = RULES.parent) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require_tool("promtool"), *args], cwd=cwd, capture_output=True, text=True, timeout=60
    )


def test_rules_are_valid_and_their_unit_tests_pass() -> None:
    checked = promtool("check", "rules", RULES.name)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert f"SUCCESS: {len(queries_in_rules())} rules found" in checked.stdout
    tested = promtool("test", "rules", RULES_TEST.name)
    assert tested.returncode == 0, tested.stdout + tested.stderr


def test_promtool_would_catch_a_broken_rule_or_a_wrong_expectation(tmp_path: Path) -> None:
    broken = tmp_path / "rules.yml"
    broken.write_text(RULES.read_text().replace("> 300", "> > 300", 1))
    assert promtool("check", "rules", str(broken)).returncode != 0
    wrong = tmp_path / "rules_test.yml"
    (tmp_path / "rules.yml").write_text(RULES.read_text())
    wrong.write_text(RULES_TEST.read_text().replace("wait 12m 40s", "wait 1m", 1))
    assert promtool("test", "rules", wrong.name, cwd=tmp_path).returncode != 0


def test_every_alert_has_a_unit_test() -> None:
    alerts = {r["alert"] for g in yaml.safe_load(RULES.read_text())["groups"] for r in g["rules"]}
    tested = {
        case["alertname"]
        for test in yaml.safe_load(RULES_TEST.read_text())["tests"]
        for case in test.get("alert_rule_test", [])
        if case.get("exp_alerts")
    }
    assert alerts == tested


@pytest.mark.parametrize("where", ["rules", "dashboard"])
def test_every_query_names_only_exported_metrics(where: str) -> None:
    queries = queries_in_rules() if where == "rules" else queries_in_dashboard()
    assert queries
    exported = exported_series()
    named = {name for query in queries for name in NAME.findall(query)}
    assert named - exported == set(), f"{where} names metrics nobody exports"
    # and the dashboard shows every family at least once
    if where == "dashboard":
        families = {
            n.removesuffix(s)
            for n in exported
            for s in ("_total", "_bucket", "_count", "_sum")
            if n.endswith(s)
        }
        families |= {n for n in exported if not n.endswith(("_total", "_bucket", "_count", "_sum"))}
        shown = {
            n.removesuffix(s)
            for n in named
            for s in ("_total", "_bucket", "_count", "_sum", "")
            if n.endswith(s)
        }
        assert families - shown - {"up"} == set()


def test_the_dashboard_is_a_grafana_dashboard() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] == "recital" and dashboard["schemaVersion"] >= 36
    ids = [panel["id"] for panel in dashboard["panels"]]
    assert len(ids) == len(set(ids))
    for panel in dashboard["panels"]:
        assert panel["datasource"]["type"] == "prometheus"
        assert {"x", "y", "w", "h"} <= set(panel["gridPos"])
        refs = [target["refId"] for target in panel["targets"]]
        assert len(refs) == len(set(refs)) and all(target["expr"].strip() for target in panel["targets"])
