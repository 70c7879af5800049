//! `op.batch_alter_table` "move and copy": the table rebuilt under a temporary name, its
//! rows copied, the old table dropped and the new one renamed, as Alembic's
//! `ApplyBatchImpl` does (`alembic/operations/batch.py`).
//!
//! The renderer takes the table as it is before the block and as the block leaves it
//! (`TableShape`s); the offline script in the `alembic` layer gets both from the schema
//! simulation and says when Alembic itself could not have (no `copy_from=`).

use crate::base::Dialect;
use crate::ops::{BatchBlock, LocatedStep, Operation, Recreate, Step, TableShape};
use crate::python::Val;

use super::types::{compile_type, for_dialect, type_name};
use super::DdlDialect;

/// Whether Alembic's batch moves and copies the table for these steps: always with
/// `recreate="always"`, never with `"never"`, and by default (`"auto"`) on SQLite when the
/// block does anything but add columns (without a SQL-expression default) and
/// create or drop indexes (`SQLiteImpl.requires_recreate_in_batch`).
pub fn needs_recreate(dialect: Dialect, block: &BatchBlock, steps: &[LocatedStep]) -> bool {
    match block.recreate {
        Recreate::Always => true,
        Recreate::Never => false,
        Recreate::Auto => {
            dialect == Dialect::Sqlite
                && steps.iter().any(|st| match &st.step {
                    Step::Op(op) => match op.as_ref() {
                        Operation::AddColumn { column, .. } => column
                            .server_default
                            .as_ref()
                            .is_some_and(is_sql_expression),
                        Operation::CreateIndex { .. } | Operation::DropIndex { .. } => false,
                        _ => true,
                    },
                    Step::Opaque { .. }
                    | Step::NotModelled { .. }
                    | Step::Autocommit { .. }
                    | Step::Print { .. } => false,
                })
        }
    }
}

/// A server default that is a SQL expression (`sa.text(...)`, `sa.func.now()`,
/// `sa.false()`) rather than a string.
fn is_sql_expression(v: &Val) -> bool {
    matches!(v, Val::Call { .. })
}

/// `_alembic_tmp_<table>`, cut to 50 characters as Alembic does.
pub fn temp_name(table: &str) -> String {
    format!("_alembic_tmp_{table}").chars().take(50).collect()
}

/// SQLAlchemy's `_type_affinity` for the types the planner knows: a change of type within
/// one affinity copies the values as they are, across affinities through `CAST`.
fn affinity(t: &Option<Val>, dialect: Dialect) -> String {
    let name = t
        .as_ref()
        .map(|t| for_dialect(t, dialect))
        .and_then(type_name)
        .unwrap_or_default()
        .to_ascii_lowercase();
    match name.as_str() {
        "integer" | "int" | "biginteger" | "bigint" | "smallinteger" | "smallint" => "integer",
        "string" | "text" | "unicode" | "unicodetext" | "varchar" | "char" | "nvarchar"
        | "nchar" | "clob" | "enum" => "string",
        "numeric" | "float" | "decimal" | "real" | "double" | "double_precision" => "numeric",
        "datetime" | "timestamp" => "datetime",
        "largebinary" | "blob" | "binary" | "varbinary" => "binary",
        "json" | "jsonb" => "json",
        other => return other.to_string(),
    }
    .to_string()
}

/// One column of the copy: the old column's name (its key), the new column's name, and
/// the expression the `SELECT` reads (`None` for a column the block adds).
struct Transfer {
    key: String,
    name: String,
    expr: Option<String>,
    cast: bool,
    type_: Option<Val>,
}

