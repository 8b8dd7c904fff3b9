"""The real CLI synth of one phase, with Docker-free bundling, and what it bundles.

GIVEN a fresh checkout WHEN ``npx cdk synth -c phase=6 -c stage=dev`` runs THEN both
Lambda assets hold wheels for CPython 3.12 on manylinux x86_64 and the handlers import
from the bundled directory under Python 3.12, as Lambda would run them.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from infra.bundling import LAMBDA_PLATFORM, install_runtime_provided, lambda_python, zipped_size
from tests.infra.conftest import ROOT

pytestmark = pytest.mark.slow


def python312() -> str:
    found = lambda_python()
    if found is None:
        pytest.fail("Python 3.12 is needed to import the bundle as Lambda would; install it (pyenv install 3.12)")
    return found


@pytest.fixture(scope="module")
def cloud_assembly() -> Path:
    # A kept output directory: CDK re-bundles only when an asset's fingerprint changes.
    out = ROOT / ".cache" / "cdk.out-test"
    env = {**os.environ, "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20",
           "CDK_DISABLE_CLI_TELEMETRY": "true"}
    result = subprocess.run(
        ["npx", "cdk", "synth", "--no-notices", "-q", "-c", "phase=6", "-c", "stage=dev", "-o", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return out


def assets(out: Path) -> dict[str, Path]:
    template = json.loads((out / "Valine.template.json").read_text())
    found = {}
    for res in template["Resources"].values():
        if res["Type"] == "AWS::Lambda::Function":
            name = res["Properties"]["FunctionName"]
            found["interactions" if "discord" in name else "worker"] = out / res["Metadata"]["aws:asset:path"]
    return found


def wheel_tags(root: Path) -> dict[str, list[str]]:
    tags = {}
    for wheel in root.glob("*.dist-info/WHEEL"):
        tags[wheel.parent.name] = [ln.split(":", 1)[1].strip() for ln in wheel.read_text().splitlines()
                                   if ln.startswith("Tag:")]
    return tags


def test_wheels_match_the_lambda_platform(cloud_assembly):
    for bundle, path in assets(cloud_assembly).items():
        tags = wheel_tags(path)
        assert tags, f"{bundle}: no wheels bundled"
        for dist, dist_tags in tags.items():
            ok = any(t.endswith("-none-any") or ("x86_64" in t and ("cp312" in t or "abi3" in t))
                     for t in dist_tags)
            assert ok, f"{bundle}: {dist} has tags {dist_tags}, not for {LAMBDA_PLATFORM} cp312"
        assert (path / "valine" / "handlers" / f"{bundle}.py").exists()
    names = {b: {d.split("-")[0].lower() for d in wheel_tags(p)} for b, p in assets(cloud_assembly).items()}
    assert "pynacl" in names["interactions"] and "openai" not in names["interactions"]
    assert {"openai", "requests", "tree_sitter"} <= names["worker"]


def test_handlers_import_from_the_bundle_under_python_312(cloud_assembly, tmp_path):
    py = python312()
    runtime = tmp_path / "runtime"  # what the Lambda runtime provides: boto3
    install_runtime_provided(runtime)
    # The worker's package also runs the scheduled functions (the daily status and weekly report, the probe,
    # the sweep), GitHub's webhook and the incident relay.
    handlers = {"interactions": ["interactions"],
                "worker": ["worker", "status", "probe", "sweep", "github_webhook", "relay"]}
    for bundle, path in assets(cloud_assembly).items():
        imports = "; ".join(f"import valine.handlers.{m} as h; assert callable(h.handler)" for m in handlers[bundle])
        code = (f"import sys; sys.path[:0] = [{str(path)!r}, {str(runtime)!r}]; {imports}; "
                "import valine, os; assert valine.__file__.startswith(sys.path[0]), valine.__file__")
        result = subprocess.run([py, "-I", "-c", code], capture_output=True, text=True, timeout=120,
                                env={"PATH": os.environ["PATH"], "PHASE": "6", "AWS_DEFAULT_REGION": "us-east-1"})
        assert result.returncode == 0, f"{bundle}: {result.stderr[-2000:]}"


def test_asset_sizes_are_reported(cloud_assembly, capsys):
    sizes = {bundle: zipped_size(path) for bundle, path in assets(cloud_assembly).items()}
    # Lambda's limit for a zipped package uploaded through S3 is 50 MB; the goals (5 and 30 MB)
    # are judged by `make bench`, not asserted here.
    assert all(0 < size < 50 * 1024 * 1024 for size in sizes.values()), sizes
    with capsys.disabled():
        print(f"\nbundled asset sizes (zipped bytes): {sizes}")
