"""Runs many Alembic commands in one Python process: the oracle for differential tests.

Reads JSON from stdin: [{"dir": "<project dir with alembic.ini>", "argv": ["history", "-v"]}, ...]
Writes JSON to stdout: [{"stdout": ..., "stderr": ..., "status": N}, ...], one per job, where
status is Alembic's exit status (0, 255 after FAILED, 1 after an uncaught exception) and
stderr holds warnings and the last line of a traceback.

Running in-process avoids Alembic's ~0.5 s start-up per command. PYTHONHASHSEED should be
pinned by the caller; PYTHONDONTWRITEBYTECODE must be set so stale bytecode never loads.

Hash order pinned at the source: Alembic builds a revision's normalized dependencies as
``tuple(set(...))``, so with two or more ``depends_on`` targets even the *order of history*
changes with PYTHONHASHSEED. The planner's documented rule is "in the order written";
``pin_hash_order()`` makes Alembic follow that rule at exactly that spot and nowhere else
(ARCHITECTURE.md, "Hash order"). Every other ordering is compared as Alembic prints it, or
normalised in the test harness where it is printed straight from a set.

The same holds for the version-table bookkeeping of merges and unmerges: which parent row
a merge keeps (``RevisionStep.merge_branch_idents``) and which rows an unmerge re-inserts
(``_unmerge_to_revisions``) come from ``list(set(...))``; the planner keeps the order of
the revision's down revisions, and ``pin_hash_order()`` makes Alembic do the same.
"""
import contextlib
import io
import json
import os
import re
import sys
import traceback
import warnings

sys.dont_write_bytecode = True

from alembic.config import CommandLine, Config  # noqa: E402
from alembic.script import revision as _revision  # noqa: E402


def pin_hash_order():
    def _normalize_depends_on(self, revisions, map_):
        for rev in revisions:
            if rev._resolved_dependencies:
                normalized = set(rev._resolved_dependencies)
                for anc in self._get_ancestor_nodes([rev], include_dependencies=False, map_=map_):
                    if anc is rev:
                        continue
                    elif anc._resolved_dependencies:
                        normalized.difference_update(anc._resolved_dependencies)
                rev._normalized_resolved_dependencies = tuple(
                    d for d in rev._resolved_dependencies if d in normalized
                )
            else:
                rev._normalized_resolved_dependencies = ()

    _revision.RevisionMap._normalize_depends_on = _normalize_depends_on

    from alembic.runtime import migration as _migration

    def _ancestors_of(step, revs):
        return {
            r.revision
            for r in step.revision_map._get_ancestor_nodes(
                step.revision_map.get_revisions(revs), check=False
            )
        }

    def merge_branch_idents(self, heads):
        other_heads = set(heads).difference(self.from_revisions)
        if other_heads:
            ancestors = _ancestors_of(self, other_heads)
            from_revisions = [r for r in self.from_revisions if r not in ancestors]
        else:
            from_revisions = list(self.from_revisions)
        return (list(from_revisions[0:-1]), from_revisions[-1], self.to_revisions[0])

    def _unmerge_to_revisions(self, heads):
        other_heads = set(heads).difference([self.revision.revision])
        if other_heads:
            ancestors = _ancestors_of(self, other_heads)
        else:
            ancestors = {
                r.revision
                for to_revision in self.to_revisions
                for r in self.revision_map._get_ancestor_nodes(
                    self.revision_map.get_revisions(to_revision), check=False
                )
                if r.revision != to_revision
            }
        return tuple(r for r in self.to_revisions if r not in ancestors)

    _migration.RevisionStep.merge_branch_idents = merge_branch_idents
    _migration.RevisionStep._unmerge_to_revisions = _unmerge_to_revisions


def run(job):
    out, err = io.StringIO(), io.StringIO()
    status = 0
    cwd = os.getcwd()
    os.chdir(job["dir"])
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
                warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                cl = CommandLine(prog="alembic")
                options = cl.parser.parse_args(job["argv"])
                cfg = Config(file_="alembic.ini", ini_section="alembic", cmd_opts=options, stdout=out)
                cl.run_cmd(cfg, options)
            except SystemExit as e:
                status = e.code if isinstance(e.code, int) else 1
                status = status & 0xFF
            except BaseException as e:  # noqa: BLE001 - mirror an uncaught exception
                status = 1
                last = traceback.format_exception_only(type(e), e)[-1].strip()
                # an object's address changes every run: left out, as the planner leaves it
                last = re.sub(r" object at 0x[0-9a-fA-F]+>", " object>", last)
                err.write(last + "\n")
            for w in caught:
                err.write(f"{w.category.__name__}: {w.message}\n")
    finally:
        os.chdir(cwd)
    return {"stdout": out.getvalue(), "stderr": err.getvalue(), "status": status}


def main():
    pin_hash_order()
    jobs = json.load(sys.stdin)
    json.dump([run(j) for j in jobs], sys.stdout)


if __name__ == "__main__":
    main()
