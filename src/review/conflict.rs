//! Changes of two branches that collide: the PR's new revisions against the base's
//! revisions since the fork, object by object (a table, a column, an index, a constraint),
//! each side with its file and line. Two changes collide when they touch the same column,
//! the same index or constraint (by name), or when one creates, drops or renames a table
//! the other touches in any way. SQL run through `op.execute` counts through the tables it
//! writes (`sql::analyze`), as a change to the whole table.

use serde::Serialize;

use crate::base::Dialect;
use crate::ops::{Constraint, Operation, Step};
use crate::project::Project;

/// What a change does to its object.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verb {
    Create,
    Drop,
    Rename,
    Alter,
    /// Rows written (`bulk_insert`, DML through `op.execute`).
    Data,
}

impl Verb {
    /// What one side does: "the PR adds ...".
    fn word(self) -> &'static str {
        match self {
            Verb::Create => "adds",
            Verb::Drop => "drops",
            Verb::Rename => "renames",
            Verb::Alter => "alters",
            Verb::Data => "writes rows of",
        }
    }

    /// What both sides do: "both branches add ...".
    fn both(self) -> &'static str {
        match self {
            Verb::Create => "add",
            Verb::Drop => "drop",
            Verb::Rename => "rename",
            Verb::Alter => "alter",
            Verb::Data => "write rows of",
        }
    }
}

/// What a change touches.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "name", rename_all = "kebab-case")]
pub enum Object {
    Table(String),
    /// `table.column`.
    Column(String, String),
    Index(String),
    Constraint(String),
}

impl Object {
    /// The object's name: `accounts`, `accounts.status`, `ix_accounts_email`.
    fn name(&self) -> String {
        match self {
            Object::Table(t) => t.clone(),
            Object::Column(t, c) => format!("{t}.{c}"),
            Object::Index(i) | Object::Constraint(i) => i.clone(),
        }
    }
}

impl std::fmt::Display for Object {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Object::Table(t) => write!(f, "table {t}"),
            Object::Column(t, c) => write!(f, "column {t}.{c}"),
            Object::Index(i) => write!(f, "index {i}"),
            Object::Constraint(c) => write!(f, "constraint {c}"),
        }
    }
}

/// One change of one revision, where it is written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Touch {
    pub revision: String,
    pub path: String,
    pub line: u32,
    pub object: Object,
    /// The table of the object, when it has one (an index's or constraint's table).
    pub table: Option<String>,
    pub verb: Verb,
    /// The operation, for people: `add_column accounts.status VARCHAR(20)`.
    pub operation: String,
}

/// Two changes that collide.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Conflict {
    /// `accounts.status`, `accounts`, `ix_accounts_email`.
    pub object: String,
    /// One line: "both add column accounts.status".
    pub summary: String,
    pub pr: Touch,
    pub base: Touch,
}

/// The changes of the upgrades of `revs` in `project`.
pub fn touches(project: &Project, revs: &[usize], dialect: Dialect) -> Vec<Touch> {
    let mut out = Vec::new();
    for &rev in revs {
        let id = &project.map.revs[rev].id;
        let path = &project.map.script_of(rev).path;
        for st in &project.migration_ops(rev).upgrade {
            let Step::Op(op) = &st.step else { continue };
            for (object, table, verb) in objects(op, dialect) {
                out.push(Touch {
                    revision: id.clone(),
                    path: path.clone(),
                    line: st.line,
                    object,
                    table,
                    verb,
                    operation: op.describe(),
                });
            }
        }
    }
    out
}

