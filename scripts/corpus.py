"""The real-world corpus: public packages' Alembic migrations, real Alembic beside the planner.

`scripts/dev.sh corpus [NAME...]` runs it (not part of the tests). For each pinned release
below it downloads the wheel from PyPI into `.corpus-cache/` (git-ignored, never committed),
extracts the versions folder, and records with real Alembic (the project's virtualenv, one
process per dialect) `history`, `heads` and, per revision, `upgrade <down>:<rev> --sql` for
each dialect; then runs the planner's release CLI on the same commands and prints a table per
project: history and heads identical or not, and per revision *identical* (byte for byte),
*annotated* (different, or maybe different, and the planner says so with a
`-- alembic-planner:` note), *silent* (different with no note: what must never happen),
*alembic-failed* (Alembic cannot run it offline: the project's own modules or packages it
imports are not installed, or the migration reads the database) and *planner-failed*.
Alembic runs once more on every script not printed the same: those whose Alembic output
differs between its two runs (the time of the run or a random UUID written into the SQL)
are listed, and the identical share is also given among the scripts whose output is the
same every run, the only ones a planner could print byte for byte.

The wheel's own root is on Alembic's `sys.path` (`prepend_sys_path`), so revisions that
import the project's light modules (constants, types) load; what needs the project's
dependencies is counted as alembic-failed, with the reason in the report
(`.corpus-cache/report/<project>.txt`, which also holds every silent difference and the
notes of every annotated script).
"""
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".corpus-cache"
PYTHON = os.environ.get("ALEMBIC_PLANNER_PYTHON", str(ROOT / ".venv/bin/python"))
PLANNER = ROOT / "target/release/alembic-planner"
ENV_DIR = ROOT / "tests/fixtures/graph/_env"
ORACLE = ROOT / "tests/oracle/alembic_oracle.py"

