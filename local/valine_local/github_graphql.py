"""The GitHub emulator's GraphQL endpoint: documents are parsed, validated and executed by
graphql-core against GitHub's published schema (``@octokit/graphql-schema``), with resolvers over
the emulator's git repository. Only what the bot asks for resolves to data; a field the bot asks
for and this file does not resolve comes back null, and a document the schema refuses is a
contract violation. Errors carry GitHub's ``type`` (NOT_FOUND, UNPROCESSABLE, ...)."""

from __future__ import annotations

import base64
import re
import threading
from typing import Any, Protocol

from valine_local import contracts


class GitHubEmulator(Protocol):
    """What the resolvers read and change of the GitHub emulator (valine_local.github_emulator)."""

    full_name: str
    repo: Any  # the bare git repository (valine_local.git_repo.GitRepo)
    lock: threading.Lock
    verified: set[str]
    pulls: list[dict[str, Any]]
    graphql_missing: set[str]
    violations: list[str]

    @property
    def url(self) -> str: ...

    def write_tree(self, base_tree: str, entries: list[tuple[str, str, str]]) -> str: ...

    def open_pull(self, *, head: str, base: str, title: str, body: str,
                  draft: bool) -> tuple[dict[str, Any] | None, str | None]: ...


class GitHubGraphQLError(Exception):
    def __init__(self, message: str, kind: str = "UNPROCESSABLE") -> None:
        super().__init__(message)
        self.kind = kind


def operation_name(query: str) -> str:
    m = re.match(r"\s*(query|mutation)\s+(\w+)", query or "")
    return m.group(2) if m else "anonymous"


class Resolvers:
    """The root value: Query.repository and the mutations the bot uses."""

    def __init__(self, emulator: GitHubEmulator) -> None:
        self.e = emulator
        self.repository_id = "R_kgDO" + base64.b64encode(emulator.full_name.encode()).decode().rstrip("=")

    # ---- objects -----------------------------------------------------------------------
    def commit(self, sha: str) -> dict[str, Any]:
        repo = self.e.repo
        tree = repo.git("rev-parse", f"{sha}^{{tree}}")

        def file(_info: Any, path: str) -> dict[str, Any] | None:
            blob = repo.git("rev-parse", "--verify", "--quiet", f"{sha}:{path}", check=False)
            if not blob or repo.git("cat-file", "-t", blob) != "blob":
                return None
            return {"oid": blob, "path": path, "name": path.rsplit("/", 1)[-1], "mode": 0o100644,
                    "type": "blob", "object": self.blob(blob)}

        return {"__typename": "Commit", "oid": sha, "abbreviatedOid": sha[:7], "tree": {"oid": tree},
                "file": file, "url": f"{self.e.url}/{self.e.full_name}/commit/{sha}",
                "signature": {"isValid": sha in self.e.verified, "wasSignedByGitHub": sha in self.e.verified,
                              "state": "VALID" if sha in self.e.verified else "UNSIGNED"}
                if sha in self.e.verified else None}

    def blob(self, oid: str) -> dict[str, Any]:
        data = self.e.repo.blob(oid)
        try:
            text: str | None = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        return {"__typename": "Blob", "oid": oid, "byteSize": len(data), "isBinary": text is None,
                "isTruncated": False, "text": text}

    def ref(self, qualified: str) -> dict[str, Any] | None:
        sha = self.e.repo.rev(qualified) if qualified.startswith("refs/heads/") else None
        if sha is None:
            return None
        return {"name": qualified.removeprefix("refs/heads/"), "prefix": "refs/heads/", "target": self.commit(sha)}

    def pull(self, pr: dict[str, Any]) -> dict[str, Any]:
        return {"number": pr["number"], "url": pr["html_url"], "isDraft": pr["draft"], "title": pr["title"],
                "headRefName": pr["head"]["ref"], "baseRefName": pr["base"]["ref"], "state": pr["state"].upper()}

    # ---- Query -------------------------------------------------------------------------
    def repository(self, _info: Any, owner: str, name: str, **_: Any) -> dict[str, Any] | None:
        if f"{owner}/{name}" != self.e.full_name:
            raise GitHubGraphQLError(f"Could not resolve to a Repository with the name '{owner}/{name}'.",
                                     "NOT_FOUND")

        def pull_requests(_info: Any, headRefName: str | None = None, states: list[str] | None = None,  # noqa: N803
                          first: int | None = None, **_: Any) -> dict[str, Any]:
            found = [self.pull(p) for p in self.e.pulls
                     if (headRefName is None or p["head"]["ref"] == headRefName)
                     and (not states or p["state"].upper() in states)]
            return {"nodes": found[: first or 100], "totalCount": len(found)}

        def git_object(_info: Any, oid: str | None = None, expression: str | None = None) -> dict[str, Any] | None:
            name = oid or expression or ""
            found = self.e.repo.git("rev-parse", "--verify", "--quiet", name, check=False)
            kind = self.e.repo.git("cat-file", "-t", found, check=False) if found else ""
            if kind == "blob":
                return self.blob(found)
            if kind == "commit":
                return self.commit(found)
            return None

        return {"id": self.repository_id, "nameWithOwner": self.e.full_name,
                "ref": lambda _info, qualifiedName: self.ref(qualifiedName),  # noqa: N803
                "object": git_object, "pullRequests": pull_requests}

    # ---- Mutation ----------------------------------------------------------------------
    def _repo(self, repository_id: str) -> None:
        if repository_id != self.repository_id:
            raise GitHubGraphQLError(f"Could not resolve to a node with the global id of '{repository_id}'",
                                     "NOT_FOUND")

    def createRef(self, _info: Any, input: dict[str, Any]) -> dict[str, Any]:  # noqa: N802, A002
        self._repo(input["repositoryId"])
        name, oid = input["name"], input["oid"]
        if not name.startswith("refs/"):
            raise GitHubGraphQLError("Reference name must start with 'refs/'.")
        if not self.e.repo.valid_ref(name):
            raise GitHubGraphQLError(f'"{name}" is not a valid ref name.')
        with self.e.lock:
            if self.e.repo.rev(name) is not None:
                raise GitHubGraphQLError(f'A ref named "{name}" already exists in the repository.')
            if self.e.repo.rev(oid) is None:
                raise GitHubGraphQLError(f"Could not resolve to a commit with the oid of '{oid}'", "NOT_FOUND")
            self.e.repo.git("update-ref", name, oid)
        return {"ref": self.ref(name), "clientMutationId": input.get("clientMutationId")}

    def createCommitOnBranch(self, _info: Any, input: dict[str, Any]) -> dict[str, Any]:  # noqa: N802, A002
        branch = input["branch"]
        if branch.get("repositoryNameWithOwner") not in (None, self.e.full_name):
            raise GitHubGraphQLError("Could not resolve to a Repository", "NOT_FOUND")
        name = branch.get("branchName")
        if not self.e.repo.valid_ref(f"refs/heads/{name}"):
            raise GitHubGraphQLError(f"A ref named 'refs/heads/{name}' does not exist", "NOT_FOUND")
        with self.e.lock:
            head = self.e.repo.rev(f"refs/heads/{name}")
            if head is None:
                raise GitHubGraphQLError(f"A ref named 'refs/heads/{name}' does not exist", "NOT_FOUND")
            if head != input["expectedHeadOid"]:
                raise GitHubGraphQLError(f'Expected branch to point to "{input["expectedHeadOid"]}" but it did not. '
                                         "Pull and try again.", "STALE_DATA")
            changes = input.get("fileChanges") or {}
            entries = []
            for addition in changes.get("additions") or []:
                raw = base64.b64decode(addition["contents"])
                entries.append((addition["path"], "100644", self.e.repo.git("hash-object", "-w", "--stdin",
                                                                           input=raw)))
            for deletion in changes.get("deletions") or []:
                entries.append((deletion["path"], "0", ""))
            tree = self.e.write_tree(self.e.repo.git("rev-parse", f"{head}^{{tree}}"), entries)
            message = input["message"]["headline"] + (f"\n\n{input['message']['body']}"
                                                       if input["message"].get("body") else "")
            sha = self.e.repo.git("commit-tree", tree, "-p", head, "-m", message)
            self.e.verified.add(sha)  # GitHub signs what it commits for you
            self.e.repo.git("update-ref", f"refs/heads/{name}", sha)
        return {"commit": self.commit(sha), "ref": self.ref(f"refs/heads/{name}"),
                "clientMutationId": input.get("clientMutationId")}

    def createPullRequest(self, _info: Any, input: dict[str, Any]) -> dict[str, Any]:  # noqa: N802, A002
        self._repo(input["repositoryId"])
        pr, problem = self.e.open_pull(head=input["headRefName"], base=input["baseRefName"], title=input["title"],
                                       body=input.get("body") or "", draft=bool(input.get("draft")))
        if pr is None:
            raise GitHubGraphQLError(problem or "could not open the pull request")
        return {"pullRequest": self.pull(pr), "clientMutationId": input.get("clientMutationId")}