fn objects(op: &Operation, dialect: Dialect) -> Vec<(Object, Option<String>, Verb)> {
    let table = |t: &str, v| (Object::Table(t.into()), Some(t.to_string()), v);
    let column = |t: &str, c: &str, v| (Object::Column(t.into(), c.into()), Some(t.to_string()), v);
    match op {
        Operation::CreateTable { table: t, .. } => vec![table(t, Verb::Create)],
        Operation::DropTable { table: t, .. } => vec![table(t, Verb::Drop)],
        Operation::RenameTable { table: t, new_name } => {
            vec![table(t, Verb::Rename), table(new_name, Verb::Create)]
        }
        Operation::AddColumn {
            table: t,
            column: c,
            ..
        } => vec![column(t, &c.name, Verb::Create)],
        Operation::DropColumn {
            table: t,
            column: c,
            ..
        } => vec![column(t, c, Verb::Drop)],
        Operation::AlterColumn {
            table: t,
            column: c,
            changes,
        } => {
            let mut v = vec![column(t, c, Verb::Alter)];
            if let Some(n) = &changes.new_column_name {
                v[0].2 = Verb::Rename;
                v.push(column(t, n, Verb::Create));
            }
            v
        }
        Operation::CreateIndex { name, table: t, .. } => {
            vec![(Object::Index(name.clone()), Some(t.clone()), Verb::Create)]
        }
        Operation::DropIndex { name, table: t, .. } => {
            vec![(Object::Index(name.clone()), t.clone(), Verb::Drop)]
        }
        Operation::RenameIndex { name, new_name } => vec![
            (Object::Index(name.clone()), None, Verb::Rename),
            (Object::Index(new_name.clone()), None, Verb::Create),
        ],
        Operation::AddConstraint {
            table: t,
            constraint,
        } => match constraint_name(constraint) {
            Some(n) => vec![(Object::Constraint(n), Some(t.clone()), Verb::Create)],
            None => vec![table(t, Verb::Alter)],
        },
        Operation::DropConstraint { name, table: t, .. } => {
            vec![(
                Object::Constraint(name.clone()),
                Some(t.clone()),
                Verb::Drop,
            )]
        }
        Operation::TableComment { table: t, .. } => vec![table(t, Verb::Alter)],
        Operation::BulkInsert { table: t, .. } => vec![table(t, Verb::Data)],
        Operation::UpdateRows(u) => vec![table(&u.table, Verb::Data)],
        Operation::Execute { sql } => {
            let a = crate::sql::analyze(sql, dialect);
            a.statements
                .iter()
                .flat_map(|s| {
                    let verb = match s.kind {
                        crate::sql::SqlKind::Ddl => Verb::Alter,
                        _ => Verb::Data,
                    };
                    s.writes.iter().map(move |t| table(t, verb))
                })
                .collect()
        }
        Operation::CreateEnum { .. } | Operation::DropEnum { .. } => Vec::new(),
    }
}

fn constraint_name(c: &Constraint) -> Option<String> {
    match c {
        Constraint::PrimaryKey { name, .. }
        | Constraint::ForeignKey { name, .. }
        | Constraint::Unique { name, .. }
        | Constraint::Check { name, .. } => name.clone(),
    }
}

/// Whether a change to `a` and one to `b` collide.
fn collide(a: &Touch, b: &Touch) -> bool {
    if a.object == b.object {
        // two writes of rows collide only when one also changes the table
        return !(a.verb == Verb::Data && b.verb == Verb::Data);
    }
    let whole = |t: &Touch| {
        matches!(t.object, Object::Table(_))
            && matches!(t.verb, Verb::Create | Verb::Drop | Verb::Rename)
    };
    let same_table = a.table.is_some() && a.table == b.table;
    same_table && (whole(a) || whole(b))
}

/// The PR's changes (in `pr`, revisions `pr_revs`) that collide with the base's (in
/// `base`, revisions `base_revs`), each pair once, in the PR's order.
pub fn conflicts(
    pr: &Project,
    pr_revs: &[usize],
    base: &Project,
    base_revs: &[usize],
    dialect: Dialect,
) -> Vec<Conflict> {
    let theirs = touches(base, base_revs, dialect);
    if theirs.is_empty() {
        return Vec::new();
    }
    let mut out: Vec<Conflict> = Vec::new();
    for a in touches(pr, pr_revs, dialect) {
        for b in theirs.iter().filter(|b| collide(&a, b)) {
            let object = if a.object == b.object || matches!(a.object, Object::Table(_)) {
                a.object.clone()
            } else {
                b.object.clone()
            };
            let summary = if a.verb == b.verb && a.object == b.object {
                format!("both branches {} {object}", a.verb.both())
            } else {
                format!(
                    "the PR {} {} while the base {} {}",
                    a.verb.word(),
                    a.object,
                    b.verb.word(),
                    b.object
                )
            };
            let name = object.name();
            if out.iter().any(|c| {
                c.object == name
                    && c.pr.line == a.line
                    && c.base.line == b.line
                    && c.base.path == b.path
            }) {
                continue;
            }
            out.push(Conflict {
                object: name,
                summary,
                pr: a.clone(),
                base: b.clone(),
            });
        }
    }
    out
}
