"""Quality gates on the synthesised templates: cdk-nag (AwsSolutions) and cfn-lint."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from aws_cdk import aws_sqs as sqs

from .conftest import build, template

# cfn-lint rules we ignore, each with its reason (also listed in docs/architecture.md).
CFN_LINT_IGNORED = {
    "W3005": "CDK adds explicit DependsOn that cfn-lint finds redundant with the implicit ones it generates",
}


def test_cdk_nag_reports_nothing_unacknowledged(phase_stage, tmp_path):
    phase, stage = phase_stage
    app, _ = build(phase, stage)
    app.synth()  # the AwsSolutions plugin raises "Validation failed" on any unacknowledged finding


def test_cdk_nag_gate_can_fail():
    # GIVEN the real app WHEN someone adds a queue without a DLQ or TLS THEN synth fails.
    app, stack = build(2, "dev")
    sqs.Queue(stack, "Naked")
    with pytest.raises(RuntimeError, match="AwsSolutions-SQS3"):
        app.synth()


def test_cfn_lint_has_no_errors_or_warnings_on_any_phase(tmp_path: Path):
    files = []
    for stage in ("dev", "prod"):
        for phase in range(1, 7):
            path = tmp_path / f"valine-{stage}-{phase}.json"
            path.write_text(json.dumps(template(phase, stage)))
            files.append(str(path))
    cmd = [str(Path(sys.executable).with_name("cfn-lint")), "--format", "json",
           "--ignore-checks", *CFN_LINT_IGNORED, "--", *files]
    result = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    findings = json.loads(result.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=1)[:4000]
    assert result.returncode == 0, result.stderr
