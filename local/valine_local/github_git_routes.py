"""GitHub's Git database API in the emulator (``/repos/{owner}/{repo}/git/...``): commits, blobs,
trees and refs, answered from the bare repository as GitHub would, refusing ref names git refuses.
A mixin of ``valine_local.github_emulator.GitHubEmulator``."""

from __future__ import annotations

import base64
import threading
from typing import TYPE_CHECKING, Any

from valine_local.git_repo import GitRepo
from valine_local.httpbase import Request


class GitDataRoutes:
    """The git/commits, git/blobs, git/trees and git/refs routes (see the module docstring)."""

    repo: GitRepo
    full_name: str
    url: str
    lock: threading.Lock
    verified: set[str]

    if TYPE_CHECKING:  # provided by the class this mixes into; declared for the type checker only
        def write_tree(self, base_tree: str, entries: list[tuple[str, str, str]]) -> str: ...

    def _get_commit(self, req: Request, sha: str) -> tuple[int, Any]:
        if self.repo.rev(sha) is None:
            return 404, {"message": "Not Found"}
        tree = self.repo.git("rev-parse", f"{sha}^{{tree}}")
        parents = self.repo.git("rev-list", "--parents", "-n", "1", sha).split()[1:]
        verified = sha in self.verified
        return 200, {"sha": sha, "tree": {"sha": tree}, "parents": [{"sha": p} for p in parents],
                     "verification": {"verified": verified, "reason": "valid" if verified else "unsigned",
                                      "signature": None, "payload": None, "verified_at": None}}

    def _get_blob(self, req: Request, sha: str) -> tuple[int, Any]:
        if self.repo.git("cat-file", "-t", sha, check=False) != "blob":
            return 404, {"message": "Not Found"}
        data = self.repo.blob(sha)
        return 200, {"sha": sha, "size": len(data), "encoding": "base64", "content": base64.b64encode(data).decode(),
                     "url": f"{self.url}/repos/{self.full_name}/git/blobs/{sha}", "node_id": f"B_{sha[:12]}"}

    def _get_tree(self, req: Request, sha: str) -> tuple[int, Any]:
        """``git ls-tree``: one level, or every blob and tree below with ``recursive``."""
        if self.repo.git("cat-file", "-t", sha, check=False) not in ("tree", "commit"):
            return 404, {"message": "Not Found"}
        recursive = req.param("recursive") not in ("", "0", "false")
        listing = self.repo.git("ls-tree", "-l", *(["-r", "-t"] if recursive else []), sha)
        entries = []
        for line in listing.splitlines():
            meta, path = line.split("\t", 1)
            mode, kind, oid, size = meta.split()
            entry: dict[str, Any] = {"path": path, "mode": mode, "type": kind, "sha": oid,
                                     "url": f"{self.url}/repos/{self.full_name}/git/{kind}s/{oid}"}
            if kind == "blob":
                entry["size"] = int(size)
            entries.append(entry)
        tree = self.repo.git("rev-parse", f"{sha}^{{tree}}")
        return 200, {"sha": tree, "url": f"{self.url}/repos/{self.full_name}/git/trees/{tree}", "truncated": False,
                     "tree": entries}

    def _blob(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        raw = base64.b64decode(body["content"]) if body.get("encoding") == "base64" else body["content"].encode()
        return 201, {"sha": self.repo.git("hash-object", "-w", "--stdin", input=raw)}

    def _tree(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        entries = [(e["path"], e["mode"], e["sha"] if e.get("sha") else
                    self.repo.git("hash-object", "-w", "--stdin", input=e.get("content", "").encode()))
                   for e in body["tree"]]
        for path, _, _ in entries:
            if path.startswith("/") or ".." in path.split("/"):
                return 422, {"message": f"invalid tree path {path}"}
        return 201, {"sha": self.write_tree(body["base_tree"], entries)}

    def _commit(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        args = ["commit-tree", body["tree"]]
        for parent in body.get("parents", []):
            args += ["-p", parent]
        sha = self.repo.git(*args, "-m", body["message"])
        return 201, {"sha": sha, "tree": {"sha": body["tree"]}}

    def _create_ref(self, req: Request) -> tuple[int, Any]:
        body = req.json()
        ref = body["ref"]
        if not self.repo.valid_ref(ref):
            return 422, {"message": "Reference name is invalid", "documentation_url":
                         "https://docs.github.com/rest/git/refs#create-a-reference"}
        with self.lock:
            if self.repo.rev(ref) is not None:
                return 422, {"message": "Reference already exists"}
            self.repo.git("update-ref", ref, body["sha"])
        return 201, {"ref": ref, "object": {"sha": body["sha"], "type": "commit"}}

    def _update_ref(self, req: Request, branch: str) -> tuple[int, Any]:
        if not self.repo.valid_ref(f"refs/heads/{branch}"):
            return 422, {"message": "Reference name is invalid"}
        self.repo.git("update-ref", f"refs/heads/{branch}", req.json()["sha"])
        return 200, {"ref": f"refs/heads/{branch}", "object": {"sha": req.json()["sha"]}}

    def _delete_ref(self, req: Request, branch: str) -> tuple[int, Any]:
        if not self.repo.valid_ref(f"refs/heads/{branch}") or self.repo.rev(f"refs/heads/{branch}") is None:
            return 422, {"message": "Reference does not exist"}
        self.repo.git("update-ref", "-d", f"refs/heads/{branch}")
        return 204, b""
