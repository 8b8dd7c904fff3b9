"""The real-sites bar, measured as `valine eval-site` measures it: every fixture request through the
lifecycle of a local stack serving that site (signed interactions, the queue, moto's DynamoDB, the
GitHub emulator's git repository), each preview confirmed and its pull request judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from valine_cli.aws_stage import CliError
from valine_cli.eval_site import evaluate, read_cases, summary, table

SITES = Path(__file__).resolve().parents[1] / "sites"


@pytest.mark.parametrize("site", ["startup-nextjs", "react-landing-page-template", "next-saas-stripe-starter",
                                  "own-orbit-vite-router", "own-cafe-cra-styled"])
def test_each_fixture_site_meets_the_bar(site: str) -> None:
    # GIVEN the site's labelled requests, WHEN each goes through the lifecycle
    cases = read_cases(SITES / site / "requests.jsonl")
    results = evaluate(SITES / site, cases)
    s = summary(results)
    report = table(s) + "".join(f"\n{r.id}: {r.verdict.result} ({r.verdict.outcome}) {r.verdict.why}"
                                for r in results if r.verdict.result != "right")
    # THEN no request previews a wrong change, and at least 90% get exactly the expected outcome
    assert s["cases"] == len(cases) >= 10
    assert s["wrong"] == 0, report
    assert s["right_share"] >= 0.9, report
    # AND an edit that was right really opened a pull request with the expected files
    for r, case in zip(results, cases, strict=True):
        if r.verdict.result == "right" and case["expect"].get("outcome", "edit") == "edit":
            assert sorted(r.files) == sorted(case["expect"]["files"]), r


def test_a_wrong_preview_counts_as_wrong(tmp_path: Path) -> None:
    # GIVEN a case whose expectation the agent's (right) edit cannot meet
    site = SITES / "react-landing-page-template"
    case = json.loads((site / "requests.jsonl").read_text().splitlines()[0])
    case["expect"] = {**case["expect"], "outcome": "clarify"}
    # WHEN it is evaluated THEN the confirmed preview is a wrong one, with the files it touched
    [result] = evaluate(site, [case])
    assert result.verdict.result == "wrong" and result.verdict.outcome == "edit"
    assert result.files


def test_bad_case_files_say_how_to_fix_them(tmp_path: Path) -> None:
    bad = tmp_path / "cases.jsonl"
    bad.write_text('{"id": "a", "request": "x"}\n')
    with pytest.raises(CliError, match="needs id, request and expect"):
        read_cases(bad)
    bad.write_text("not json\n")
    with pytest.raises(CliError, match=r"cases.jsonl:1 is not JSON"):
        read_cases(bad)
    with pytest.raises(CliError, match="does not exist"):
        read_cases(tmp_path / "missing.jsonl")
