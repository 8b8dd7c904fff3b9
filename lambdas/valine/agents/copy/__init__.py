"""The copy agent: the words on the site's content pages (Markdown), one replacement at a time."""

from __future__ import annotations

from valine.core.agent import AgentSpec, Options

STRING = 3


def _quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def compose_request(options: Options) -> tuple[str, str | None]:
    """(request text, problem) from ``request`` or the typed page/find/replace options."""
    text = options.get("request", "").strip()
    page, find, replace = (options.get(k, "").strip() for k in ("page", "find", "replace"))
    typed = {"page": page, "find": find, "replace": replace}
    if not any(typed.values()):
        return text, None
    missing = [k for k, v in typed.items() if not v]
    if missing:
        return "", f"the typed options need {', '.join(missing)} as well (or write it all in request)"
    if text:
        return "", "use either request or page/find/replace, not both"
    return f"page:{page} find:{_quote(find)} replace:{_quote(replace)}", None


def _options() -> tuple[dict[str, object], ...]:
    from valine.agents.copy.pages import default_pages

    pages = [{"name": p, "value": p} for p in default_pages().pages]
    return (
        {"name": "request", "type": STRING, "required": False, "max_length": 1000,
         "description": 'e.g. on the about page, change "small team" to "growing team"'},
        {"name": "page", "type": STRING, "required": False, "choices": pages, "description": "Page to change"},
        {"name": "find", "type": STRING, "required": False, "max_length": 300,
         "description": "The words to replace, exactly as on the page"},
        {"name": "replace", "type": STRING, "required": False, "max_length": 300, "description": "The new words"},
    )


SPEC = AgentSpec(
    name="copy", employee="Copy agent", title="Copy update", plural="Copy updates", command="copy-update",
    prefix="copy",
    kill_switch="DISABLE_COPY_UPDATES",
    description="Ask the copy agent to change words on a content page; you confirm a diff before any PR",
    options=_options,
    does="changes the words on the site's content pages (about, faq), one phrase at a time",
    ask='`/copy-update request: page:about find:"small team" replace:"growing team"` or '
        '`on the faq page, change "Not yet." to "Yes, since 2.0."`.',
    branch_prefix="copy-update", compose=compose_request, work="valine.agents.copy.work",
)
