"""An agent's catalog read from the target repository, or the default the bot ships."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from valine.cache import TtlCache
from valine.core.github import GitHub, RepoFileMissing
from valine.core.work import UserFacingError

T = TypeVar("T")


class RepoConfig(Generic[T]):
    """``path`` on the base branch parsed with ``parse``; ``default()`` when the repository has
    none; a UserFacingError naming the file when it is invalid. Cached for ``max_age`` seconds."""

    def __init__(self, github: GitHub, base_branch: str, *, path: str, parse: Callable[[Any], T],
                 default: Callable[[], T], errors: tuple[type[Exception], ...], max_age: float = 300.0) -> None:
        self._github = github
        self._base = base_branch
        self._path = path
        self._parse = parse
        self._default = default
        self._errors = errors
        self._cache: TtlCache[T] = TtlCache(max_age)

    def __call__(self) -> T:
        return self._cache.get(self._path, self._load)

    def _load(self) -> T:
        try:
            raw = self._github.read_file(self._path, self._base).content
        except RepoFileMissing:
            return self._default()
        refused: tuple[type[Exception], ...] = (ValueError, *self._errors)
        try:
            return self._parse(json.loads(raw))
        except refused as exc:
            raise UserFacingError(f"the repository's {self._path} is invalid: {exc}") from exc