# (name, requirement, versions folder inside the wheel, dialects the project supports).
# Open WebUI is left out: its dependencies (torch and the like) take 7 GB; Langflow too: pip's
# resolver did not settle langflow-base 1.13.0's dependencies in 35 minutes.
PROJECTS = [
    ("jupyterhub", "jupyterhub==6.1.1", "jupyterhub/alembic/versions", ["postgresql", "mysql", "sqlite"]),
    ("optuna", "optuna==5.0.0", "optuna/storages/_rdb/alembic/versions", ["postgresql", "mysql", "sqlite"]),
    ("mlflow", "mlflow==3.17.2", "mlflow/store/db_migrations/versions", ["postgresql", "mysql", "sqlite"]),
    ("mlflow-auth", "mlflow==3.17.2", "mlflow/server/auth/db/migrations/versions", ["postgresql", "sqlite"]),
    ("buildbot", "buildbot==4.3.0", "buildbot/db/migrations/versions", ["postgresql", "mysql", "sqlite"]),
    ("zenml", "zenml[server]==0.98.0", "zenml/zen_stores/migrations/versions", ["mysql", "sqlite"]),
    ("superset", "apache-superset==6.1.0", "superset/migrations/versions", ["postgresql", "mysql", "sqlite"]),
    ("airflow", "apache-airflow-core==3.3.2", "airflow/migrations/versions", ["postgresql", "mysql", "sqlite"]),
    ("dagster", "dagster==1.13.29", "dagster/_core/storage/alembic/versions", ["postgresql", "mysql", "sqlite"]),
    ("zou", "zou==1.0.97", "zou/migrations/versions", ["postgresql"]),  # see SETUP
    ("aodh", "aodh==23.0.0", "aodh/storage/sqlalchemy/alembic/versions", ["postgresql", "mysql"]),
    ("cinder", "cinder==29.0.0", "cinder/db/migrations/versions", ["postgresql", "mysql"]),
    ("designate", "designate==23.0.0", "designate/storage/sqlalchemy/alembic/versions", ["postgresql", "mysql"]),
    ("glance", "glance==33.0.0", "glance/db/sqlalchemy/alembic_migrations/versions", ["postgresql", "mysql"]),
    ("ironic", "ironic==39.0.0", "ironic/db/sqlalchemy/alembic/versions", ["postgresql", "mysql"]),
    ("magnum", "magnum==23.0.0", "magnum/db/sqlalchemy/alembic/versions", ["postgresql", "mysql"]),
    ("mistral", "mistral==23.0.0", "mistral/db/sqlalchemy/migration/alembic_migrations/versions", ["postgresql", "mysql"]),
    ("nova", "nova==34.0.0", "nova/db/main/migrations/versions", ["postgresql", "mysql"]),
    ("nova-api", "nova==34.0.0", "nova/db/api/migrations/versions", ["postgresql", "mysql"]),
    ("heat", "openstack-heat==27.0.1", "heat/db/migrations/versions", ["postgresql", "mysql"]),
    ("placement", "openstack-placement==16.0.0", "placement/db/sqlalchemy/alembic/versions", ["postgresql", "mysql"]),
    ("tacker", "tacker==16.0.0", "tacker/db/migration/alembic_migrations/versions", ["postgresql", "mysql"]),
    ("octavia", "octavia==19.0.0", "octavia/db/migration/alembic_migrations/versions", ["postgresql", "mysql"]),
    ("zun", "zun==18.0.0", "zun/db/sqlalchemy/alembic/versions", ["postgresql", "mysql"]),
    ("manila", "manila==23.0.1", "manila/db/migrations/alembic/versions", ["postgresql", "mysql"]),
    ("blazar", "blazar==18.0.0", "blazar/db/migration/alembic_migrations/versions", ["postgresql", "mysql"]),
    ("cyborg", "openstack-cyborg==17.0.0", "cyborg/db/sqlalchemy/alembic/versions", ["postgresql", "mysql"]),
    ("ckan", "ckan==2.12.0", "ckan/migration/versions", ["postgresql"]),
    ("prefect-pg", "prefect==3.9.1", "prefect/server/database/_migrations/versions/postgresql", ["postgresql"]),
    ("prefect-sqlite", "prefect==3.9.1", "prefect/server/database/_migrations/versions/sqlite", ["sqlite"]),
    ("privacyidea", "privacyidea==3.14", "privacyidea/migrations/versions", ["postgresql", "mysql", "sqlite"]),
    ("masakari", "masakari==22.0.0", "masakari/db/sqlalchemy/migrations/versions", ["postgresql", "mysql"]),
    ("barbican", "barbican==23.0.0", "barbican/model/migration/alembic_migrations/versions", ["postgresql", "mysql"]),
]


# What a project's migrations need beyond its own dependencies to import at all, per project:
# `env`, variables its modules read at import (Zou's config refuses to load without a
# SECRET_KEY); `compat`, the names SQLAlchemy 2.1 renamed that a dependency still imports
# (Zou's SQLAlchemy-Utils 0.42 subclasses `attributes.ScalarAttributeImpl`), aliased by a
# module the venv imports at start-up (COMPAT). Neither changes what SQLAlchemy prints: the
# DDL is still SQLAlchemy 2.1.9's. Superset is not rescued this way: its own code needs
# SQLAlchemy 1.4 (`orm.eagerload`, legacy annotations), a version the planner does not mimic.
SETUP = {
    "zou": {"env": {"SECRET_KEY": "alembic-planner-corpus-not-a-secret"}, "compat": True},
}
COMPAT = """\
# alembic-planner's corpus: SQLAlchemy 2.1 renamed these; older dependencies import them.
try:
    from sqlalchemy.orm import attributes as _attributes

    for _name in ("ScalarAttributeImpl", "ScalarObjectAttributeImpl"):
        if not hasattr(_attributes, _name) and hasattr(_attributes, "_" + _name):
            setattr(_attributes, _name, getattr(_attributes, "_" + _name))
except Exception:  # no SQLAlchemy here: nothing to alias
    pass
"""


