"""Colours, in the site's own styling system (filled in below)."""

from __future__ import annotations

from valine.agents.ux.choose import Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places


def colour(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    return Question("Colour changes are not written yet on this site.", outcome="unsupported")
