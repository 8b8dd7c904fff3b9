"""What the copy agent writes is safe (#20): the same link and markup rules as the UX agent
wherever the replaced words sit (a Markdown link, a reference, an autolink, an HTML attribute),
and the front matter and code blocks are left alone unless the request names them."""

from __future__ import annotations

import pytest

from tests.unit.test_agents_on_fakes import World
from valine.agents.copy.pages import Page, Pages, apply, parse
from valine.core.task import TaskState
from valine.core.work import Ask, Rewritten
from valine.markup import shown

FAQ = """---
title: Valine FAQ
permalink: /faq
---
# Frequently asked questions

Read the [handbook](/docs/handbook) first, or the <a href="/docs/guide">guide</a>.

[team]: /docs/team

Ask us at <https://help.valine.example>. Valine is free.

```sh
npm install valine
```
"""
PAGES = Pages({"faq": Page("faq", "content/faq.md")})


def edit(request: str, source: str = FAQ):
    parsed = parse(request, PAGES)
    assert not isinstance(parsed, Ask), parsed
    return apply(source, parsed, PAGES.pages["faq"])


HOSTILE = [
    ('find:"/docs/handbook" replace:"javascript:alert(document.cookie)"', "javascript: scheme"),
    ('find:"/docs/handbook" replace:"JaVaScRiPt:alert(1)"', "javascript: scheme"),
    ('find:"/docs/handbook" replace:"data:text/html;base64,PHNjcmlwdD4="', "data: scheme"),
    ('find:"/docs/handbook" replace:"vbscript:msgbox(1)"', "vbscript: scheme"),
    ('find:"/docs/handbook" replace:"//evil.example/x"', "protocol-relative"),
    ('find:"/docs/handbook" replace:"&#106;avascript:alert(1)"', "&\\#106;"),  # escaped: no reference
    ('find:"/docs/guide" replace:"javascript:alert(1)"', "javascript: scheme"),  # an HTML href
    ('find:"/docs/team" replace:"javascript:alert(1)"', "javascript: scheme"),  # a reference definition
    ('find:"https://help.valine.example" replace:"javascript:alert(1)"', "javascript: scheme"),  # an autolink
    ('find:"/docs/guide\\"" replace:"/docs/guide\\" onclick=\\"alert(1)\\""', "raw HTML"),
    ('find:"Valine is free." replace:"<script>alert(1)</script>"', "raw HTML"),
    ('find:"Valine is free." replace:"<iframe src=//evil.example>"', "protocol-relative|raw HTML"),
    ('find:"Valine is free." replace:"<img src=x onerror=alert(1)>"', "raw HTML"),
]


@pytest.mark.parametrize(("request_text", "says"), HOSTILE)
def test_a_replacement_that_would_write_an_unsafe_link_or_markup_is_refused(request_text, says):
    out = edit(f"page:faq {request_text}")
    if says.startswith("&"):
        # The # is escaped, so CommonMark reads no character reference: a harmless relative path.
        assert isinstance(out, str) and says in out and "&#106;" not in out
        return
    assert isinstance(out, Ask) and out.outcome == "invalid", out
    assert any(part in out.text for part in says.split("|")), out.text


@pytest.mark.parametrize("replacement", ["/docs/team-handbook", "https://valine.example/handbook",
                                         "mailto:team@valine.example", "#install"])
def test_safe_link_targets_are_written(replacement):
    out = edit(f'page:faq find:"/docs/handbook" replace:"{replacement}"')
    # (a # the old words did not have is backslash-escaped; CommonMark reads \\# in a link as #)
    assert isinstance(out, str) and f"[handbook]({replacement})" in shown(out)


def test_the_front_matter_is_left_alone_unless_named():
    asked = edit('page:faq find:"/faq" replace:"/admin"')
    assert isinstance(asked, Ask) and "only in the front matter" in asked.text and "in:front-matter" in asked.text
    named = edit('page:faq find:"/faq" replace:"/questions" in:front-matter')
    assert isinstance(named, str) and "permalink: /questions\n" in named
    plain = edit('on the faq page, in the front matter, change "/faq" to "/questions"')
    assert isinstance(plain, str) and "permalink: /questions\n" in plain


def test_code_blocks_are_left_alone_unless_named():
    asked = edit('page:faq find:"npm install valine" replace:"npm install valine-cli"')
    assert isinstance(asked, Ask) and "only in a code block" in asked.text
    named = edit('page:faq find:"npm install valine" replace:"npm install valine-cli" in:code')
    assert isinstance(named, str) and "\nnpm install valine-cli\n" in named


def test_words_in_the_prose_and_the_front_matter_change_in_the_prose_and_it_says_so():
    out = edit('page:faq find:"Valine FAQ" replace:"Valine questions"',
               FAQ.replace("first, or", "first (the Valine FAQ), or"))
    assert isinstance(out, Rewritten)
    assert "title: Valine FAQ\n" in out.content and "(the Valine questions)" in out.content
    assert out.notes == ('"Valine FAQ" also appears in the front matter; I left that alone.',)


def test_a_title_in_a_code_block_is_not_the_page_title():
    source = "```md\n# Not the title\n```\n\n# The title\n"
    out = apply(source, parse('page:faq title:"New"', PAGES), PAGES.pages["faq"])  # type: ignore[arg-type]
    assert out == "```md\n# Not the title\n```\n\n# New\n"


def test_through_the_worker_the_hostile_link_is_a_question_and_no_pull_request():
    w = World()
    w.github.branches["main"]["content/faq.md"] = FAQ
    w.command("copy-update", 'page:faq find:"/docs/handbook" replace:"javascript:alert(document.cookie)"')
    w.work()
    (task,) = w.store.tasks.values()
    assert task.state is TaskState.PROPOSED and task.asked == "invalid" and task.new_content is None
    assert "javascript: scheme" in w.discord.messages["tok1"]["content"]
    assert not w.github.pulls


def test_the_note_reaches_the_preview():
    w = World()
    w.github.branches["main"]["content/faq.md"] = FAQ.replace("first, or", "first (the Valine FAQ), or")
    w.command("copy-update", 'page:faq find:"Valine FAQ" replace:"Valine questions"')
    w.work()
    (task,) = w.store.tasks.values()
    assert task.state is TaskState.AWAITING_CONFIRMATION
    assert "I left that alone" in " ".join(task.notes)
    assert "-title: Valine FAQ" not in (task.preview_diff or "")