/// The statements of a move and copy: `before` is the table as it is, `after` what the
/// block makes of it (both from the simulation), `steps` the block's operations.
pub fn move_and_copy(
    r: &dyn DdlDialect,
    before: &TableShape,
    after: &TableShape,
    steps: &[LocatedStep],
) -> Result<Vec<String>, String> {
    let table = &before.name;
    let tmp = temp_name(table);
    let mut transfers: Vec<Transfer> = before
        .columns
        .iter()
        .map(|c| Transfer {
            key: c.name.clone(),
            name: c.name.clone(),
            expr: Some(format!("{}.{}", r.quote(table), r.quote(&c.name))),
            cast: false,
            type_: c.type_.clone(),
        })
        .collect();
    for st in steps {
        let Step::Op(op) = &st.step else { continue };
        match op.as_ref() {
            Operation::AlterColumn {
                column, changes, ..
            } => {
                let Some(t) = transfers.iter_mut().find(|t| &t.name == column) else {
                    continue;
                };
                if let Some(n) = &changes.new_column_name {
                    t.name = n.clone();
                }
                if let Some(v) = &changes.type_ {
                    let new = Some(v.clone());
                    let json =
                        affinity(&new, r.dialect()) == "json" && r.dialect() == Dialect::Sqlite;
                    if affinity(&t.type_, r.dialect()) != affinity(&new, r.dialect()) && !json {
                        if let Some(e) = &t.expr {
                            t.expr = Some(format!("CAST({e} AS {})", compile_type(v, r)?));
                            t.cast = true;
                        }
                    }
                    t.type_ = new;
                }
            }
            Operation::DropColumn { column, .. } => transfers.retain(|t| &t.name != column),
            Operation::AddColumn { column, .. } => transfers.push(Transfer {
                key: column.name.clone(),
                name: column.name.clone(),
                expr: None,
                cast: false,
                type_: column.type_.clone(),
            }),
            _ => {}
        }
    }

    let mut out = r.create_table(
        &tmp,
        &after.columns,
        &after.constraints,
        after.comment.as_deref(),
        &[],
        &[],
    )?;

    let copied: Vec<&Transfer> = transfers.iter().filter(|t| t.expr.is_some()).collect();
    let select: Vec<String> = copied
        .iter()
        .map(|t| {
            let e = t.expr.clone().unwrap_or_default();
            if t.cast {
                format!("{e} AS {}", r.quote(&t.key))
            } else {
                e
            }
        })
        .collect();
    out.push(format!(
        "INSERT INTO {} ({}) SELECT {} \nFROM {}",
        r.quote(&tmp),
        copied
            .iter()
            .map(|t| r.quote(&t.name))
            .collect::<Vec<_>>()
            .join(", "),
        select.join(", "),
        r.quote(table)
    ));
    out.extend(r.drop_table(table));
    out.push(r.rename_table(&tmp, table));
    // SQLite drops a table's indexes with it: every index is created again
    for i in &after.indexes {
        out.push(r.create_index(&i.name, table, &i.columns, i.unique, &i.dialect_kw, false));
    }
    Ok(out)
}

/// The runs of `steps` a renderer handles as one: each batch block, and each stretch of
/// steps outside any block.
pub fn chunks(steps: &[LocatedStep]) -> Vec<&[LocatedStep]> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < steps.len() {
        let key = steps[k].batch.as_ref().map(|b| b.line);
        let n = steps[k..]
            .iter()
            .take_while(|s| s.batch.as_ref().map(|b| b.line) == key)
            .count();
        out.push(&steps[k..k + n]);
        k += n;
    }
    out
}

/// Whether any batch block of these steps is moved and copied in `dialect` (the renderer
/// then needs the simulated schema).
pub fn any_recreate(dialect: Dialect, steps: &[LocatedStep]) -> bool {
    chunks(steps).into_iter().any(|c| {
        c[0].batch
            .as_ref()
            .is_some_and(|b| needs_recreate(dialect, b, c))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::interpret;

    fn block(src: &str) -> Vec<LocatedStep> {
        interpret(&format!(
            "from alembic import op\nimport sqlalchemy as sa\n\ndef upgrade():\n{src}"
        ))
        .upgrade
    }

    #[test]
    fn recreate_follows_alembic_rules() {
        let add = block("    with op.batch_alter_table('t') as b:\n        b.add_column(sa.Column('x', sa.Integer()))\n        b.create_index('ix', ['x'])\n");
        let b = add[0].batch.clone().expect("in a batch block");
        assert!(!needs_recreate(Dialect::Sqlite, &b, &add));
        let expr = block("    with op.batch_alter_table('t') as b:\n        b.add_column(sa.Column('x', sa.DateTime(), server_default=sa.func.now()))\n");
        assert!(needs_recreate(
            Dialect::Sqlite,
            expr[0].batch.as_ref().unwrap(),
            &expr
        ));
        let alter = block("    with op.batch_alter_table('t', recreate='never') as b:\n        b.alter_column('x', nullable=False)\n");
        assert!(!needs_recreate(
            Dialect::Sqlite,
            alter[0].batch.as_ref().unwrap(),
            &alter
        ));
        let always = block("    with op.batch_alter_table('t', recreate='always') as b:\n        b.add_column(sa.Column('x', sa.Integer()))\n");
        assert!(needs_recreate(
            Dialect::Postgresql,
            always[0].batch.as_ref().unwrap(),
            &always
        ));
        let pg = block("    with op.batch_alter_table('t') as b:\n        b.drop_column('x')\n");
        assert!(!needs_recreate(
            Dialect::Postgresql,
            pg[0].batch.as_ref().unwrap(),
            &pg
        ));
    }

    #[test]
    fn batch_steps_run_when_the_block_ends() {
        // op.execute inside the block runs first: Alembic flushes the batch on exit
        let steps = block("    with op.batch_alter_table('t') as b:\n        b.drop_column('x')\n        op.execute('SELECT 1')\n");
        assert!(steps[0].batch.is_none());
        assert_eq!(steps[1].batch.as_ref().map(|b| b.table.as_str()), Some("t"));
        assert_eq!(chunks(&steps).len(), 2);
    }

    #[test]
    fn temp_name_is_cut_at_fifty() {
        assert_eq!(temp_name(&"x".repeat(60)).len(), 50);
        assert_eq!(temp_name("t"), "_alembic_tmp_t");
    }
}
