"""Prices on the site: one plan's price, or each period's (monthly, yearly) when the plan shows both."""

from __future__ import annotations

import re

from valine.agents.ux.choose import ask_which, decide, picked, rank
from valine.agents.ux.proposal import Proposal, Question, Result
from valine.agents.ux.wish import Wish
from valine.site.model import SiteModel
from valine.site.places import Places
from valine.site.render import Item
from valine.site.writing import Splice, written


def price(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result:
    """A plan's prices: the monthly and yearly numbers of the plan the request names."""
    wanted = _periods(wish.request)
    if not wanted:
        single = _single_price(wish, model, places, pick)
        if single is not None:
            return single
        return Question("Which price is it, per month or per year? For example: the Pro plan is now $19 a month.")
    pool = [i for i in model.items if re.fullmatch(r"\d+(?:[.,]\d+)?", i.text.strip())]
    splices, done = [], []
    for period, amount in wanted:
        if amount is None:
            continue
        fits = [i for i in pool if _period_of(model, i) == period]
        candidates = [c for c in rank(fits, wish, places) if c.score > 0.5]
        chosen = decide(candidates, margin=0.5)
        if chosen is None:
            if not candidates:
                return Question(f"I could not find the {period} price of that plan; which plan, and where is its "
                                "price written?")
            return ask_which(model, candidates, places, f"The {period} price")
        splices.append(Splice(chosen.source.file, chosen.source.start, chosen.source.end,
                              written(chosen.source, amount) if chosen.source.kind != "number" else amount))
        done.append(f"{period} {amount}")
    if not splices:
        return Question("Which price should change? Say the new amount, e.g. $19 a month.")
    part = "pricing"
    return Proposal(splices, f"{part}: {' '.join(wish.scope[:2])} price → {', '.join(done)}", part,
                    {"op": "price", "prices": done})


def _single_price(wish: Wish, model: SiteModel, places: Places, pick: str | None) -> Result | None:
    """One new amount for a site whose plans have one price each ("$12" per plan, no monthly/yearly
    pair): the named plan's price, written as the old one is ($ kept). None when prices come in pairs."""
    if len(wish.prices) != 1:
        return None
    pool = [i for i in model.items if i.attr is None and re.fullmatch(r"[$€£]?\s?\d+(?:[.,]\d+)?", i.text.strip())]
    if not pool or any(_period_of(model, i) is not None for i in pool):
        return None
    candidates = [c for c in rank(pool, wish, places) if c.score > 0.5]
    chosen = picked(candidates, pick) or decide(candidates, margin=0.5)
    if chosen is None:
        return ask_which(model, candidates, places, "The price") if candidates else None
    old = chosen.source.value if chosen.source.kind != "number" else chosen.first.text
    amount = re.sub(r"\d+(?:[.,]\d+)?", wish.prices[0], old, count=1)
    text = written(chosen.source, amount) if chosen.source.kind != "number" else wish.prices[0]
    part = places.of(chosen.first).section
    return Proposal([Splice(chosen.source.file, chosen.source.start, chosen.source.end, text)],
                    f"{part}: price {chosen.first.text} → {amount}", part, {"op": "price", "prices": [amount]})


def _periods(request: str) -> list[tuple[str, str | None]]:
    out: list[tuple[str, str | None]] = []
    for m in re.finditer(r"(?P<stays>\b(?:stays?|remains?|unchanged|still)\b[^$]{0,12})?"
                         r"\$\s?(?P<amount>\d+(?:[.,]\d+)?)\s*(?P<period>(?:a|per|/|each)?\s*(?:month|mo|year|yr|annum|annually|monthly|yearly))?",
                         request, re.I):
        before = request[max(0, m.start() - 25):m.start()].lower()
        period_text = (m.group("period") or "") + " " + before
        period = "yearly" if re.search(r"year|yr|annu", period_text) else "monthly" if re.search(
            r"month|mo\b", period_text) else None
        if period is None:
            continue
        stays = m.group("stays") or re.search(r"\b(?:stays?|remains?|unchanged|still)\b", before)
        after = request[m.end():m.end() + 12].lower()
        if re.search(r"\b(?:stays?|remains?|unchanged)\b", after):
            stays = True
        out.append((period, None if stays else m.group("amount").replace(",", ".")))
    return out


def _period_of(model: SiteModel, item: Item) -> str | None:
    """monthly or yearly: by the data key (prices.monthly), or the condition of the ternary it is in."""
    node = item.source.node
    module = model.evaluator.modules.get(item.source.file)
    if node is None or module is None:
        return None
    parent = node.parent
    if parent is not None and parent.type == "pair":
        key = module.source.text(parent.child_by_field_name("key")).lower()
        return "yearly" if re.search(r"year|annual", key) else "monthly" if "month" in key else None
    if parent is not None and parent.type == "ternary_expression":
        condition = module.source.text(parent.child_by_field_name("condition")).lower()
        branch = "consequence" if parent.child_by_field_name("consequence") == node else "alternative"
        if "month" in condition:
            return "monthly" if branch == "consequence" else "yearly"
        if re.search(r"year|annual", condition):
            return "yearly" if branch == "consequence" else "monthly"
    return None
