//! Enum types (PostgreSQL): created with a column's table, or by `Enum.create(bind)`.

use super::super::event::{EventAction, ObjectKind};
use super::Sim;
use crate::base::Dialect;
use crate::ops::Operation;
use crate::python::Val;

impl Sim<'_> {
    /// A PostgreSQL enum type a column creates with its table (`create_type` defaults on).
    pub(super) fn enum_of(&mut self, t: &Option<Val>) {
        if self.dialect != Dialect::Postgresql {
            return;
        }
        let Some(Val::Call { func, args, kwargs }) = t
            .as_ref()
            .map(|t| crate::render::types::for_dialect(t, Dialect::Postgresql))
        else {
            return;
        };
        if !(func.ends_with(".Enum") || func.ends_with(".ENUM")) {
            return;
        }
        let kw = |k: &str| kwargs.iter().find(|(n, _)| n == k).map(|(_, v)| v);
        if matches!(kw("create_type"), Some(Val::Bool(false))) {
            return;
        }
        let Some(name) = kw("name").and_then(|v| v.name()) else {
            return;
        };
        if self.out.schema.enums.contains_key(&name) {
            return;
        }
        let values: Vec<String> = args.iter().filter_map(|a| a.name()).collect();
        self.out.schema.enums.insert(name.clone(), values.clone());
        self.event(
            ObjectKind::Enum,
            &name,
            &name,
            EventAction::Create,
            format!("enum ({})", values.join(", ")),
        );
    }

    /// `Enum.create(bind)`.
    pub(super) fn create_enum(&mut self, op: &Operation) {
        let Operation::CreateEnum { name, values } = op else {
            return;
        };
        if self.out.schema.enums.contains_key(name) {
            self.contradiction(
                "schema-enum-exists",
                format!("enum type `{name}` already exists"),
            );
        }
        self.out.schema.enums.insert(name.clone(), values.clone());
        self.event(
            ObjectKind::Enum,
            name,
            name,
            EventAction::Create,
            format!("enum ({})", values.join(", ")),
        );
    }

    /// `Enum.drop(bind)`.
    pub(super) fn drop_enum(&mut self, op: &Operation) {
        let Operation::DropEnum { name } = op else {
            return;
        };
        if self.out.schema.enums.remove(name).is_none() && self.dialect == Dialect::Postgresql {
            self.contradiction(
                "schema-missing-enum",
                format!("enum type `{name}` does not exist at this revision"),
            );
        }
        self.event(
            ObjectKind::Enum,
            name,
            name,
            EventAction::Drop,
            String::new(),
        );
    }
}
