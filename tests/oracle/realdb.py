"""Runs an offline migration script on a real database and prints its schema, canonically.

    realdb.py sqlite SCRIPT.sql
    realdb.py postgresql SCRIPT.sql SOCKET_DIR DATABASE

SQLite runs in memory through Python's sqlite3 module; PostgreSQL through `psql` on a Unix
socket (the test starts the server). The schema is read back from the catalogs
(PRAGMA table_info/index_list/foreign_key_list; pg_catalog) and printed one fact per line,
sorted, so the test can compare it with the planner's simulated schema:

    table T
    column T C TYPE null|not null
    pk T (C, ...)
    fk T (C, ...) -> R (C, ...)
    unique T (C, ...)
    index T NAME (C, ...) [unique]

Types are printed in one spelling for both databases: varchar(50), numeric(10,2),
timestamp (PostgreSQL's "timestamp without time zone", SQLite's DATETIME), ...
"""
import re
import sqlite3
import subprocess
import sys

PG_TYPES = {
    "character varying": "varchar",
    "timestamp without time zone": "timestamp",
    "timestamp with time zone": "timestamptz",
    "double precision": "float",
}


def norm_type(t):
    t = t.lower().replace(" ", "") if "(" in t else t.lower()
    t = re.sub(r"^charactervarying", "varchar", t)
    for k, v in PG_TYPES.items():
        if t == k:
            return v
    if t == "datetime":
        return "timestamp"
    return t


def sqlite_schema(script):
    db = sqlite3.connect(":memory:")
    db.executescript(script)
    out = []
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' AND name != 'alembic_version'")]
    for t in tables:
        out.append(f"table {t}")
        pk = []
        for cid, name, typ, notnull, dflt, pkpos in db.execute(f'PRAGMA table_info("{t}")'):
            out.append(f"column {t} {name} {norm_type(typ)} {'not null' if notnull else 'null'}")
            if pkpos:
                pk.append((pkpos, name))
        if pk:
            out.append(f"pk {t} ({', '.join(n for _, n in sorted(pk))})")
        fks = {}
        for row in db.execute(f'PRAGMA foreign_key_list("{t}")'):
            fid, seq, ref, frm, to = row[0], row[1], row[2], row[3], row[4]
            fks.setdefault(fid, (ref, []))[1].append((seq, frm, to))
        for ref, cols in fks.values():
            cols.sort()
            out.append(f"fk {t} ({', '.join(c[1] for c in cols)}) -> {ref} ({', '.join(c[2] for c in cols)})")
        for seq, name, unique, origin, partial in db.execute(f'PRAGMA index_list("{t}")'):
            cols = [r[2] for r in db.execute(f'PRAGMA index_info("{name}")')]
            if origin == "u":
                out.append(f"unique {t} ({', '.join(cols)})")
            elif origin == "c":
                out.append(f"index {t} {name} ({', '.join(cols)}){' unique' if unique else ''}")
    return out


PG_QUERY = r"""
SELECT 'table ' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version'
UNION ALL
SELECT 'column ' || c.relname || ' ' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
       || CASE WHEN a.attnotnull THEN ' not null' ELSE ' null' END
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relname <> 'alembic_version'
   AND a.attnum > 0 AND NOT a.attisdropped
UNION ALL
SELECT CASE con.contype WHEN 'p' THEN 'pk ' WHEN 'u' THEN 'unique ' ELSE 'fk ' END || c.relname || ' ('
       || (SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(con.conkey) WITH ORDINALITY k(n, i)
           JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n) || ')'
       || CASE WHEN con.contype = 'f' THEN ' -> ' || r.relname || ' ('
           || (SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(con.confkey) WITH ORDINALITY k(n, i)
               JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n) || ')' ELSE '' END
  FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_class r ON r.oid = con.confrelid
 WHERE n.nspname = 'public' AND con.contype IN ('p', 'u', 'f') AND c.relname <> 'alembic_version'
UNION ALL
SELECT 'index ' || t.relname || ' ' || i.relname || ' ('
       || (SELECT string_agg(a.attname, ', ' ORDER BY k.i) FROM unnest(x.indkey::int2[]) WITH ORDINALITY k(n, i)
           JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.n) || ')'
       || CASE WHEN x.indisunique THEN ' unique' ELSE '' END
  FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname = 'public' AND t.relname <> 'alembic_version'
   AND NOT EXISTS (SELECT 1 FROM pg_constraint con WHERE con.conindid = x.indexrelid)
"""


def pg_schema(script, sock, db):
    def psql(*args, stdin=None):
        r = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", sock, "-U", "postgres", *args],
                           input=stdin, capture_output=True, text=True)
        if r.returncode != 0:
            sys.stderr.write(r.stderr)
            sys.exit(2)
        return r.stdout

    psql("-d", "postgres", "-c", f'DROP DATABASE IF EXISTS "{db}"')
    psql("-d", "postgres", "-c", f'CREATE DATABASE "{db}"')
    psql("-d", db, stdin=script)
    out = []
    for line in psql("-d", db, "-At", "-c", PG_QUERY).splitlines():
        if line.startswith("column "):
            # normalise the type, the word before null/not null
            head, _, rest = line.partition(" ")
            m = re.match(r"(\S+) (\S+) (.+?) (null|not null)$", rest)
            line = f"column {m.group(1)} {m.group(2)} {norm_type(m.group(3))} {m.group(4)}"
        out.append(line)
    psql("-d", "postgres", "-c", f'DROP DATABASE "{db}"')
    return out


def main():
    dialect, path = sys.argv[1], sys.argv[2]
    script = open(path).read()
    lines = sqlite_schema(script) if dialect == "sqlite" else pg_schema(script, sys.argv[3], sys.argv[4])
    print("\n".join(sorted(lines)))


main()
