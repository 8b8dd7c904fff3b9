"""CSS selectors against rendered elements: whether a rule's selector (tags, ids, classes,
descendant chains) targets an element, read from its ancestors."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Compound:
    tag: str
    ids: tuple[str, ...]
    classes: tuple[str, ...]
    pseudo: bool  # :hover, ::after and the like: not the element's own look at rest


def _compounds(selector: str) -> list[Compound]:
    parts = re.split(r"\s*[>+~]\s*|\s+", selector.strip())
    out = []
    for part in parts:
        if not part:
            continue
        pseudo = bool(re.search(r"::?[a-z-]+", part))
        core = re.sub(r"::?[a-z-]+(?:\([^)]*\))?", "", part)
        core = re.sub(r"\[[^\]]*\]", "", core)
        tag = re.match(r"^[a-zA-Z][\w-]*|^\*", core)
        out.append(Compound(tag.group(0).lower() if tag and tag.group(0) != "*" else "",
                            tuple(re.findall(r"#([\w-]+)", core)), tuple(re.findall(r"\.([\w-]+)", core)), pseudo))
    return out


def matches(compound: Compound, tag: str, ident: str, classes: tuple[str, ...]) -> bool:
    return (not compound.tag or compound.tag == tag) and all(i == ident for i in compound.ids) and \
        all(c in classes for c in compound.classes) and bool(compound.tag or compound.ids or compound.classes)


def selector_targets(selector: str, chain: list[tuple[str, str, tuple[str, ...]]]) -> bool:
    """``selector`` selects the last element of ``chain`` ((tag, id, classes) from the page down), at rest
    (no :hover); ancestors are matched as descendants."""
    compounds = _compounds(selector)
    if not compounds or compounds[-1].pseudo or not chain:
        return False
    if not matches(compounds[-1], *chain[-1]):
        return False
    at = len(chain) - 2
    for compound in reversed(compounds[:-1]):
        while at >= 0 and not matches(compound, *chain[at]):
            at -= 1
        if at < 0:
            return False
        at -= 1
    return True
