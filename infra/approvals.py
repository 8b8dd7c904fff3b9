"""The PM sign-off table of the rollout plan, kept in ``rollout/approvals.toml``.

Deploying phase N to prod needs a record for every required phase up to N (phase 5 is
optional and only needed when deploying it). A phase that switches the LLM on also needs
the plan's phase-5 checklist confirmed in its record. And the phase before N must have been
judged GO on evidence: ``valine rollout check --record`` writes its computed verdict to
``rollout/evidence/prod-phase-<n>.json``; without a GO there, only an explicit ``override``
with a reason in phase N's record lets the deploy go ahead (and the synth says so). Each
record from phase 2 on carries the lessons learned in the phase before it (``lessons``).
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from valine.core.phases import PHASES, PhaseConfig

from .config import ConfigError

DEFAULT_PATH = Path("rollout/approvals.toml")
LLM_CHECKLIST = ("budget_cap_tested", "fallback_tested", "billing_alerts_configured")


@dataclass(frozen=True)
class Approval:
    stage: str
    phase: int
    approver: str
    date: dt.date
    notes: str
    checklist: frozenset[str]
    lessons: str = ""  # what the phase before taught (the phase summary's "Lessons learned")
    override: str = ""  # why this phase deploys without the previous phase's recorded GO


def evidence_path(stage: str, phase: int) -> Path:
    """Where ``valine rollout check --record`` keeps a phase's computed verdict (beside approvals.toml)."""
    return DEFAULT_PATH.parent / "evidence" / f"{stage}-phase-{phase}.json"


def load(path: Path) -> list[Approval]:
    if not path.exists():
        return []
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML ({exc}); fix the file") from exc
    out = []
    for i, row in enumerate(data.get("approval", []), start=1):
        try:
            date = row["date"]
            if isinstance(date, str):
                date = dt.date.fromisoformat(date)
            if not isinstance(date, dt.date):
                raise ValueError("date must be YYYY-MM-DD")
            checklist = row.get("checklist", {})
            out.append(Approval(
                stage=str(row["stage"]), phase=int(row["phase"]), approver=str(row["approver"]).strip(),
                date=date, notes=str(row.get("notes", "")),
                checklist=frozenset(k for k, v in checklist.items() if v is True),
                lessons=str(row.get("lessons", "")).strip(), override=str(row.get("override", "")).strip(),
            ))
        except (KeyError, ValueError, TypeError) as exc:
            raise ConfigError(f"{path}: approval #{i} needs stage, phase, approver and date ({exc})") from exc
        if not out[-1].approver:
            raise ConfigError(f"{path}: approval #{i} has an empty approver")
    return out


def find(approvals: list[Approval], stage: str, phase: int) -> Approval | None:
    matches = [a for a in approvals if a.stage == stage and a.phase == phase]
    return max(matches, key=lambda a: a.date) if matches else None


def next_approval(approvals: list[Approval], stage: str, phase: PhaseConfig) -> tuple[bool, str] | None:
    """Whether the sign-off to leave ``phase`` is recorded, and what was found. Leaving the phase
    before an optional one (4, before 5) also counts with the phase after it (6): 5 was skipped."""
    nxt = PHASES.get(phase.number + 1)
    if nxt is None:
        return None
    if find(approvals, stage, nxt.number):
        return True, f"phase {nxt.number} recorded"
    after = PHASES.get(nxt.number + 1) if nxt.optional else None
    if after is not None:
        if find(approvals, stage, after.number):
            return True, f"phase {nxt.number} skipped (optional); phase {after.number} recorded"
        return False, f"missing: phase {nxt.number}, or phase {after.number} to skip the optional phase {nxt.number}"
    return False, "missing"


def skipped(approvals: list[Approval], stage: str, phase: int) -> bool:
    """An optional phase nobody approved, with a later phase approved: it was skipped, not missing."""
    return PHASES[phase].optional and find(approvals, stage, phase) is None and any(
        find(approvals, stage, later) for later in PHASES if later > phase)


def required_phases(target: PhaseConfig) -> list[int]:
    return [n for n, p in sorted(PHASES.items()) if n <= target.number and (not p.optional or n == target.number)]


def check_gate(path: Path, stage: str, phase: PhaseConfig) -> None:
    """Raise ConfigError naming the missing approval; only prod is gated."""
    if stage != "prod":
        return
    approvals = load(path)
    for n in required_phases(phase):
        rec = find(approvals, stage, n)
        if rec is None:
            raise ConfigError(
                f"prod phase {phase.number} needs a PM approval for phase {n}; add an [[approval]] with "
                f"stage=\"prod\", phase={n}, approver, date and notes to {path} (see docs/rollout.md)"
            )
    required = required_phases(phase)
    if len(required) >= 2:
        _check_previous_go(path, stage, phase, required[-2])
    if phase.requires_llm_checklist:
        rec = find(approvals, stage, phase.number)
        assert rec is not None
        missing = [k for k in LLM_CHECKLIST if k not in rec.checklist]
        if missing:
            raise ConfigError(
                f"prod phase {phase.number} turns LLM parsing on: approval in {path} must confirm "
                f"checklist.{', checklist.'.join(missing)} = true"
            )


def recorded_verdict(path: Path, stage: str, phase: int) -> tuple[str, str]:
    """(verdict, where) of a phase's recorded check, next to the approvals file; ("", why) if none."""
    evidence = path.parent / "evidence" / f"{stage}-phase-{phase}.json"
    if not evidence.exists():
        return "", f"{evidence} does not exist"
    try:
        data = json.loads(evidence.read_text(encoding="utf-8"))
    except ValueError as exc:
        return "", f"{evidence} is not JSON ({exc})"
    if not isinstance(data, dict) or data.get("stage") != stage or data.get("phase") != phase:
        return "", f"{evidence} is not the check of {stage} phase {phase}"
    return str(data.get("verdict", "")), str(evidence)


def _check_previous_go(path: Path, stage: str, phase: PhaseConfig, previous: int) -> None:
    rec = find(load(path), stage, phase.number)
    assert rec is not None
    if not rec.lessons:
        raise ConfigError(f"prod phase {phase.number}: its approval in {path} must record the lessons learned in "
                          f"phase {previous} (lessons = \"...\"; the phase summary's Lessons learned section)")
    verdict, where = recorded_verdict(path, stage, previous)
    if verdict == "GO":
        return
    found = f"{where} says {verdict}" if verdict else where
    if rec.override:
        # An explicit decision, logged where every synth and deploy shows it.
        print(f"valine: WARNING: prod phase {phase.number} deploys without phase {previous}'s recorded GO "
              f"({found}); override by {rec.approver}: {rec.override}", file=sys.stderr)
        return
    raise ConfigError(f"prod phase {phase.number} needs phase {previous} judged GO: run `valine rollout check "
                      f"--stage prod --phase {previous} --record` and commit {evidence_path(stage, previous)} "
                      f"({found}), or give an override = \"<reason>\" in phase {phase.number}'s approval")