def serve(emulator: GitHubEmulator, body: Any) -> tuple[int, Any]:
    """Answer a GraphQL request as GitHub does: HTTP 200 with ``data`` and/or ``errors``."""
    from graphql import GraphQLError, execute_sync, parse, validate

    schema = contracts.github_graphql()
    if not isinstance(body, dict) or not isinstance(body.get("query"), str):
        return 400, {"message": "Problems parsing JSON"}
    try:
        document = parse(body["query"])
    except GraphQLError as exc:
        emulator.violations.append(f"GraphQL document does not parse: {exc.message}")
        return 200, {"errors": [{"message": f"Parse error: {exc.message}"}]}
    refused = validate(schema, document)
    missing = [f for f in emulator.graphql_missing if re.search(rf"\b{f}\s*\(", body["query"])]
    if missing:  # an older GitHub Enterprise Server: the schema there has no such field
        return 200, {"errors": [{"message": f"Field '{f}' doesn't exist on type 'Mutation'",
                                 "extensions": {"code": "undefinedField", "typeName": "Mutation", "fieldName": f}}
                                for f in missing]}
    if refused:
        problems = [f"GraphQL {operation_name(body['query'])}: {e.message} at {e.locations}" for e in refused]
        emulator.violations.extend(problems)
        return 200, {"errors": [{"message": e.message, "extensions": {"code": "validationError"}} for e in refused]}
    result = execute_sync(schema, document, root_value=Resolvers(emulator), variable_values=body.get("variables") or {})
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        errors = []
        for error in result.errors:
            original = error.original_error
            if not isinstance(original, GitHubGraphQLError):  # a bad variable, or a resolver bug
                emulator.violations.append(f"GraphQL {operation_name(body['query'])}: {error.message}")
            errors.append({"type": getattr(original, "kind", "INTERNAL") if original else "INVALID",
                           "path": error.path, "locations": [{"line": loc.line, "column": loc.column}
                                                             for loc in error.locations or []],
                           "message": error.message})
        out["errors"] = errors
    return 200, out
