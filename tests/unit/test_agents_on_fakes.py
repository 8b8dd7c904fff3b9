"""The router, the lifecycle and both agents on in-memory fakes of every port (no network):
GIVEN a signed interaction or a job, WHEN it is handled, THEN the task, the jobs, the
messages and the pull requests are what the workflow promises."""

from __future__ import annotations

import json
from typing import Any

import pytest
from nacl.signing import SigningKey

from tests.fakes.metrics import RecordingMetrics
from tests.fakes.ports import FakeClock, FakeDiscord, FakeFeedback, FakeFlags, FakeGitHub, FakeQueue, FakeTaskStore
from valine.agents import AGENTS
from valine.agents.copy.work import CopyWork
from valine.core.ports import Flags
from valine.core.task import TaskState
from valine.discord.signature import Verifier
from valine.interactions import Interactions
from valine.markup import shown
from valine.settings import Settings
from valine.workflow.work import TaskWorker, WorkConfig

ADMIN_ROLE = "100000000000000010"
ABOUT = ("# About Project Valine\n\nWe started in 2024 with a small team.\n\n## Team\n\n"
         "We are a small team of designers.\n\nWrite to hello@valine.example.\n")


class World:
    """One bot on fakes: the 3-second side and the worker side share the store and queue."""

    def __init__(self, phase: str = "4", flags: Flags | None = None, **env: str) -> None:
        self.key = SigningKey.generate()
        self.clock = FakeClock()
        self.store, self.queue, self.discord = FakeTaskStore(), FakeQueue(), FakeDiscord()
        self.github = FakeGitHub({"content/about.md": ABOUT, "content/faq.md": "# FAQ\n\nIs it free? Yes.\n"})
        self.metrics = RecordingMetrics()
        self.feedback = FakeFeedback()
        self.flags = FakeFlags(flags)
        self.settings = Settings.from_env({
            "STAGE": "unit", "PHASE": phase, "DISCORD_PUBLIC_KEY": self.key.verify_key.encode().hex(),
            "DISCORD_GUILD_IDS": "100000000000000002", "ADMIN_ROLE_IDS": ADMIN_ROLE, "DISCORD_APPLICATION_ID": "1",
            **env})
        self.router = Interactions(settings=self.settings, verifier=Verifier(self.settings.public_key_hex),
                                   store=self.store, queue=self.queue, flags=self.flags, clock=self.clock,
                                   metrics=self.metrics, agents=AGENTS, feedback=self.feedback)
        copy = CopyWork(github=self.github, base_branch="main")
        self.worker = TaskWorker(config=WorkConfig(phase=self.settings.phase, repository="o/r", base_branch="main",
                                                   ttl_seconds=3600),
                                 agents={"copy": copy}, store=self.store, github=self.github,
                                 discord=self.discord, clock=self.clock, metrics=self.metrics)
        self._n = 0

    def send(self, interaction: dict[str, Any], *, sign: bool = True) -> Any:
        body = json.dumps(interaction).encode()
        ts = str(int(self.clock.now()))
        headers = {"X-Signature-Timestamp": ts,
                   "X-Signature-Ed25519": self.key.sign(ts.encode() + body).signature.hex() if sign else "00" * 64}
        return self.router.handle(headers, body)

    def interaction(self, kind: int, data: dict[str, Any], user: str = "42", roles: tuple[str, ...] = (ADMIN_ROLE,)):
        self._n += 1
        return {"id": f"{900000000000000000 + self._n}", "type": kind, "token": f"tok{self._n}",
                "application_id": "1", "guild_id": "100000000000000002", "channel_id": "5", "data": data,
                "member": {"user": {"id": user, "username": f"u{user}"}, "roles": list(roles)}}

    def command(self, name: str, request: str, **kw: Any) -> Any:
        return self.send(self.interaction(2, {"name": name, "options": [
            {"name": "request", "type": 3, "value": request}]}, **kw))

    def press(self, custom_id: str, **kw: Any) -> Any:
        return self.send(self.interaction(3, {"custom_id": custom_id, "component_type": 2}, **kw))

    def work(self) -> None:
        while self.queue.jobs:
            self.worker.run(self.queue.take())


def test_a_bad_signature_is_refused_and_a_ping_answered():
    w = World()
    assert w.send(w.interaction(1, {}), sign=False).status == 401
    assert w.send({"type": 1}).body == {"type": 1}


