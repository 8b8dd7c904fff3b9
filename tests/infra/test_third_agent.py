"""#21: a third agent is one folder plus one registry line. The test copies the runtime and the
infrastructure into a temporary tree, adds a throwaway agent there (a package and the registry
line, nothing else), and checks in a fresh interpreter that it reaches the Discord schema,
/agents, the kill switches, the routing of its buttons, the stack's environment and the
dashboard, with no other file edited."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SPEC = '''"""A throwaway agent for the registry test."""

from valine.core.agent import AgentSpec, request_only

SPEC = AgentSpec(
    name="third", employee="Third agent", title="Third update", plural="Third updates", command="third-update",
    prefix="third", kill_switch="DISABLE_THIRD_UPDATES", description="A throwaway agent",
    options=lambda: ({"name": "request", "type": 3, "required": True, "description": "what to do"},),
    does="does a third thing", ask="`/third-update request: anything`", branch_prefix="third-update",
    compose=request_only, work="valine.agents.third.work",
)
'''
WORK = '''from valine.agents.third import SPEC
from valine.core.work import Ask


class ThirdWork:
    spec = SPEC

    def understand(self, task):
        return Ask("a third agent only asks")

    def pr_title(self, task):
        return "third"

    def pr_changes(self, task):
        return "- nothing"


def build(deps):
    return ThirdWork()
'''
CHECK = '''
import json, sys
from valine.agents import AGENTS, KILL_SWITCHES
from valine.discord.commands import command_schema
from tests.unit.test_agents_on_fakes import World

out = {"schema": [c["name"] for c in command_schema()], "kill_switches": list(KILL_SWITCHES)}
w = World()
out["agents_text"] = w.send(w.interaction(2, {"name": "agents"})).body["data"]["content"]
reply = w.command("third-update", "do the third thing")
out["started"] = reply.body["type"]
(task,) = [t for t in w.store.tasks.values() if t.agent == "third"]
out["cancel"] = w.press(f"third:cancel:{task.task_id}").body["data"]["content"]
from tests.infra.conftest import template
tpl = template(4, "dev")
fns = [r for r in tpl["Resources"].values() if r["Type"] == "AWS::Lambda::Function"]
out["env"] = sorted({k for f in fns for k in f["Properties"].get("Environment", {}).get("Variables", {})
                     if k.startswith("DISABLE_")})
(dash,) = [r for r in tpl["Resources"].values() if r["Type"] == "AWS::CloudWatch::Dashboard"]
body = dash["Properties"]["DashboardBody"]
out["dashboard"] = json.dumps(body)
print(json.dumps(out))
'''


def test_a_third_agent_is_one_folder_and_one_registry_line(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    for part in ("lambdas", "infra", "tests", "app.py", "cdk.json", "rollout"):
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, tree / part, ignore=shutil.ignore_patterns("__pycache__", "sites", "*.pyc"))
        else:
            shutil.copy2(src, tree / part)
    (tree / "tests" / "sites").mkdir(exist_ok=True)
    package = tree / "lambdas" / "valine" / "agents" / "third"
    package.mkdir()
    (package / "__init__.py").write_text(SPEC)
    (package / "work.py").write_text(WORK)
    registry = tree / "lambdas" / "valine" / "agents" / "__init__.py"
    text = registry.read_text()
    assert "from valine.agents import copy, ux\n" in text and "(ux.SPEC, copy.SPEC)" in text
    registry.write_text(text.replace("from valine.agents import copy, ux\n",
                                     "from valine.agents import copy, third, ux\n")
                        .replace("(ux.SPEC, copy.SPEC)", "(ux.SPEC, copy.SPEC, third.SPEC)"))  # the one line
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree / "lambdas"), str(tree)]),
           "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION": "20", "PYTEST_TMP_APPROVALS": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tree, env=env, capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "third-update" in out["schema"]
    assert "DISABLE_THIRD_UPDATES" in out["kill_switches"]
    assert "**Third agent** (/third-update)" in out["agents_text"] and "does a third thing" in out["agents_text"]
    assert out["started"] == 5 and "Cancelled" in out["cancel"]
    assert "DISABLE_THIRD_UPDATES" in out["env"]
    assert "Third update agent: requests, previews, confirmations, PRs" in out["dashboard"]
