"""The site's section names in the conversation table (``pk=SITE``), read through a short cache.

One item, rewritten only when the worker has read a new base tree: the interactions function answers
the ``section`` option's autocomplete (Discord waits at most 3 s) from it without reading the
repository, and /agents names the real sections."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from valine.cache import TtlCache

SECTIONS_READ = ("dynamodb:GetItem",)  # interactions: autocomplete, /agents
SECTIONS_WRITE = ("dynamodb:PutItem",)  # the worker, once per new base tree
MAX_SECTIONS = 200


class DynamoSiteSections:
    KEY = {"pk": {"S": "SITE"}, "sk": {"S": "SECTIONS"}}

    def __init__(self, client: Any, table_name: str, *, max_age: float = 60.0, clock: Any = time.monotonic) -> None:
        self._db = client
        self._table = table_name
        self._cache: TtlCache[tuple[str, ...]] = TtlCache(max_age, clock)
        self._published: str | None = None

    def current(self) -> tuple[str, ...]:
        return self._cache.get("sections", self.read)

    def read(self) -> tuple[str, ...]:
        item = self._db.get_item(TableName=self._table, Key=self.KEY).get("Item") or {}
        return tuple(v["S"] for v in item.get("names", {}).get("L", []) if "S" in v)

    def publish(self, names: Sequence[str], tree: str, now: float) -> None:
        """Record the sections of base tree ``tree`` (once per tree per container; a rewrite of the same
        tree by another container is refused by the condition)."""
        if tree == self._published:
            return
        from botocore.exceptions import ClientError

        try:
            self._db.put_item(
                TableName=self._table,
                Item={**self.KEY, "names": {"L": [{"S": n[:100]} for n in list(names)[:MAX_SECTIONS]]},
                      "tree": {"S": tree}, "updated_at": {"N": str(int(now))}},
                ConditionExpression="attribute_not_exists(#tree) OR #tree <> :tree",
                ExpressionAttributeNames={"#tree": "tree"}, ExpressionAttributeValues={":tree": {"S": tree}})
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") != "ConditionalCheckFailedException":
                raise
        self._published = tree
        self._cache.forget()
