//! Layer 9, **sql**: SQL inside migrations (`op.execute`, `sa.text`, `connection.execute(text(...))`), parsed
//! with sqlparser in the chosen dialect: each statement classified as DDL, DML, query or
//! other, with the tables it reads and writes, and, for the DDL the schema simulation can
//! follow, the equivalent operations.
//!
//! SQL that sqlparser rejects (vendor syntax it lacks, templated text) is not dropped: a
//! tolerant keyword scan classifies it, and the analysis says so.

use std::ops::ControlFlow;

use sqlparser::ast::{
    AlterIndexOperation, AlterTableOperation, ColumnDef, ColumnOption, ObjectName, ObjectType,
    RenameTableNameKind, Statement, UserDefinedTypeRepresentation,
};
use sqlparser::dialect::{
    Dialect as SqlDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
};
use sqlparser::parser::Parser;

use crate::base::Dialect;

mod highlight;
use crate::ops::{Column, ColumnChanges, Operation};
use crate::python::Val;
pub use highlight::{highlight, Highlight};

/// What a statement is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SqlKind {
    /// Changes the schema: CREATE, ALTER, DROP, COMMENT, RENAME.
    Ddl,
    /// Changes data: INSERT, UPDATE, DELETE, MERGE, TRUNCATE, COPY.
    Dml,
    /// Reads only: SELECT (including `SELECT setval(...)`).
    Query,
    /// Anything else: SET, GRANT, VACUUM, transaction control.
    Other,
}

impl SqlKind {
    pub fn as_str(self) -> &'static str {
        match self {
            SqlKind::Ddl => "DDL",
            SqlKind::Dml => "DML",
            SqlKind::Query => "query",
            SqlKind::Other => "other",
        }
    }
}

/// One classified statement.
#[derive(Clone, Debug, PartialEq)]
pub struct SqlStatement {
    pub kind: SqlKind,
    /// The leading keywords, upper case: `UPDATE`, `CREATE TABLE`, `ALTER INDEX`.
    pub verb: String,
    /// Tables the statement changes (DDL target, DML target), sorted, deduplicated.
    pub writes: Vec<String>,
    /// Tables it reads, sorted, deduplicated.
    pub reads: Vec<String>,
    /// The same change as planner operations, for the DDL the schema simulation follows.
    /// `None` when the statement is DDL the planner cannot follow.
    pub effects: Option<Vec<Operation>>,
}

/// The analysis of one SQL string.
#[derive(Clone, Debug, PartialEq)]
pub struct SqlAnalysis {
    pub statements: Vec<SqlStatement>,
    /// sqlparser's error when it rejected the text; the statements then come from the
    /// keyword scan and have no effects.
    pub parse_error: Option<String>,
}

impl SqlAnalysis {
    /// The most consequential kind among the statements (DDL over DML over the rest).
    pub fn kind(&self) -> SqlKind {
        self.statements
            .iter()
            .map(|s| s.kind)
            .min()
            .unwrap_or(SqlKind::Other)
    }
}

fn parser_dialect(d: Dialect) -> Box<dyn SqlDialect> {
    match d {
        Dialect::Postgresql => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
        Dialect::Mssql => Box::new(MsSqlDialect {}),
    }
}

/// Parses and classifies SQL text. Never fails.
pub fn analyze(sql: &str, dialect: Dialect) -> SqlAnalysis {
    match classify_each(parser_dialect(dialect).as_ref(), sql) {
        Ok(statements) => SqlAnalysis {
            statements,
            parse_error: None,
        },
        Err(e) => SqlAnalysis {
            statements: split_statements(sql)
                .into_iter()
                .map(scan)
                .filter(|s| !s.verb.is_empty())
                .collect(),
            parse_error: Some(e.to_string()),
        },
    }
}