def test_copy_update_previews_exactly_one_replacement_and_confirm_opens_the_pr():
    w = World()
    out = w.command("copy-update", 'on the about page, change "in 2024" to "in 2023"')
    assert out.body["type"] == 5
    (task,) = w.store.tasks.values()
    assert task.agent == "copy" and w.queue.jobs[0].kind == "preview"
    w.work()
    task = w.store.get(task.task_id)
    assert task is not None and task.state is TaskState.AWAITING_CONFIRMATION
    assert "-We started in 2024 with a small team." in task.preview_diff and "+We started in 2023" in task.preview_diff
    preview = w.discord.messages[f"tok{1}"]
    buttons = [c["custom_id"] for c in preview["components"][0]["components"]]
    assert buttons == [f"copy:confirm:{task.task_id}:{task.version}", f"copy:edit:{task.task_id}",
                       f"copy:cancel:{task.task_id}"]  # Confirm is pinned to the previewed version
    assert w.press(f"copy:confirm:{task.task_id}").body["type"] == 7
    w.work()
    (pr,) = w.github.pulls
    assert pr.branch.startswith("copy-update/about-") and pr.draft
    assert w.github.branches[pr.branch]["content/about.md"] == task.new_content
    assert "**Copy update**" in w.discord.messages["tok2"]["content"]
    assert w.metrics.total("PullRequestsCreated", Agent="copy", Section="about") == 1


@pytest.mark.parametrize(("request_text", "says"), [
    ('on the about page, change "a small team" to "a big team"', ["appears 2 times", "line 3:", "line 7:"]),
    ('on the about page, change "nowhere" to "here"', ['I could not find "nowhere" on the about page']),
    ('page:about find:"2024" replace:"2025\u202e"', ["U+202E", "RIGHT-TO-LEFT OVERRIDE"]),
    ("change the words", ["Which page?"]),
])
def test_copy_update_asks_rather_than_guesses(request_text, says):
    w = World()
    w.command("copy-update", request_text)
    w.work()
    (task,) = w.store.tasks.values()
    assert task.state is TaskState.PROPOSED and w.github.pulls == []
    text = shown(w.discord.messages["tok1"]["content"])
    for fragment in says:
        assert fragment in text, text
    assert [c["label"] for c in w.discord.messages["tok1"]["components"][0]["components"]] == ["Edit request",
                                                                                               "Cancel"]


def test_copy_update_sets_a_title_and_never_writes_new_markup():
    w = World()
    w.command("copy-update", 'set the title of the faq page to "Questions & [answers](http://evil)"')
    w.work()
    (task,) = w.store.tasks.values()
    assert task.new_content is not None
    assert task.new_content.splitlines()[0] == "# Questions & \\[answers\\](http://evil)"


def test_the_router_sends_each_prefix_to_its_agent_and_refuses_unknown_ones():
    w = World()
    assert "not one of mine" in w.press("zz:confirm:1").body["data"]["content"]
    w.command("copy-update", 'page:faq find:"Yes." replace:"Yes, always."')
    (task,) = w.store.tasks.values()
    # A UX button cannot act on a copy task: the task is not the UX agent's.
    out = w.press(f"ux:cancel:{task.task_id}")
    assert "another agent's request" in out.body["data"]["content"]
    assert w.store.get(task.task_id).state is TaskState.PROPOSED


def test_each_agent_has_its_own_kill_switch():
    w = World(flags=Flags(disabled=frozenset({"DISABLE_COPY_UPDATES"})))
    refused = w.command("copy-update", 'page:faq find:"Yes." replace:"No."')
    assert "kill switch DISABLE_COPY_UPDATES" in refused.body["data"]["content"]
    assert w.command("ux-update", "make the navbar blue").body["type"] == 5
    assert w.metrics.total("Refused", Agent="copy") == 1 and w.metrics.total("Requests", Agent="ux") == 1


def test_agents_shows_each_agent_like_an_employee():
    w = World(flags=Flags(disabled=frozenset({"DISABLE_UX_UPDATES"})))
    w.command("copy-update", 'page:faq find:"Yes." replace:"Yes, always."')
    w.clock.advance(2)
    w.work()
    text = w.send(w.interaction(2, {"name": "agents"})).body["data"]["content"]
    assert "**UX agent** (/ux-update)" in text and "paused (kill switch DISABLE_UX_UPDATES)" in text
    assert "**Copy agent** (/copy-update)" in text and "active (draft PRs)" in text
    assert "Last 30 days: 1 tasks, 0 completed, 0 draft PRs" in text and "median time to preview 2.0 s" in text


def test_a_failed_hand_off_is_a_handled_failure_and_the_task_can_be_confirmed_again():
    w = World()
    w.command("copy-update", 'page:faq find:"Yes." replace:"Yes, always."')
    w.work()
    (task,) = w.store.tasks.values()
    w.queue.fail_next = 1
    out = w.press(f"copy:confirm:{task.task_id}")
    assert "press Confirm again" in out.body["data"]["content"]
    assert w.metrics.total("HandledFailures", Function="interactions") == 1
    assert w.press(f"copy:confirm:{task.task_id}").body["type"] == 7


