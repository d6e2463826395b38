"""Smoke test of scripts/bench.py: structure and write-count targets, never timings."""

from __future__ import annotations

import dataclasses
import importlib.util
from pathlib import Path
import sys
from types import ModuleType

import pytest

from homeassistant.core import HomeAssistant

BENCH_PATH = Path(__file__).resolve().parents[1] / "scripts" / "bench.py"


def _load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("cloud_status_bench", BENCH_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Registered before running it: its dataclasses look their module up.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


bench = _load_bench()


def test_synthetic_page_shape() -> None:
    """Without ../shared the page is generated: Duo's shape, B flips one status."""
    page = bench.load_page(path=Path(__file__).parent / "no_such_page.json")
    assert page.source == "synthetic"
    assert (page.components, page.groups) == (539, 69)
    assert len(page.body_b) == len(page.body_a) + len("degraded_performance") - len(
        "operational"
    )


@pytest.mark.skipif(not bench.DUO_PAGE.is_file(), reason="../shared is absent")
def test_duo_page_flip() -> None:
    """The Duo page is read from ../shared and flipped in place."""
    page = bench.load_page()
    assert page.source == "shared"
    assert (page.name, page.components, page.groups) == ("Duo", 539, 69)
    allowed, page_keys = bench.expected_writes(page, "statuspage:x")
    assert page_keys == ["overall_status", "problem"]
    assert len(allowed) == 4


async def test_measure_targets(hass: HomeAssistant) -> None:
    """A tiny run: (a) and (b) parse nothing, (c) writes only the four entities."""
    iterations = 3
    figures = await bench.measure(
        hass, bench.load_page(synthetic=True), iterations=iterations
    )

    # Timings are never judged here (three polls on a shared machine): only that the
    # timing targets are reported, and without a baseline on the synthetic page.
    assert all(figures["targets"].values())
    assert set(figures["timing_targets"]) == {"c_within_1_5_json_loads"}
    assert figures["baseline"] is None
    assert figures["ok"] is all(figures["timing_targets"].values())
    assert figures["iterations"] == iterations
    assert figures["page"]["source"] == "synthetic"
    assert figures["page"]["entities"] == 2 * 539 + 9
    assert set(figures["scenarios"]) == {"a", "b", "c"}
    for row in figures["scenarios"].values():
        assert row["median_cpu_us"] > 0
        assert row["json_loads_us"] > 0
        assert row["ratio"] > 0

    a, b, c = (figures["scenarios"][key] for key in "abc")
    assert a["http_status"] == {"200": iterations}
    assert b["http_status"] == {"304": iterations}
    assert (a["parses_per_poll"], a["decodes_per_poll"]) == (0, 0)
    assert (b["parses_per_poll"], b["decodes_per_poll"]) == (0, 0)
    assert (a["writes_per_poll"], b["writes_per_poll"]) == (0, 0)

    detail = figures["c_detail"]
    assert detail["page_level_values_changed"] == ["overall_status", "problem"]
    assert detail["allowed_writes_per_poll"] == 4
    assert c["parses_per_poll"] == 1
    # The component's problem sensor is disabled by default: it writes nothing.
    assert c["writes_per_poll"] == 3
    assert c["max_writes_per_poll"] <= detail["allowed_writes_per_poll"]
    assert detail["unexpected_entity_ids"] == []
    assert detail["sample_poll_written_entity_ids"] == [
        "binary_sensor.synthetic_problem",
        "sensor.synthetic_overall_status",
        "sensor.synthetic_region_01_service_1",
    ]
    assert detail["allowed_entity_ids"] == [
        "binary_sensor.synthetic_problem",
        "binary_sensor.synthetic_region_01_service_1_problem",
        "sensor.synthetic_overall_status",
        "sensor.synthetic_region_01_service_1",
    ]

    memory = figures["memory"]
    assert 0 < memory["own_bytes"] < bench.OWN_MEMORY_LIMIT
    assert figures["targets"]["own_memory_under_1_mib"] is True
    assert memory["total_bytes"] == memory["own_bytes"] + memory["home_assistant_bytes"]
    assert memory["home_assistant_bytes"] > memory["own_bytes"]
    assert sum(memory["own_by_file"].values()) == memory["own_bytes"]
    # The last body (kept to notice an identical one) and the decoded strings the
    # Components hold; no decoded JSON beyond those.
    assert memory["own_by_file"]["api/http.py"] >= len(
        bench.load_page(synthetic=True).body_a
    )
    assert memory["states"] == 539 + 9
    assert memory["polls"] == bench.MEMORY_POLLS

    table = bench.format_table(figures)
    for label in bench.SCENARIOS.values():
        assert label in table
    assert "synthetic page" in table
    assert "the integration's own" in table
    assert "baseline: recorded for the shared Duo page only" in table


def test_timing_targets_compare_with_the_baseline() -> None:
    """On Duo's page each scenario is held to its baseline ratio, with the tolerance."""
    page = dataclasses.replace(bench.load_page(synthetic=True), source="shared")
    limit = 1 + bench.BASELINE_TOLERANCE
    baseline = bench.BASELINE["scenarios"]

    at_limit = {key: {"ratio": row["ratio"] * limit} for key, row in baseline.items()}
    targets = bench.timing_targets_of(at_limit, page)
    assert [targets[f"{key}_not_slower"] for key in "abc"] == [True, True, True]

    over = {
        key: {"ratio": row["ratio"] * limit * 1.01} for key, row in baseline.items()
    }
    targets = bench.timing_targets_of(over, page)
    assert [targets[f"{key}_not_slower"] for key in "abc"] == [False, False, False]

    assert bench.timing_targets_of(
        {"c": {"ratio": 1.5}}, dataclasses.replace(page, source="synthetic")
    ) == {"c_within_1_5_json_loads": True}
    assert bench.timing_targets_of(
        {"c": {"ratio": 1.51}}, dataclasses.replace(page, source="synthetic")
    ) == {"c_within_1_5_json_loads": False}


@pytest.mark.parametrize(
    "module", bench.demo_platforms.platforms(), ids=lambda module: module.NAME
)
async def test_platform_rows(hass: HomeAssistant, module: ModuleType) -> None:
    """Each demo platform's entry is made as Any status page makes it, then polled."""
    page = bench.load_page(synthetic=True)
    summaries = (bench._as_summary(page.body_a), bench._as_summary(page.body_b))

    row = await bench.bench_platforms.measure_platform(
        hass, module, summaries, 2, bench._platform_session
    )

    assert row["provider"] == module.__name__.rsplit(".", 1)[-1]
    assert row["components"] > 0
    for key in ("a", "c"):
        assert row[key]["requests_per_poll"] >= 1
        assert row[key]["body_bytes"] > 0
        assert row[key]["median_cpu_us"] > 0
    lines = bench.bench_platforms.format_rows([row])
    assert any(line.startswith(row["provider"]) for line in lines)
