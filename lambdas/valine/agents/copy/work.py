"""The copy agent's worker half."""

from __future__ import annotations

from typing import Any

from valine.agents.copy import SPEC
from valine.agents.copy.pages import (
    REPO_CONTENT_PATH,
    ContentCatalogError,
    Pages,
    Replace,
    apply,
    default_pages,
    parse,
)
from valine.core.agent import AgentSpec
from valine.core.task import Task
from valine.core.work import Ask, Change
from valine.markup import code_span
from valine.site.repo_config import RepoConfig


class CopyWork:
    spec: AgentSpec = SPEC

    def __init__(self, *, github: Any, base_branch: str, max_age: float = 300.0) -> None:
        self.pages = RepoConfig(github, base_branch, path=REPO_CONTENT_PATH, parse=Pages.from_json,
                                default=default_pages, errors=(ContentCatalogError,), max_age=max_age)

    def understand(self, task: Task) -> Change | Ask:
        pages = self.pages()
        request = parse(task.request, pages)
        if isinstance(request, Ask):
            return request
        page = pages.pages[request.page]
        if isinstance(request, Replace):
            summary = f"{page.name}: “{request.find}” → “{request.replace}”"
            intent: dict[str, Any] = {"page": page.name, "find": request.find, "replace": request.replace}
        else:
            summary = f"{page.name}: title → “{request.title}”"
            intent = {"page": page.name, "title": request.title}
        return Change(path=page.file, part=page.name, summary=summary, intent=intent, parser="rules",
                      edit=lambda source: apply(source, request, page))

    def pr_title(self, task: Task) -> str:
        intent = task.intent or {}
        return f"{self.spec.title}: {intent.get('page')} page{' title' if 'title' in intent else ''}"

    def pr_changes(self, task: Task) -> str:
        intent = task.intent or {}
        if "title" in intent:
            return f"- title of {code_span(str(intent.get('page')))} → {code_span(str(intent['title']))}"
        return (f"- on {code_span(str(intent.get('page')))}: {code_span(str(intent.get('find')))} → "
                f"{code_span(str(intent.get('replace')))}")


def build(deps: Any) -> CopyWork:
    return CopyWork(github=deps.github, base_branch=deps.base_branch)