def test_the_ux_agent_on_the_same_fakes_previews_and_opens_its_pr():
    from pathlib import Path

    from valine.agents.ux.parsing import CatalogSource, RequestParser
    from valine.agents.ux.work import UxWork

    site = Path(__file__).resolve().parents[2] / "example-site"
    w = World()
    w.github.branches["main"]["src/components/Footer.jsx"] = (site / "src/components/Footer.jsx").read_text()
    # The example site's own catalog pins its sections (a repository without one gets no other site's).
    w.github.branches["main"][".valine/catalog.json"] = (site / ".valine/catalog.json").read_text()

    def no_llm():
        raise AssertionError("phase 4 parses with rules")

    w.worker.agents["ux"] = UxWork(catalog=CatalogSource(w.github, "main"),
                                   parse=RequestParser(phase=w.settings.phase, flags=w.flags, llm=no_llm))
    w.command("ux-update", 'section:footer text:"Made on fakes"')
    w.work()
    (task,) = w.store.tasks.values()
    assert task.agent == "ux" and task.state is TaskState.AWAITING_CONFIRMATION
    assert "Made on fakes" in task.preview_diff and task.summary == "footer: text → Made on fakes"
    w.press(f"ux:confirm:{task.task_id}")
    w.work()
    (pr,) = w.github.pulls
    assert pr.branch.startswith("ux-update/footer-")
    assert w.github.branches[pr.branch]["src/components/Footer.jsx"] == task.new_content
    assert w.github.last_title == "UX update: footer text"


def test_requests_per_person_and_hour_are_limited_and_the_refusal_says_when_to_retry():
    w = World(RATE_REQUESTS_PER_HOUR="2")
    w.clock.t = 1_800_000_000.0 - 1_800_000_000.0 % 3600 + 600  # 10 minutes into an hour
    assert [w.command("copy-update", f'page:faq find:"Yes." replace:"Y{i}"').body["type"] for i in range(2)] == [5, 5]
    refused = w.command("copy-update", 'page:faq find:"Yes." replace:"Y3"')
    text = refused.body["data"]["content"]
    assert refused.body["data"]["flags"] == 64 and "You have made 2 requests this hour" in text
    assert "in 50 min" in text and "UTC" in text and len(w.store.tasks) == 2
    assert w.metrics.total("RateLimited", Kind="request") == 1
    assert w.metrics.total("HandledFailures") == 0  # a refusal, not an error
    assert w.command("ux-update", "make the navbar blue", user="43").body["type"] == 5  # per person
    w.clock.advance(3000)  # the next hour
    assert w.command("copy-update", 'page:faq find:"Yes." replace:"Y4"').body["type"] == 5


def test_confirmed_prs_are_limited_and_the_preview_stays_open():
    w = World(RATE_PRS_PER_HOUR="1")
    for i in range(2):
        w.command("copy-update", f'page:faq find:"Yes." replace:"Y{i}"')
    w.work()
    first, second = w.store.tasks.values()
    assert w.press(f"copy:confirm:{first.task_id}").body["type"] == 7
    refused = w.press(f"copy:confirm:{second.task_id}").body["data"]["content"]
    assert "You have confirmed 1 pull requests this hour" in refused and "press Confirm again" in refused
    assert w.store.get(second.task_id).state is TaskState.AWAITING_CONFIRMATION
    w.clock.advance(3600)
    assert w.press(f"copy:confirm:{second.task_id}").body["type"] == 7


def test_a_confirm_that_lost_a_race_to_an_edit_is_told_to_wait_for_the_new_preview():
    w = World()
    w.command("copy-update", 'page:faq find:"Yes." replace:"Yes!"')
    w.work()
    (task,) = w.store.tasks.values()
    # The Edit was accepted (the task is proposed again, version 1) before the Confirm arrived.
    edited = task.__class__(**{**task.__dict__, "state": TaskState.PROPOSED, "version": 1})
    w.store.tasks[task.task_id] = edited
    text = w.press(f"copy:confirm:{task.task_id}").body["data"]["content"]
    assert "The preview is being updated" in text and "press Confirm on the new one" in text


def test_a_colour_preview_uses_the_teams_palette_and_shows_a_swatch():
    from pathlib import Path

    from valine.agents.ux.catalog import REPO_CATALOG_PATH
    from valine.agents.ux.parsing import CatalogSource, RequestParser
    from valine.agents.ux.work import UxWork

    site = Path(__file__).resolve().parents[2]
    w = World()
    footer = (site / "example-site/src/components/Footer.jsx").read_text()
    w.github.branches["main"]["src/components/Footer.jsx"] = footer
    catalog = json.loads((site / "example-site/.valine/catalog.json").read_text())
    catalog["palette"] = {"blue": "#1d4ed8"}  # the team's blue
    w.github.branches["main"][REPO_CATALOG_PATH] = json.dumps(catalog)
    w.worker.agents["ux"] = UxWork(catalog=CatalogSource(w.github, "main"),
                                   parse=RequestParser(phase=w.settings.phase, flags=w.flags, llm=lambda: None))
    w.command("ux-update", "make the footer blue")
    w.work()
    (task,) = w.store.tasks.values()
    assert task.intent == {"section": "footer", "changes": {"color": "#1d4ed8"}}
    assert w.discord.messages["tok1"]["embeds"] == [{"title": "New color: #1d4ed8", "color": 0x1D4ED8}]
    w.press(f"ux:confirm:{task.task_id}")
    w.work()
    assert w.discord.messages["tok2"]["embeds"] == []  # the outcome drops the swatch