/// `Parser::parse_sql`, each statement classified as soon as it is parsed and its tree
/// dropped: sqlparser's trees are large (16,000 `UPDATE`s, 640 KB of text, held 180 MB as
/// trees), what is kept of them small. The loop is `Parser::parse_statements`'s.
fn classify_each(dialect: &dyn SqlDialect, sql: &str) -> Result<Vec<SqlStatement>, String> {
    use sqlparser::keywords::Keyword;
    use sqlparser::tokenizer::Token;
    let mut parser = Parser::new(dialect)
        .try_with_sql(sql)
        .map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    let mut expecting_delimiter = false;
    loop {
        while parser.consume_token(&Token::SemiColon) {
            expecting_delimiter = false;
        }
        match &parser.peek_token_ref().token {
            Token::EOF => break,
            Token::Word(w) if expecting_delimiter && w.keyword == Keyword::END => break,
            _ => {}
        }
        if expecting_delimiter {
            return parser
                .expected("end of statement", parser.peek_token())
                .map_err(|e: sqlparser::parser::ParserError| e.to_string());
        }
        let statement = parser.parse_statement().map_err(|e| e.to_string())?;
        out.push(classify(&statement));
        expecting_delimiter = true;
    }
    Ok(out)
}

/// A column as SQL DDL declares it: type as written, NULL/NOT NULL, PRIMARY KEY, UNIQUE,
/// DEFAULT, COMMENT.
fn column_of(c: &ColumnDef) -> Column {
    let mut col = Column {
        name: c.name.value.clone(),
        type_: Some(Val::Str(c.data_type.to_string())),
        nullable: None,
        primary_key: false,
        server_default: None,
        comment: None,
        foreign_keys: Vec::new(),
        unique: false,
        index: false,
        autoincrement: None,
        has_default: false,
        computed: None,
        sequence: None,
        identity: None,
        checks: Vec::new(),
    };
    for o in &c.options {
        match &o.option {
            ColumnOption::NotNull => col.nullable = Some(false),
            ColumnOption::Null => col.nullable = Some(true),
            ColumnOption::PrimaryKey(_) => col.primary_key = true,
            ColumnOption::Unique(_) => col.unique = true,
            // an SQL expression, not a string literal: kept as `sa.text(...)` would be
            ColumnOption::Default(e) => {
                col.server_default = Some(Val::Call {
                    func: "sqlalchemy.text".into(),
                    args: vec![Val::Str(e.to_string())],
                    kwargs: vec![],
                })
            }
            ColumnOption::Comment(s) => col.comment = Some(s.clone()),
            _ => {}
        }
    }
    col
}

