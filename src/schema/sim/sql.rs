//! SQL text (`op.execute`): classified by the SQL layer, its DDL followed as operations,
//! its data changes recorded, the rest an unknown effect.

use super::super::event::EventAction;
use super::super::event::ObjectKind;
use super::Sim;
use crate::base::{Diagnostic, Severity};
use crate::sql::{self, SqlKind};

impl Sim<'_> {
    pub(super) fn execute(&mut self, text: &str) {
        let a = sql::analyze(text, self.dialect);
        if let Some(e) = &a.parse_error {
            let path = self.path();
            self.out.diagnostics.push(Diagnostic::new(
                Severity::Info,
                "sql-unparsed",
                path,
                self.line,
                format!(
                    "sqlparser ({}) could not parse this SQL ({e}); classified by a keyword scan",
                    self.dialect.name()
                ),
            ));
        }
        for st in &a.statements {
            for w in &st.writes {
                let action = match (st.kind, st.verb.split(' ').next()) {
                    (SqlKind::Ddl, Some("CREATE")) => EventAction::Create,
                    (SqlKind::Ddl, Some("DROP")) => EventAction::Drop,
                    (SqlKind::Ddl, _) => EventAction::Alter,
                    _ => EventAction::Data,
                };
                if st.kind == SqlKind::Ddl && st.effects.is_some() {
                    // followed below as operations
                    continue;
                }
                self.event(
                    ObjectKind::Table,
                    w,
                    w,
                    action,
                    format!("{} (SQL)", st.verb),
                );
            }
            for r in &st.reads {
                self.event(
                    ObjectKind::Table,
                    r,
                    r,
                    EventAction::Read,
                    format!("{} reads (SQL)", st.verb),
                );
            }
            match &st.effects {
                Some(ops) => {
                    for op in ops {
                        self.apply(op);
                    }
                }
                None if st.kind == SqlKind::Ddl => self.unknown(format!(
                    "`{}` in SQL changes the schema in a way the simulation does not follow",
                    st.verb
                )),
                None => {}
            }
        }
    }
}
