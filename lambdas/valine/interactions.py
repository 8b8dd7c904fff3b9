"""Answers Discord interactions within the 3-second limit.

Only what the answer needs happens here: verify, decide, one conditional write, one
hand-off to the worker. Parsing, GitHub and the LLM run in the worker.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from valine.discord import messages as msg
from valine.discord.signature import Verifier
from valine.discord.types import InteractionType
from valine.logs import correlation_id
from valine.ports import Clock, FlagSource, Job, JobQueue, Metrics, TaskStore, TransitionError
from valine.rollout import Role
from valine.settings import Settings
from valine.tasks.model import Task, TaskState

log = logging.getLogger("valine.interactions")
MAX_REQUEST_CHARS = 1000


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=lambda: {"content-type": "application/json"})


@dataclass(frozen=True)
class Caller:
    user_id: str
    name: str
    role_ids: tuple[str, ...]
    roles: frozenset[Role]
    guild_id: str

    @property
    def is_admin(self) -> bool:
        return Role.ADMIN in self.roles

    def role_label(self) -> str:
        for role in (Role.ADMIN, Role.PM, Role.DEVELOPER):
            if role in self.roles:
                return role.value
        return Role.MEMBER.value


def _bad(status: int, error: str) -> HttpResponse:
    return HttpResponse(status, {"error": error})


def _options(data: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for opt in data.get("options") or []:
        if isinstance(opt, dict) and isinstance(opt.get("name"), str) and "value" in opt:
            out[opt["name"]] = str(opt["value"])
    return out


def compose_request(options: Mapping[str, str]) -> tuple[str, str | None]:
    """(request text, problem) from ``request`` or the typed section/property/value options.

    Nothing the user typed is dropped: a request given both ways, or typed options missing a
    part, is refused with what to do instead.
    """
    text = options.get("request", "").strip()
    section, prop, value = (options.get(k, "").strip() for k in ("section", "property", "value"))
    typed = {"section": section, "property": prop, "value": value}
    if not any(typed.values()):
        return text, None
    if section and not prop and not value:
        if not text:
            return "", "say what to change in the request option, or fill property and value too"
        if "section:" in text:
            return text, None
        return f"{text} (section {section})", None  # a hint for the plain-English parser
    missing = [k for k, v in typed.items() if not v]
    if missing:
        return "", f"the typed options need {', '.join(missing)} as well (or write it all in request)"
    if text:
        return "", "use either request or section/property/value, not both"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'section:{section} {prop}:"{escaped}"', None


class Interactions:
    def __init__(self, *, settings: Settings, verifier: Verifier, store: TaskStore, queue: JobQueue,
                 flags: FlagSource, clock: Clock, metrics: Metrics) -> None:
        self.settings = settings
        self.verifier = verifier
        self.store = store
        self.queue = queue
        self.flags = flags
        self.clock = clock
        self.metrics = metrics

    # ---- entry point -------------------------------------------------------------------
    def handle(self, headers: Mapping[str, str], body: bytes) -> HttpResponse:
        lower = {str(k).lower(): str(v) for k, v in headers.items()}
        if not self.verifier.verify(lower.get("x-signature-ed25519"), lower.get("x-signature-timestamp"),
                                    body, self.clock.now()):
            return _bad(401, "invalid request signature")
        try:
            interaction = json.loads(body)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: absurdly deep nesting
            return _bad(400, "body is not JSON")
        if not isinstance(interaction, dict) or not isinstance(interaction.get("type"), int):
            return _bad(400, "not an interaction")
        try:
            return self._dispatch(interaction)
        except Exception:
            # A verified request always gets a visible answer, never a 5xx or silence.
            ref = str(interaction.get("id") or uuid.uuid4().hex)[-8:]
            log.exception("interaction failed", extra={"interaction_id": interaction.get("id")})
            self.metrics.count("HandledFailures", Function="interactions")
            return HttpResponse(200, msg.reply(
                f"Something went wrong on my side (ref {ref}); nothing was changed. Try again in a minute."))

    def _dispatch(self, interaction: dict[str, Any]) -> HttpResponse:
        correlation_id.set(str(interaction.get("id") or ""))
        kind = interaction["type"]
        data_name = (interaction.get("data") or {}).get("name") if isinstance(interaction.get("data"), dict) else None
        log.info("interaction", extra={"interaction_type": kind, "command": data_name})
        if kind == InteractionType.PING:
            return HttpResponse(200, msg.pong())
        if kind not in (InteractionType.APPLICATION_COMMAND, InteractionType.MESSAGE_COMPONENT,
                        InteractionType.MODAL_SUBMIT, InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE):
            return _bad(400, f"unsupported interaction type {kind}")
        data = interaction.get("data")
        if not isinstance(data, dict) or not isinstance(interaction.get("id"), str) \
                or not isinstance(interaction.get("token"), str):
            return _bad(400, "interaction has no data, id or token")
        caller_or_refusal = self._caller(interaction)
        if isinstance(caller_or_refusal, HttpResponse):
            return caller_or_refusal
        caller = caller_or_refusal
        if kind == InteractionType.APPLICATION_COMMAND_AUTOCOMPLETE:
            return HttpResponse(200, msg.autocomplete([]))
        if kind == InteractionType.APPLICATION_COMMAND:
            return self._command(interaction, data, caller)
        parsed = msg.parse_custom_id(data.get("custom_id"))
        if parsed is None:
            return HttpResponse(200, msg.reply("This button is not one of mine any more; run /ux-update again."))
        action, task_id = parsed
        if kind == InteractionType.MODAL_SUBMIT:
            return self._edit_submitted(interaction, data, caller, task_id)
        return self._button(interaction, caller, action, task_id)

    def _caller(self, interaction: Mapping[str, Any]) -> Caller | HttpResponse:
        member = interaction.get("member")
        if not isinstance(member, dict) or not isinstance(member.get("user"), dict):
            return HttpResponse(200, msg.reply(
                "I only work inside the team's Discord server, not in direct messages: "
                "run the command in a channel there."))
        user = member["user"]
        guild_id = str(interaction.get("guild_id") or "")
        if self.settings.guild_ids and guild_id not in self.settings.guild_ids:
            return HttpResponse(200, msg.reply("This server is not configured for the Valine bot."))
        role_ids = tuple(str(r) for r in member.get("roles") or [] if isinstance(r, str | int))
        return Caller(user_id=str(user.get("id", "")), name=str(user.get("username") or user.get("id") or "?"),
                      role_ids=role_ids, roles=self.settings.roles_of(role_ids), guild_id=guild_id)

    # ---- slash commands ----------------------------------------------------------------
    def _command(self, interaction: Mapping[str, Any], data: Mapping[str, Any], caller: Caller) -> HttpResponse:
        name = data.get("name")
        if name == "ux-update":
            return self._ux_update(interaction, data, caller)
        if name == "status":
            return HttpResponse(200, msg.reply(self._status_text(caller)))
        if name == "agents":
            return HttpResponse(200, msg.reply(self._agents_text(caller)))
        if name == "tasks":
            return HttpResponse(200, msg.reply(self._tasks_text(caller)))
        return HttpResponse(200, msg.reply(f"I do not know /{name}; try /agents."))

    def _refusal(self, caller: Caller) -> str | None:
        # The role check needs no I/O, so it goes first; the flags are a cached read after it.
        phase = self.settings.phase
        if not phase.may_use(caller.roles):
            allowed = ", ".join(sorted(r.value for r in phase.allowed_roles))
            return (f"/ux-update is open to: {allowed} during rollout phase {phase.number} "
                    f"({phase.name}). Your roles: {caller.role_label()}.")
        if self.flags.current().disable_ux_updates:
            return ("UX updates are switched off right now (kill switch DISABLE_UX_UPDATES). "
                    "Ask the operators in the team channel; nothing was changed.")
        return None

    def _ux_update(self, interaction: Mapping[str, Any], data: Mapping[str, Any], caller: Caller) -> HttpResponse:
        refusal = self._refusal(caller)
        if refusal:
            self.metrics.count("UxUpdateRefused", Role=caller.role_label())
            return HttpResponse(200, msg.reply(refusal))
        options = _options(data)
        request, problem = compose_request(options)
        if problem:
            return HttpResponse(200, msg.reply(f"I did not start anything: {problem}. Example: "
                                               '`/ux-update section:header property:text value:Welcome`.'))
        if not request:
            return HttpResponse(200, msg.reply(
                'Tell me what to change, e.g. `/ux-update request: section:header text:"Welcome!"` '
                "or `/ux-update request: make the navbar blue`."))
        if len(request) > MAX_REQUEST_CHARS:
            return HttpResponse(200, msg.reply(
                f"That request is {len(request)} characters; keep it under {MAX_REQUEST_CHARS}."))
        flags = self.flags.current()
        use_llm = flags.use_llm_parsing and options.get("use_llm", "").lower() in ("true", "1", "yes")
        now = self.clock.now()
        task = Task(
            task_id=str(interaction["id"]), requester_id=caller.user_id, requester_name=caller.name,
            requester_roles=tuple(sorted(r.value for r in caller.roles)), guild_id=caller.guild_id,
            channel_id=str(interaction.get("channel_id") or ""), request=request, state=TaskState.PROPOSED,
            created_at=now, updated_at=now, expires_at=now + self.settings.conversation_ttl_seconds,
            use_llm=use_llm,
        ).with_event(now, "requested", by=caller.user_id)
        if not self.store.create(task):
            return HttpResponse(200, msg.reply("I already have this request (a replayed interaction)."))
        self.queue.send(Job(kind="preview", task_id=task.task_id, application_id=self._app_id(interaction),
                            token=str(interaction["token"]), version=task.version,
                            interaction_id=task.task_id))
        self.metrics.count("UxUpdateRequests", Role=caller.role_label())
        return HttpResponse(200, msg.deferred())

    # ---- buttons -----------------------------------------------------------------------
    def _button(self, interaction: Mapping[str, Any], caller: Caller, action: str, task_id: str) -> HttpResponse:
        task = self.store.get(task_id)
        now = self.clock.now()
        if task is None:
            return HttpResponse(200, msg.update("This request is gone (older than the audit retention).", []))
        if action != msg.CANCEL:  # anyone who may start a task may cancel their own, even after a rollback
            refusal = self._refusal(caller)
            if refusal:
                return HttpResponse(200, msg.reply(refusal))
        if caller.user_id != task.requester_id and not caller.is_admin:
            return HttpResponse(200, msg.reply(
                f"Only <@{task.requester_id}> (who asked) or an admin can {action} this request."))
        if task.expired(now):
            return self._expire(task, now)
        if action == msg.EDIT:
            if not task.state.open:
                return HttpResponse(200, msg.reply(f"This request is already {task.state.value}."))
            return HttpResponse(200, msg.edit_modal(task.task_id, task.request))
        if action == msg.CANCEL:
            return self._cancel(task, caller, now)
        return self._confirm(interaction, task, caller, now)

    def _expire(self, task: Task, now: float) -> HttpResponse:
        expired = task.with_event(now, "expired", state=TaskState.EXPIRED)
        self.store.transition(expired, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION), now=now,
                              check_expiry=False)
        self.metrics.count("ConversationsExpired")
        minutes = self.settings.conversation_ttl_seconds // 60
        return HttpResponse(200, msg.update(
            f"This preview expired (previews last {minutes} minutes). Run /ux-update again for a fresh one.", []))

    def _cancel(self, task: Task, caller: Caller, now: float) -> HttpResponse:
        cancelled = task.with_event(now, "cancelled", by=caller.user_id, state=TaskState.CANCELLED,
                                    completed_at=now, outcome=f"cancelled by {caller.name}")
        result = self.store.transition(cancelled, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION),
                                       now=now, actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                       expect_version=task.version)
        if not result.ok:
            return self._transition_refusal(result.error, result.task, now)
        self.metrics.count("Cancellations")
        return HttpResponse(200, msg.update(f"Cancelled by <@{caller.user_id}>. Nothing was changed.", []))

    def _confirm(self, interaction: Mapping[str, Any], task: Task, caller: Caller, now: float) -> HttpResponse:
        phase = self.settings.phase
        if task.state is not TaskState.AWAITING_CONFIRMATION:
            return self._transition_refusal(TransitionError.WRONG_STATE, task, now)
        if phase.dry_run:
            done = task.with_event(now, "confirmed (dry run)", by=caller.user_id, state=TaskState.COMPLETED,
                                   confirmed_by=caller.user_id, confirmed_at=now, completed_at=now,
                                   outcome=f"dry run: phase {phase.number} makes no pull request")
            result = self.store.transition(done, expect=(TaskState.AWAITING_CONFIRMATION,), now=now,
                                           actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                           expect_version=task.version)
            if not result.ok:
                return self._transition_refusal(result.error, result.task, now)
            self.metrics.count("Confirmations")
            return HttpResponse(200, msg.update(
                f"{_preview_header(task)}\n```diff\n{task.preview_diff or ''}\n```"[:1500]
                + f"\nDry run: rollout phase {phase.number} shows previews only, so no pull request was made.",
                []))
        started = task.with_event(now, "confirmed", by=caller.user_id, state=TaskState.IN_PROGRESS,
                                  confirmed_by=caller.user_id, confirmed_at=now)
        # The version pins the confirmation to the preview that was read: an Edit in between
        # makes the write fail instead of confirming a diff the user no longer sees.
        result = self.store.transition(started, expect=(TaskState.AWAITING_CONFIRMATION,), now=now,
                                       actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                       expect_version=task.version)
        if not result.ok:
            return self._transition_refusal(result.error, result.task, now)
        try:
            self.queue.send(Job(kind="create_pr", task_id=task.task_id, application_id=self._app_id(interaction),
                                token=str(interaction["token"]), version=task.version,
                                interaction_id=str(interaction["id"])))
        except Exception:
            # Put the task back so the user can press Confirm again; nothing is lost.
            log.exception("hand-off failed", extra={"task_id": task.task_id})
            self.metrics.count("HandledFailures", Function="interactions")
            self.store.transition(replace(task, updated_at=now), expect=(TaskState.IN_PROGRESS,), now=now,
                                  check_expiry=False)
            ref = uuid.uuid4().hex[:8]
            return HttpResponse(200, msg.reply(f"I could not start the pull request (ref {ref}); "
                                               "press Confirm again in a moment."))
        self.metrics.count("Confirmations")
        if task.previewed_at:
            self.metrics.timing("PreviewToConfirmation", (now - task.previewed_at) * 1000)
        return HttpResponse(200, msg.update(
            f"{_preview_header(task)}\nConfirmed by <@{caller.user_id}>: creating the draft pull request…", []))

    def _transition_refusal(self, error: TransitionError | None, task: Task | None, now: float) -> HttpResponse:
        if error is TransitionError.EXPIRED and task is not None:
            return self._expire(task, now)
        if error is TransitionError.NOT_ALLOWED and task is not None:
            return HttpResponse(200, msg.reply(f"Only <@{task.requester_id}> (who asked) or an admin can do that."))
        if error is TransitionError.STALE:
            return HttpResponse(200, msg.reply("The preview changed while you clicked; check it and press again."))
        state = task.state.value.replace("_", " ") if task else "gone"
        return HttpResponse(200, msg.reply(f"This request is already {state}; nothing more to do."))

    def _edit_submitted(self, interaction: Mapping[str, Any], data: Mapping[str, Any], caller: Caller,
                        task_id: str) -> HttpResponse:
        text = ""
        for row in data.get("components") or []:
            for comp in (row or {}).get("components") or []:
                if isinstance(comp, dict) and comp.get("custom_id") == "request":
                    text = str(comp.get("value") or "").strip()
        if not text or len(text) > MAX_REQUEST_CHARS:
            return HttpResponse(200, msg.reply(f"The request must be 1 to {MAX_REQUEST_CHARS} characters."))
        refusal = self._refusal(caller)
        if refusal:
            return HttpResponse(200, msg.reply(refusal))
        task = self.store.get(task_id)
        now = self.clock.now()
        if task is None:
            return HttpResponse(200, msg.reply("This request is gone; run /ux-update again."))
        if task.expired(now):
            return self._expire(task, now)
        edited = task.with_event(now, "edited", by=caller.user_id, request=text, state=TaskState.PROPOSED,
                                 version=task.version + 1, intent=None, preview_diff=None, new_content=None,
                                 expires_at=now + self.settings.conversation_ttl_seconds)
        result = self.store.transition(edited, expect=(TaskState.PROPOSED, TaskState.AWAITING_CONFIRMATION),
                                       now=now, actor_id=caller.user_id, actor_is_admin=caller.is_admin,
                                       expect_version=task.version)
        if not result.ok:
            return self._transition_refusal(result.error, result.task, now)
        self.queue.send(Job(kind="preview", task_id=task.task_id, application_id=self._app_id(interaction),
                            token=str(interaction["token"]), version=edited.version,
                            interaction_id=str(interaction["id"])))
        return HttpResponse(200, msg.update(f"Updating the preview for: {text}", []))

    # ---- read-only answers -------------------------------------------------------------
    def _status_text(self, caller: Caller) -> str:
        s, phase, flags = self.settings, self.settings.phase, self.flags.current()
        allowed = "yes" if phase.may_use(caller.roles) and not flags.disable_ux_updates else "no"
        return "\n".join([
            f"**Valine** {s.version} · stage `{s.stage}` · rollout phase {phase.number}: {phase.name}",
            f"Pull requests: {'draft PRs' if phase.github_writes else 'none (dry run: previews only)'}",
            f"Flags: DISABLE_UX_UPDATES={str(flags.disable_ux_updates).lower()}, "
            f"USE_LLM_PARSING={str(flags.use_llm_parsing).lower()} (LLM mode: {phase.llm.value})",
            f"You: {caller.role_label()} — /ux-update allowed: {allowed}",
        ])

    def _agents_text(self, caller: Caller) -> str:
        phase, flags = self.settings.phase, self.flags.current()
        if flags.disable_ux_updates:
            status = "paused (kill switch)"
        elif phase.dry_run:
            status = "dry run (previews only)"
        else:
            status = "active (draft PRs)"
        you = "you may ask it for changes" if phase.may_use(caller.roles) else \
            f"open to {', '.join(sorted(r.value for r in phase.allowed_roles))} in this phase"
        return (f"**UX agent** — {status}; {you}.\n"
                "Ask: `/ux-update request: section:header text:\"Welcome\"` or `make the navbar blue`. "
                "Sections: header, footer, navbar, home.")

    def _tasks_text(self, caller: Caller) -> str:
        everyone = caller.is_admin or Role.PM in caller.roles
        tasks = self.store.recent(requester_id=None if everyone else caller.user_id, limit=10)
        if not tasks:
            return "No tasks yet."
        now = self.clock.now()
        lines = [f"**Recent tasks** ({'everyone' if everyone else 'yours'}):"]
        for t in tasks:
            state = TaskState.EXPIRED if t.expired(now) else t.state
            age = _age(now - t.created_at)
            link = f" — {t.pr_url}" if t.pr_url else ""
            lines.append(f"`{t.short_id}` {state.value} · {age} ago · <@{t.requester_id}> · "
                         f"{t.request[:60]}{link}")
        return "\n".join(lines)

    def _app_id(self, interaction: Mapping[str, Any]) -> str:
        return str(interaction.get("application_id") or self.settings.application_id)


def _preview_header(task: Task) -> str:
    return f"**UX update** `{task.short_id}` requested by <@{task.requester_id}>: {task.request}"


def _age(seconds: float) -> str:
    if seconds < 90:
        return f"{int(seconds)}s"
    if seconds < 5400:
        return f"{int(seconds // 60)}m"
    if seconds < 172800:
        return f"{int(seconds // 3600)}h"
    return f"{int(seconds // 86400)}d"

