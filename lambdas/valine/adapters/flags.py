"""Kill switches in the conversation table (``pk=FLAGS``), read through a short cache."""

from __future__ import annotations

import json
import time
from typing import Any

from valine.adapters.timestamps import iso as _iso
from valine.cache import TtlCache
from valine.core.ports import Flags

FLAGS_READ = ("dynamodb:GetItem",)
DAY = 86400




class DynamoFlags:
    """Kill switches in the table, so a flip reaches the live alias without a redeploy.

    Cached for ``max_age`` seconds per process: a change takes effect within that time.
    The phase still bounds them: the LLM only runs in phases that enable it.
    """

    KEY = {"pk": {"S": "FLAGS"}, "sk": {"S": "CURRENT"}}

    def __init__(self, client: Any, table_name: str, *, defaults: Flags, kill_switches: tuple[str, ...],
                 max_age: float = 30.0, clock: Any = time.monotonic) -> None:
        self._db = client
        self._table = table_name
        self._defaults = defaults
        self._switches = kill_switches
        self._cache: TtlCache[Flags] = TtlCache(max_age, clock)

    def current(self) -> Flags:
        return self._cache.get("flags", self.read)

    def read(self) -> Flags:
        item = self._db.get_item(TableName=self._table, Key=self.KEY).get("Item") or {}

        def flag(name: str, default: bool) -> bool:
            return bool(item[name]["BOOL"]) if name in item and "BOOL" in item[name] else default

        # Each kill switch is an attribute named after it in lower case (disable_ux_updates).
        disabled = frozenset(k for k in self._switches if flag(k.lower(), self._defaults.paused(k)))
        return Flags(use_llm_parsing=flag("use_llm_parsing", self._defaults.use_llm_parsing), disabled=disabled)

    def set(self, *, changed_by: str, now: float, **values: bool) -> tuple[Flags, Flags]:
        """Change flags and append an audit record; returns (before, after)."""
        before = self.read()
        names = {f"#{k}": k for k in values}
        vals: dict[str, Any] = {f":{k}": {"BOOL": v} for k, v in values.items()}
        vals[":by"] = {"S": changed_by}
        vals[":at"] = {"S": _iso(now)}
        sets = ", ".join(f"#{k} = :{k}" for k in values)
        self._db.update_item(TableName=self._table, Key=self.KEY, UpdateExpression=f"SET {sets}, "
                             "updated_by = :by, updated_at = :at", ExpressionAttributeNames=names,
                             ExpressionAttributeValues=vals)
        after = self.read()
        self._db.put_item(TableName=self._table, Item={
            "pk": {"S": "FLAGS"}, "sk": {"S": f"AUDIT#{_iso(now)}"}, "by": {"S": changed_by},
            "before": {"S": json.dumps(before.to_json())},
            "after": {"S": json.dumps(after.to_json())},
            "purge_at": {"N": str(int(now + 365 * DAY))},
        })
        self._cache.forget()
        return before, after
