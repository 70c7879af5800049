//! The lock claims of the PostgreSQL rules, verified on a real server: for every rule
//! with a [`LockClaim`], the claim's setup runs, then its statement inside a transaction
//! that reads `pg_locks` for the table (this session's locks) and the table's
//! `relfilenode` before and after (a new file is a rewrite). The rule docs state these
//! facts (`docs/rules/`); this keeps them true for the PostgreSQL installed.

mod support;

use alembic_planner::lint::RULES;

#[test]
#[ignore = "needs PostgreSQL (scripts/dev.sh setup installs it); scripts/dev.sh test runs it"]
fn lock_claims_hold_on_postgresql() {
    let pg = support::pg::Pg::start("locks");
    let version = pg.major_version();
    assert!(
        version >= 11,
        "PostgreSQL {version} is older than the claims assume"
    );
    let mut checked = 0;
    let mut failures = Vec::new();
    for rule in RULES {
        let Some(claim) = &rule.lock else { continue };
        let t = claim.table;
        let sql = format!(
            "DROP SCHEMA IF EXISTS lockcheck CASCADE; CREATE SCHEMA lockcheck; SET search_path = lockcheck;\n\
             {setup}\n\
             CREATE TEMP TABLE before_file AS SELECT 'lockcheck.{t}'::regclass::oid AS o, pg_relation_filenode('lockcheck.{t}') AS f;\n\
             BEGIN;\n\
             {statement};\n\
             SELECT 'lock=' || string_agg(mode, ',' ORDER BY mode) FROM pg_locks WHERE pid = pg_backend_pid() AND locktype = 'relation' AND relation = (SELECT o FROM before_file);\n\
             SELECT 'rewrite=' || (coalesce(pg_relation_filenode((SELECT o FROM before_file)), 0) <> (SELECT f FROM before_file))::text;\n\
             ROLLBACK;\n\
             DROP TABLE before_file;\n",
            setup = claim.setup,
            statement = claim.statement,
        );
        let out = match pg.psql(&sql) {
            Ok(o) => o,
            Err(e) => {
                failures.push(format!("{}: the claim's SQL fails: {e}", rule.id));
                continue;
            }
        };
        let field = |k: &str| {
            out.lines()
                .find_map(|l| l.strip_prefix(k))
                .unwrap_or("")
                .to_string()
        };
        let locks = field("lock=");
        let rewrite = field("rewrite=") == "true";
        // the strongest lock the statement holds on the table
        let held: Vec<&str> = locks.split(',').collect();
        if !held.contains(&claim.lock) {
            failures.push(format!(
                "{}: `{}` holds {locks:?} on {t}, the rule claims {}",
                rule.id, claim.statement, claim.lock
            ));
        }
        // a dropped table has no file afterwards: not a rewrite
        let dropped = claim.statement.starts_with("DROP TABLE");
        if !dropped && rewrite != claim.rewrites {
            failures.push(format!(
                "{}: `{}` {} the table, the rule claims it {}",
                rule.id,
                claim.statement,
                if rewrite {
                    "rewrites"
                } else {
                    "does not rewrite"
                },
                if claim.rewrites { "does" } else { "does not" }
            ));
        }
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} lock claims found");
    assert!(
        failures.is_empty(),
        "on PostgreSQL {version}:\n{}",
        failures.join("\n")
    );
}