def wheel(requirement):
    """The wheel of `requirement`, downloaded once into the cache."""
    d = CACHE / "wheels"
    d.mkdir(parents=True, exist_ok=True)
    name, version = requirement.split("==")
    name = re.sub(r"\[.*\]", "", name)  # extras: the same wheel
    stem = re.sub(r"[-_.]+", "_", name).lower()
    for w in d.glob("*.whl"):
        if w.name.lower().startswith(f"{stem}-{version}-"):
            return w
    subprocess.run(
        [PYTHON, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", str(d),
         f"{name}=={version}"],
        check=True,
    )
    for w in d.glob("*.whl"):
        if w.name.lower().startswith(f"{stem}-{version}-"):
            return w
    raise SystemExit(f"no wheel of {requirement} after downloading it")


def extract(name, requirement, inner):
    """The wheel extracted (once); returns (package root, versions folder)."""
    src = CACHE / "src" / name
    if not (src / inner).is_dir():
        with zipfile.ZipFile(wheel(requirement)) as z:
            z.extractall(src)
    return src, src / inner


def venv(name, requirement):
    """The project's own virtualenv: the package with its dependencies (so its migrations
    import), then Alembic and SQLAlchemy at the versions the planner reproduces, forced."""
    # one per requirement (two versions folders of one package share it)
    d = CACHE / "venvs" / re.sub(r"[^A-Za-z0-9.]+", "-", requirement)
    py = d / "bin/python"
    done = d / ".installed"
    if done.exists() and done.read_text() == requirement:
        return py
    base = subprocess.run([PYTHON, "-c", "import sys; print(sys.base_prefix)"],
                          capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([f"{base}/bin/python3", "-m", "venv", "--clear", str(d)], check=True)
    pip = [str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    # wheels preferred; a pure-Python dependency published only as an sdist still installs
    r = subprocess.run(pip + ["--prefer-binary", requirement], capture_output=True, text=True)
    if r.returncode != 0:
        print(f"{name}: installing {requirement} failed, migrations that import it will fail:\n"
              f"{r.stderr[-800:]}", file=sys.stderr)
    subprocess.run(pip + ["alembic==1.20.1", "sqlalchemy==2.1.9"], capture_output=True, check=True)
    if r.returncode == 0:
        done.write_text(requirement)  # a failed install is tried again next time
    return py


def compat(py, wanted):
    """Installs (or removes) COMPAT in the venv of `py`: imported at start-up by a .pth."""
    site = subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    module, pth = Path(site) / "planner_compat.py", Path(site) / "planner_compat.pth"
    if wanted:
        module.write_text(COMPAT)
        pth.write_text("import planner_compat\n")
    else:
        module.unlink(missing_ok=True)
        pth.unlink(missing_ok=True)


def project_dir(name, src, versions):
    """A folder with an alembic.ini running the offline env over the wheel's versions."""
    d = CACHE / "projects" / name
    d.mkdir(parents=True, exist_ok=True)
    (d / "alembic.ini").write_text(
        "[alembic]\n"
        f"script_location = {ENV_DIR}\n"
        f"version_locations = {versions}\n"
        f"prepend_sys_path = {src}\n"
        "path_separator = os\n"
        "sqlalchemy.url = postgresql://\n"
    )
    return d


def revisions(project):
    """(revision, its down revisions), from the planner's `history` (Alembic's format:
    `a, b (dep) -> c (labels) (head), message`)."""
    out = planner(project, ["history"])
    revs = []
    for line in out["stdout"].splitlines():
        m = re.match(r"^(.*?) -> (\S+?)(?:,| \()", line)
        if not m:
            continue
        downs = re.sub(r"\([^)]*\)", "", m.group(1))  # dependencies in parentheses
        downs = [d.strip() for d in downs.split(",") if d.strip() and d.strip() != "<base>"]
        revs.append((m.group(2), downs))
    return revs


def oracle(python, jobs, name, setup):
    """Alembic's answers to `jobs`, cached per project under `.corpus-cache/oracle/` (keyed by
    the jobs, the venv, the oracle script and the project's SETUP): the wheels are pinned, so
    the answers only change when one of those does."""
    parts = [str(python), jobs, ORACLE.read_text()]
    if setup:  # (left out when empty: the projects without one keep their recorded answers)
        parts.append([setup, COMPAT if setup.get("compat") else None])
    key = hashlib.sha256(json.dumps(parts).encode()).hexdigest()
    cached = CACHE / "oracle" / f"{name}-{key[:16]}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    env = dict(os.environ, PYTHONHASHSEED="0", PYTHONDONTWRITEBYTECODE="1", **setup.get("env", {}))
    compat(python, setup.get("compat", False))
    out = subprocess.run(
        [str(python), str(ORACLE)], input=json.dumps(jobs), capture_output=True, text=True, env=env
    )
    if out.returncode != 0:
        raise SystemExit(f"oracle failed: {out.stderr[-2000:]}")
    cached.parent.mkdir(parents=True, exist_ok=True)
    cached.write_text(out.stdout)
    return json.loads(out.stdout)


def planner(project, argv):
    """The planner on the same alembic.ini Alembic runs (`project_dir`), from its folder."""
    out = subprocess.run([str(PLANNER)] + argv, capture_output=True, text=True, cwd=project)
    return {"stdout": out.stdout, "stderr": out.stderr, "status": out.returncode}


def migration_block(text, rev):
    """The `-- Running upgrade ... -> rev` block of an offline script."""
    lines = text.splitlines(keepends=True)
    start = None
    for i, line in enumerate(lines):
        if line.startswith("-- Running upgrade") and line.rstrip().endswith(f"-> {rev}"):
            start = i
            break
    if start is None:
        return None
    block = []
    for line in lines[start:]:
        if block and (line.startswith("-- Running ") or line.startswith("UPDATE alembic_version")
                      or line.startswith("INSERT INTO alembic_version") or line.startswith("COMMIT")):
            break
        block.append(line)
    return "".join(block)


def statements(block):
    """A block's statements (split at blank lines), each with whether it is a planner note.
    The indexes a CREATE TABLE creates come sorted: Alembic emits them from a Python set of
    Index objects, whose order is not deterministic (ARCHITECTURE.md, "Hash order")."""
    parts = [(x, x.startswith("-- alembic-planner:"))
             for x in (y.strip("\n") for y in block.split("\n\n")) if x]
    out, k = [], 0
    while k < len(parts):
        out.append(parts[k])
        # (a planner note about a `create_table` may stand where Alembic's CREATE TABLE is;
        # a note inside the run stays above the index statement after it)
        if parts[k][0].startswith("CREATE TABLE") or (parts[k][1] and "create_table" in parts[k][0]):
            run = []
            while k + 1 < len(parts) and (
                    re.match(r"CREATE (UNIQUE )?INDEX", parts[k + 1][0])
                    or (parts[k + 1][1] and "create_table" not in parts[k + 1][0])):
                k += 1
                run.append(parts[k])
            # each note stays with the statement after it, the pairs sorted by statement
            groups, pending = [], []
            for p in run:
                pending.append(p)
                if not p[1]:
                    groups.append(pending)
                    pending = []
            groups.sort(key=lambda g: g[-1][0])
            out.extend([p for g in groups for p in g] + pending)
        k += 1
    return out


NOTE_REACH = 3  # matched statements a note may stand above a difference it covers


def compare(planner_block, alembic_block):
    """(identical / annotated / silent, Alembic's statements the planner printed the same, all
    of Alembic's statements), the class as tests/support/mod.rs's compare_statements: the
    planner's statements (notes left out) aligned with Alembic's; every stretch where they
    differ must hold a planner note, or have one just above it (an operation's note whose
    first statements matched: at most NOTE_REACH matched statements between)."""
    p = statements(planner_block)
    a = [x for x, _ in statements(alembic_block)]
    idx = [i for i, (_, note) in enumerate(p) if not note]
    n, m = len(idx), len(a)
    lcs = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            lcs[i][j] = lcs[i + 1][j + 1] + 1 if p[idx[i]][0] == a[j] else max(lcs[i + 1][j], lcs[i][j + 1])
    matched = [False] * len(p)
    stretches = []
    i = j = start = 0
    is_open = False
    while i < n or j < m:
        if i < n and j < m and p[idx[i]][0] == a[j] and lcs[i][j] == lcs[i + 1][j + 1] + 1:
            if is_open:
                stretches.append((start, idx[i]))
                is_open = False
            matched[idx[i]] = True
            start = idx[i] + 1
            i += 1
            j += 1
        else:
            is_open = True
            if j < m and (i >= n or lcs[i][j + 1] >= lcs[i + 1][j]):
                j += 1
            else:
                i += 1
    if is_open:
        stretches.append((start, len(p)))

    def covered(lo, hi):
        if any(note for _, note in p[lo:hi]):
            return True
        k, seen = lo, 0
        while k > 0:
            k -= 1
            if p[k][1]:
                return True
            if not matched[k] or seen == NOTE_REACH:
                return False
            seen += 1
        return False

    same = sum(matched)
    if not stretches:
        return "identical", same, m
    return ("annotated" if all(covered(lo, hi) for lo, hi in stretches) else "silent"), same, m


def classify(ours, theirs, rev, dialect):
    """identical / annotated / silent / alembic-failed / planner-failed, and a detail."""
    if theirs["status"] != 0:
        reason = (theirs["stderr"].strip().splitlines() or ["?"])[-1]
        return "alembic-failed", reason
    a = migration_block(theirs["stdout"], rev)
    p = migration_block(ours["stdout"], rev) if ours["status"] == 0 else None
    if a is None:
        return "alembic-failed", "no migration block in Alembic's output"
    if p is None:
        return "planner-failed", ours["stderr"].strip()[-300:]
    cls, same, total = compare(p, a)  # identical: byte for byte once the notes are removed
    counts = STATEMENTS.setdefault(dialect, [0, 0])
    counts[0] += same
    counts[1] += total
    if cls == "annotated":
        for reason in sorted(set(note_reasons(p))):
            key = (dialect, reason)
            REASONS[key] = REASONS.get(key, 0) + 1
    if cls == "annotated":  # the notes, so a reader sees what is left out and why
        notes = sorted({ln for ln in p.splitlines() if ln.startswith("-- alembic-planner:")})
        return cls, "\n".join(notes)
    return cls, (first_difference(a, p) if cls == "silent" else "")


STATEMENTS = {}  # dialect -> [statements printed the same, Alembic's statements]
REASONS = {}  # (dialect, a note's reason with names blurred) -> annotated scripts holding it


def note_reasons(block):
    """The reasons of a block's planner notes, with file names, lines, quoted values and
    helper names blurred so that one class of note counts once."""
    for line in block.splitlines():
        if not line.startswith("-- alembic-planner:"):
            continue
        m = re.search(r"not modelled: (.*?);", line) or re.search(r"-- alembic-planner: \S+ (.*)", line)
        k = m.group(1) if m else line
        k = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", k)
        k = re.sub(r"`[^`]*`", "`…`", k)
        yield k[:100]


def hash_order(text):
    """Lists Alembic prints from a Python set (branch labels in parentheses), sorted: their
    order changes with PYTHONHASHSEED (ARCHITECTURE.md, "Hash order")."""
    return re.sub(r"\(([^()]*, [^()]*)\)",
                  lambda m: "(" + ", ".join(sorted(m.group(1).split(", "))) + ")", text)


def first_difference(a, p):
    al, pl = a.splitlines(), p.splitlines()
    for i in range(max(len(al), len(pl))):
        x = al[i] if i < len(al) else "<end>"
        y = pl[i] if i < len(pl) else "<end>"
        if x != y:
            return f"line {i + 1}:\n    alembic: {x}\n    planner: {y}"
    return "?"


def run_project(name, requirement, inner, dialects):
    src, versions = extract(name, requirement, inner)
    d = project_dir(name, src, versions)
    revs = revisions(d)
    jobs, keys = [], []
    for cmd in (["history"], ["heads"]):
        jobs.append({"dir": str(d), "argv": cmd})
        keys.append(("cmd", " ".join(cmd), None, cmd))
    for dialect in dialects:
        for rev, downs in revs:
            if len(downs) > 1:
                continue  # a merge: its range includes the other branch
            rng = f"{downs[0] if downs else 'base'}:{rev}"
            argv = ["-x", f"url={dialect}://", "upgrade", rng, "--sql"]
            jobs.append({"dir": str(d), "argv": argv})
            keys.append(("rev", dialect, rev, ["--dialect", dialect, "upgrade", rng, "--sql"]))
    # one Alembic process per dialect: a project's modules may cache what they computed
    # for the first dialect they saw (Airflow's `db_types` keeps the first `TIMESTAMP` it
    # picks by `context.get_bind().dialect`), which a one-process run would reuse
    results = [None] * len(jobs)
    for group in dict.fromkeys(k[1] if k[0] == "rev" else "commands" for k in keys):
        idx = [i for i, k in enumerate(keys) if (k[1] if k[0] == "rev" else "commands") == group]
        answers = oracle(venv(name, requirement), [jobs[i] for i in idx], f"{name}-{group}",
                         SETUP.get(name, {}))
        for i, answer in zip(idx, answers):
            results[i] = answer
    report = [f"# {name} ({requirement}), {len(revs)} revisions\n"]
    counts = {}
    same = {}
    unequal = []  # (job index, dialect, revision) of the scripts not printed the same
    for i, ((kind, what, rev, pargv), theirs) in enumerate(zip(keys, results)):
        ours = planner(d, pargv)
        if kind == "cmd":
            ok = theirs["status"] == 0 and hash_order(ours["stdout"]) == hash_order(theirs["stdout"])
            same[what] = "alembic-failed" if theirs["status"] != 0 else ("identical" if ok else "DIFFERENT")
            if not ok and theirs["status"] == 0:
                report.append(f"## {what} differs\n{first_difference(theirs['stdout'], ours['stdout'])}\n")
            continue
        cls, detail = classify(ours, theirs, rev, what)
        counts.setdefault(what, {}).setdefault(cls, 0)
        counts[what][cls] += 1
        if cls in ("silent", "annotated"):
            unequal.append((i, what, rev))
        if cls in ("silent", "planner-failed", "alembic-failed", "annotated"):
            report.append(f"## {what} {rev}: {cls}\n{detail}\n")
    # Alembic once more on the scripts not printed the same: where its own two runs differ
    # (the time of the run, a random UUID in the SQL), no planner can print its output
    for group in dict.fromkeys(what for _, what, _ in unequal):
        mine = [(i, rev) for i, what, rev in unequal if what == group]
        again = oracle(venv(name, requirement), [jobs[i] for i, _ in mine], f"{name}-{group}-rerun",
                       SETUP.get(name, {}))
        for (i, rev), second in zip(mine, again):
            first = migration_block(results[i]["stdout"], rev)
            if second["status"] != 0 or migration_block(second["stdout"], rev) != first:
                UNSTABLE.setdefault(group, []).append(f"{name} {rev}")
                report.append(f"## {group} {rev}: Alembic's own output differs between two runs\n")
    # the linter over the project (PostgreSQL, the default configuration): findings per rule
    lint = subprocess.run([str(PLANNER), "--project", str(src), "lint", "--format", "json"],
                          capture_output=True, text=True, cwd=d)
    try:
        found = json.loads(lint.stdout)["findings"]
    except (ValueError, KeyError):
        found = []
        report.append(f"## lint failed\n{lint.stderr}\n")
    for f in found:
        LINT.setdefault(name, {}).setdefault(f["rule"], 0)
        LINT[name][f["rule"]] += 1
    report.append("## lint\n" + "".join(
        f"{f['path']}:{f['line']}: {f['severity']}[{f['rule']}] {f['message']}\n" for f in found))
    out = CACHE / "report"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.txt").write_text("\n".join(report))
    return len(revs), same, counts


CLASSES = ["identical", "annotated", "silent", "alembic-failed", "planner-failed"]
# dialect -> the scripts (annotated or silent) whose Alembic output differs between two runs
UNSTABLE = {}
# project -> rule -> findings of `lint` (PostgreSQL, default configuration)
LINT = {}


def main():
    wanted = set(sys.argv[1:])
    if not PLANNER.exists():
        raise SystemExit(f"{PLANNER} is missing: cargo build --release first")
    totals = {}
    print(f"{'project':<14} {'revs':>5} {'history':<15} {'heads':<15} {'dialect':<11} "
          + " ".join(f"{c:>15}" for c in CLASSES))
    for name, req, inner, dialects in PROJECTS:
        if wanted and name not in wanted:
            continue
        n, same, counts = run_project(name, req, inner, dialects)
        first = True
        for dialect in dialects:
            c = counts.get(dialect, {})
            for k, v in c.items():
                totals.setdefault(dialect, {}).setdefault(k, 0)
                totals[dialect][k] += v
            print(f"{name if first else '':<14} {n if first else '':>5} "
                  f"{same['history'] if first else '':<15} {same['heads'] if first else '':<15} "
                  f"{dialect:<11} " + " ".join(f"{c.get(k, 0):>15}" for k in CLASSES))
            first = False
    print()
    for dialect, c in sorted(totals.items()):
        ran = sum(v for k, v in c.items() if k != "alembic-failed")
        ident = c.get("identical", 0)
        share = f"{100 * ident / ran:.1f}%" if ran else "-"
        print(f"{dialect:<11} scripts Alembic could run: {ran}; identical {ident} ({share}), "
              f"annotated {c.get('annotated', 0)}, silent {c.get('silent', 0)}, "
              f"planner-failed {c.get('planner-failed', 0)}; Alembic failed on {c.get('alembic-failed', 0)}")
        unstable = UNSTABLE.get(dialect, [])
        if unstable:
            stable = ran - len(unstable)
            print(f"{'':<11} of the others, {len(unstable)} print differently in two Alembic runs "
                  f"(the run's time, a random UUID: {', '.join(unstable)}); identical among the "
                  f"{stable} whose output is the same every run: {100 * ident / max(stable, 1):.1f}%")
    print()
    for dialect, (same, total) in sorted(STATEMENTS.items()):
        print(f"{dialect:<11} statements in the scripts Alembic could run: {total}; printed the same "
              f"{same} ({100 * same / max(total, 1):.1f}%), annotated or left out under a note "
              f"{total - same} ({100 * (total - same) / max(total, 1):.1f}%)")
    print("\nannotated scripts by the reason of their notes (the commonest first):")
    for (dialect, reason), n in sorted(REASONS.items(), key=lambda kv: -kv[1])[:30]:
        print(f"{n:>6}  {dialect:<11} {reason}")
    print("\nlint findings per project (PostgreSQL, default rules; each finding is in the report):")
    for name, rules in LINT.items():
        top = ", ".join(f"{r} {n}" for r, n in sorted(rules.items(), key=lambda kv: -kv[1])[:6])
        print(f"{name:<14} {sum(rules.values()):>5}  {top}")
    print(f"\nreports: {CACHE / 'report'}")


if __name__ == "__main__":
    main()