/// A table's name without quoting: `"public"."users"` → `public.users`.
fn name_of(n: &ObjectName) -> String {
    n.0.iter()
        .map(|p| match p.as_ident() {
            Some(i) => i.value.clone(),
            None => p.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

fn classify(stmt: &Statement) -> SqlStatement {
    let mut relations: Vec<String> = Vec::new();
    let _ = sqlparser::ast::visit_relations(stmt, |r| {
        relations.push(name_of(r));
        ControlFlow::<()>::Continue(())
    });
    let (kind, writes, effects): (SqlKind, Vec<String>, Option<Vec<Operation>>) = match stmt {
        Statement::Query(_) => (SqlKind::Query, vec![], Some(vec![])),
        Statement::Insert(i) => (SqlKind::Dml, vec![i.table.to_string()], Some(vec![])),
        Statement::Update(_) => (
            SqlKind::Dml,
            relations.first().cloned().into_iter().collect(),
            Some(vec![]),
        ),
        Statement::Delete(d) => {
            let mut w: Vec<String> = d.tables.iter().map(name_of).collect();
            if w.is_empty() {
                w.extend(relations.first().cloned());
            }
            (SqlKind::Dml, w, Some(vec![]))
        }
        Statement::Truncate(t) => (
            SqlKind::Dml,
            t.table_names.iter().map(|n| name_of(&n.name)).collect(),
            Some(vec![]),
        ),
        Statement::Merge(_) | Statement::Copy { .. } => (
            SqlKind::Dml,
            relations.first().cloned().into_iter().collect(),
            Some(vec![]),
        ),
        Statement::CreateTable(ct) => {
            let table = name_of(&ct.name);
            let columns = ct.columns.iter().map(column_of).collect();
            let effects = if ct.query.is_some() || !ct.constraints.is_empty() {
                None
            } else {
                Some(vec![Operation::CreateTable {
                    table: table.clone(),
                    columns,
                    constraints: vec![],
                    comment: None,
                    indexes: vec![],
                    options: vec![],
                    if_not_exists: ct.if_not_exists,
                }])
            };
            (SqlKind::Ddl, vec![table], effects)
        }
        Statement::CreateIndex(ci) => {
            let table = name_of(&ci.table_name);
            let effects = ci.name.as_ref().map(|n| {
                vec![Operation::CreateIndex {
                    name: name_of(n),
                    table: table.clone(),
                    columns: ci
                        .columns
                        .iter()
                        .map(|c| c.column.expr.to_string())
                        .collect(),
                    // (SQL text: its expressions are written as they are)
                    functions: Vec::new(),
                    unique: ci.unique,
                    dialect_kw: vec![],
                    if_not_exists: ci.if_not_exists,
                }]
            });
            (SqlKind::Ddl, vec![table], effects)
        }
        Statement::AlterTable(at) => {
            let table = name_of(&at.name);
            let mut ops = Some(Vec::new());
            for o in &at.operations {
                let one = match o {
                    AlterTableOperation::AddColumn {
                        column_def,
                        if_not_exists,
                        ..
                    } => Some(Operation::AddColumn {
                        table: table.clone(),
                        column: column_of(column_def),
                        if_not_exists: *if_not_exists,
                    }),
                    AlterTableOperation::DropColumn {
                        column_names,
                        if_exists,
                        ..
                    } if column_names.len() == 1 => Some(Operation::DropColumn {
                        table: table.clone(),
                        column: column_names[0].value.clone(),
                        if_exists: *if_exists,
                    }),
                    AlterTableOperation::RenameColumn {
                        old_column_name,
                        new_column_name,
                    } => Some(Operation::AlterColumn {
                        table: table.clone(),
                        column: old_column_name.value.clone(),
                        changes: ColumnChanges {
                            new_column_name: Some(new_column_name.value.clone()),
                            ..ColumnChanges::default()
                        },
                    }),
                    AlterTableOperation::RenameTable { table_name } => {
                        let n = match table_name {
                            RenameTableNameKind::As(n) | RenameTableNameKind::To(n) => n,
                        };
                        Some(Operation::RenameTable {
                            table: table.clone(),
                            new_name: name_of(n),
                        })
                    }
                    AlterTableOperation::DropConstraint {
                        name, if_exists, ..
                    } => Some(Operation::DropConstraint {
                        name: name.value.clone(),
                        table: table.clone(),
                        kind: None,
                        if_exists: *if_exists,
                    }),
                    _ => None,
                };
                match (one, ops.as_mut()) {
                    (Some(op), Some(v)) => v.push(op),
                    _ => ops = None,
                }
            }
            (SqlKind::Ddl, vec![table], ops)
        }
        Statement::AlterIndex {
            name,
            operation: AlterIndexOperation::RenameIndex { index_name },
        } => (
            SqlKind::Ddl,
            vec![],
            Some(vec![Operation::RenameIndex {
                name: name_of(name),
                new_name: name_of(index_name),
            }]),
        ),
        Statement::Drop {
            object_type,
            names,
            if_exists,
            ..
        } => {
            let names: Vec<String> = names.iter().map(name_of).collect();
            match object_type {
                ObjectType::Table => (
                    SqlKind::Ddl,
                    names.clone(),
                    Some(
                        names
                            .into_iter()
                            .map(|table| Operation::DropTable {
                                table,
                                if_exists: *if_exists,
                            })
                            .collect(),
                    ),
                ),
                ObjectType::Index => (
                    SqlKind::Ddl,
                    vec![],
                    Some(
                        names
                            .into_iter()
                            .map(|name| Operation::DropIndex {
                                name,
                                table: None,
                                if_exists: *if_exists,
                                dialect_kw: vec![],
                            })
                            .collect(),
                    ),
                ),
                ObjectType::Type => (
                    SqlKind::Ddl,
                    vec![],
                    Some(
                        names
                            .into_iter()
                            .map(|name| Operation::DropEnum { name })
                            .collect(),
                    ),
                ),
                ObjectType::View | ObjectType::MaterializedView => {
                    (SqlKind::Ddl, names, Some(vec![]))
                }
                // sequences, schemas: outside the tables the simulation models
                _ => (SqlKind::Ddl, vec![], Some(vec![])),
            }
        }
        Statement::CreateType {
            name,
            representation,
        } => {
            let effects = match representation {
                Some(UserDefinedTypeRepresentation::Enum { labels }) => {
                    Some(vec![Operation::CreateEnum {
                        name: name_of(name),
                        values: labels.iter().map(|l| l.value.clone()).collect(),
                    }])
                }
                _ => Some(vec![]),
            };
            (SqlKind::Ddl, vec![], effects)
        }
        Statement::CreateView(cv) => (SqlKind::Ddl, vec![name_of(&cv.name)], Some(vec![])),
        Statement::CreateSequence { .. }
        | Statement::CreateExtension(_)
        | Statement::CreateFunction(_)
        | Statement::CreateTrigger(_)
        | Statement::DropTrigger(_)
        | Statement::DropFunction(_)
        | Statement::DropExtension(_)
        | Statement::CreateSchema { .. }
        | Statement::AlterView { .. }
        | Statement::AlterType(_)
        | Statement::Comment { .. } => (SqlKind::Ddl, vec![], Some(vec![])),
        _ => (SqlKind::Other, vec![], Some(vec![])),
    };
    let writes = sorted(writes.iter().map(|w| unquote(w)).collect());
    let mut reads = relations;
    for w in &writes {
        if let Some(i) = reads.iter().position(|r| r == w) {
            reads.remove(i);
        }
    }
    let verb = verb_of(&stmt.to_string());
    SqlStatement {
        kind,
        verb,
        writes,
        reads: sorted(reads),
        effects,
    }
}

fn unquote(s: &str) -> String {
    s.split('.')
        .map(|p| p.trim_matches(|c| c == '"' || c == '`' || c == '[' || c == ']'))
        .collect::<Vec<_>>()
        .join(".")
}

/// The leading keywords of a statement: up to the first non-keyword word.
fn verb_of(text: &str) -> String {
    const SECOND: &[&str] = &[
        "TABLE",
        "INDEX",
        "VIEW",
        "MATERIALIZED",
        "TYPE",
        "SEQUENCE",
        "EXTENSION",
        "FUNCTION",
        "TRIGGER",
        "SCHEMA",
        "UNIQUE",
        "OR",
        "REPLACE",
        "INTO",
        "FROM",
        "ON",
    ];
    let mut words = text.split_whitespace();
    let mut out: Vec<String> = Vec::new();
    if let Some(first) = words.next() {
        out.push(first.to_ascii_uppercase());
        for w in words {
            let u = w.to_ascii_uppercase();
            if SECOND.contains(&u.as_str()) && out.len() < 4 {
                out.push(u);
            } else {
                break;
            }
        }
    }
    // `INSERT INTO` / `DELETE FROM` read better as the bare verb
    if matches!(out.first().map(String::as_str), Some("INSERT" | "DELETE")) {
        out.truncate(1);
    }
    out.join(" ")
}

/// Splits SQL text on `;` outside quotes and comments.
fn split_statements(sql: &str) -> Vec<&str> {
    let b = sql.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            q @ (b'\'' | b'"' | b'`') => {
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
            }
            b'-' if b.get(i + 1) == Some(&b'-') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            b';' => {
                out.push(&sql[start..i]);
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    if start < sql.len() {
        out.push(&sql[start..]);
    }
    out.into_iter().filter(|s| !s.trim().is_empty()).collect()
}

/// Tolerant classification of a statement sqlparser rejected: its leading keyword, and the
/// identifiers after `FROM`, `JOIN`, `INTO`, `UPDATE`, `TABLE`.
fn scan(stmt: &str) -> SqlStatement {
    let words: Vec<String> = stmt
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|w| !w.is_empty())
        .map(String::from)
        .collect();
    let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let first = upper.first().cloned().unwrap_or_default();
    let kind = match first.as_str() {
        "CREATE" | "ALTER" | "DROP" | "COMMENT" | "RENAME" => SqlKind::Ddl,
        "INSERT" | "UPDATE" | "DELETE" | "MERGE" | "TRUNCATE" | "COPY" | "REPLACE" => SqlKind::Dml,
        "SELECT" | "WITH" => SqlKind::Query,
        _ => SqlKind::Other,
    };
    let ident = |k: usize| -> Option<String> {
        let w = words.get(k)?;
        let u = &upper[k];
        if matches!(
            u.as_str(),
            "IF" | "NOT" | "EXISTS" | "ONLY" | "SELECT" | "LATERAL"
        ) || !w
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '"' || c == '`')
        {
            return None;
        }
        Some(unquote(w.trim_end_matches(';')))
    };
    let mut writes = Vec::new();
    let mut reads = Vec::new();
    for (k, u) in upper.iter().enumerate() {
        let mut next = k + 1;
        while matches!(
            upper.get(next).map(String::as_str),
            Some("IF" | "NOT" | "EXISTS" | "ONLY")
        ) {
            next += 1;
        }
        match u.as_str() {
            "INTO" if first == "INSERT" || first == "MERGE" => writes.extend(ident(next)),
            "UPDATE" if k == 0 => writes.extend(ident(next)),
            "TABLE" if kind == SqlKind::Ddl || first == "TRUNCATE" => writes.extend(ident(next)),
            "TRUNCATE" if k == 0 && upper.get(1).map(String::as_str) != Some("TABLE") => {
                writes.extend(ident(next))
            }
            "FROM" if first == "DELETE" && writes.is_empty() => writes.extend(ident(next)),
            "FROM" | "JOIN" => reads.extend(ident(next)),
            _ => {}
        }
    }
    let writes = sorted(writes);
    reads.retain(|r| !writes.contains(r));
    SqlStatement {
        kind,
        verb: verb_of(stmt),
        writes,
        reads: sorted(reads),
        effects: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(sql: &str, expected: &str) {
        let a = analyze(sql, Dialect::Postgresql);
        let mut out = String::new();
        if a.parse_error.is_some() {
            out.push_str("scan: ");
        }
        for s in &a.statements {
            out.push_str(&format!(
                "{} {} w={} r={} e={}; ",
                s.kind.as_str(),
                s.verb,
                s.writes.join(","),
                s.reads.join(","),
                match &s.effects {
                    None => "?".to_string(),
                    Some(v) => v.iter().map(|o| o.describe()).collect::<Vec<_>>().join("|"),
                }
            ));
        }
        assert_eq!(out.trim_end(), expected, "{sql}");
    }

    #[test]
    fn classifies_statements() {
        check(
            "UPDATE users SET is_staff = true WHERE email LIKE '%@x'",
            "DML UPDATE w=users r= e=;",
        );
        check(
            "UPDATE users SET n = 1 WHERE id IN (SELECT user_id FROM orders)",
            "DML UPDATE w=users r=orders e=;",
        );
        check(
            "INSERT INTO archive SELECT * FROM orders; DELETE FROM orders",
            "DML INSERT w=archive r=orders e=; DML DELETE w=orders r= e=;",
        );
        check(
            "SELECT setval('categories_id_seq', 4)",
            "query SELECT w= r= e=;",
        );
        check(
            "ALTER INDEX ix_a RENAME TO ix_b",
            "DDL ALTER INDEX w= r= e=rename_index ix_a -> ix_b;",
        );
        check(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n TEXT NOT NULL)",
            "DDL CREATE TABLE w=t r= e=create_table t (id \"INTEGER\" pk, n \"TEXT\" not null);",
        );
        check(
            "ALTER TABLE t ADD COLUMN x INT, DROP COLUMN y",
            "DDL ALTER TABLE w=t r= e=add_column t.x \"INT\"|drop_column t.y;",
        );
        check(
            "DROP TYPE notification_kind",
            "DDL DROP TYPE w= r= e=drop_enum notification_kind;",
        );
        check(
            "CREATE MATERIALIZED VIEW daily AS SELECT 1 FROM orders",
            "DDL CREATE MATERIALIZED VIEW w=daily r=orders e=;",
        );
    }

    #[test]
    fn falls_back_to_a_scan() {
        check(
            "UPDATE users SET x = {{placeholder}} WHERE id IN (SELECT id FROM old)",
            "scan: DML UPDATE w=users r=old e=?;",
        );
        check(
            "CREATE TABLE IF NOT EXISTS t (x WEIRD TYPE ((; INSERT INTO t VALUES (1",
            "scan: DDL CREATE TABLE w=t r= e=?; DML INSERT w=t r= e=?;",
        );
    }
}
