"""Lines changed since a git ref, for ``starlint check --diff REF``.

"Changed" means added or modified in the working tree compared with ``REF`` (``git diff REF``),
so uncommitted edits count; a file git does not track yet counts as changed throughout.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .errors import StarlintError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@", re.M)


class GitError(StarlintError):
    code = "git_error"


def changed_lines(ref: str, files: list[Path]) -> dict[Path, set[int]]:
    """``{resolved path: {1-based line numbers changed since ref}}`` for each of ``files``."""
    files = [f.resolve() for f in files]
    if not files:
        return {}
    top = Path(_git(["rev-parse", "--show-toplevel"], files[0].parent).strip()).resolve()
    if not _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top, check=False):
        raise GitError(f"--diff {ref}: not a commit in {top} (try a branch, tag or sha, e.g. origin/main)")
    rel = []
    for f in files:
        try:
            rel.append(f.relative_to(top).as_posix())
        except ValueError:
            raise GitError(f"--diff: {f} is outside the git repository at {top}") from None
    out: dict[Path, set[int]] = {f: set() for f in files}
    for path, patch in _per_file(_git(["-c", "core.quotePath=false", "diff", "--no-color", "--no-ext-diff",
                                       "--unified=0", ref, "--", *rel], top)):
        lines = out.setdefault((top / path).resolve(), set())
        for m in _HUNK.finditer(patch):
            start, count = int(m.group(1)), int(m.group(2) or 1)
            lines.update(range(start, start + count))
    for path in _git(["ls-files", "-z", "--others", "--exclude-standard", "--", *rel], top).split("\0"):
        if path:
            f = (top / path).resolve()
            out[f] = set(range(1, f.read_text(encoding="utf-8", errors="replace").count("\n") + 2))
    return out


def _per_file(diff: str) -> list[tuple[str, str]]:
    """Split a patch into (path, hunks) per file that still exists."""
    parts = []
    for chunk in re.split(r"^diff --git ", diff, flags=re.M)[1:]:
        m = re.search(r"^\+\+\+ (.+)$", chunk, re.M)
        if m and m.group(1) != "/dev/null":
            parts.append((_unquote(m.group(1)).removeprefix("b/"), chunk))
    return parts


def _unquote(name: str) -> str:
    """git C-quotes names with quotes, backslashes or control characters (octal escapes of UTF-8)."""
    if not (name.startswith('"') and name.endswith('"')):
        return name
    return name[1:-1].encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def _git(args: list[str], cwd: Path, check: bool = True) -> str:
    try:
        p = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, encoding="utf-8")
    except FileNotFoundError:
        raise GitError("--diff needs git, which is not installed or not on PATH") from None
    if check and p.returncode != 0:
        raise GitError(f"--diff: git {args[0]} failed in {cwd}: {p.stderr.strip() or p.returncode}")
    return p.stdout if p.returncode == 0 else ""
