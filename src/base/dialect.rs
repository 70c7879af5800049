//! The SQL dialects the planner speaks, and what each one's rules are wherever the layers
//! above need them: names, transactional DDL and the offline script's transaction lines,
//! the version-table insert, and identifier quoting (SQLAlchemy's reserved words and
//! quote characters per dialect).

use super::reserved;

/// A SQL dialect.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Dialect {
    Postgresql,
    Mysql,
    Sqlite,
    Mssql,
}

impl Dialect {
    /// Every dialect the planner renders, in the order the UI lists them.
    pub const ALL: [Dialect; 4] = [
        Dialect::Postgresql,
        Dialect::Mysql,
        Dialect::Sqlite,
        Dialect::Mssql,
    ];

    /// The dialect of a name as `name()` spells it.
    pub fn from_name(name: &str) -> Option<Dialect> {
        Dialect::ALL.into_iter().find(|d| d.name() == name)
    }

    /// SQLAlchemy's name of the dialect (`postgresql`, `mysql`, `sqlite`, `mssql`).
    pub fn name(self) -> &'static str {
        match self {
            Dialect::Postgresql => "postgresql",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
            Dialect::Mssql => "mssql",
        }
    }

    /// The dialect's name for people, marking where the planner's DDL is approximate.
    pub fn label(self) -> &'static str {
        match self {
            Dialect::Postgresql => "PostgreSQL",
            Dialect::Mysql => "MySQL",
            Dialect::Sqlite => "SQLite",
            Dialect::Mssql => "SQL Server (approximate)",
        }
    }

    /// Whether the planner's DDL for this dialect is not checked against Alembic's (SQL
    /// Server: the offline frame is Alembic's, the statements inside it approximate).
    pub fn approximate(self) -> bool {
        self == Dialect::Mssql
    }

    /// SQLAlchemy's `dialect.supports_sequences` (MySQL's is `False`: MariaDB's differ).
    pub fn supports_sequences(self) -> bool {
        matches!(self, Dialect::Postgresql | Dialect::Mssql)
    }

    /// Whether DDL runs inside transactions (so offline scripts get BEGIN/COMMIT).
    pub fn transactional_ddl(self) -> bool {
        matches!(self, Dialect::Postgresql | Dialect::Mssql)
    }

    /// The statement that opens a transaction in an offline script.
    pub fn begin(self) -> &'static str {
        match self {
            Dialect::Mssql => "BEGIN TRANSACTION;",
            _ => "BEGIN;",
        }
    }

    /// The batch separator printed after each statement (MSSQL's `GO`).
    pub fn batch_separator(self) -> Option<&'static str> {
        match self {
            Dialect::Mssql => Some("GO"),
            _ => None,
        }
    }

    /// The `INSERT` of a row into `alembic_version`, as the dialect's compiler writes it.
    pub fn insert_version(self, v: &str) -> String {
        match self {
            Dialect::Postgresql => format!("INSERT INTO alembic_version (version_num) VALUES ('{v}') RETURNING alembic_version.version_num;"),
            Dialect::Sqlite => format!("INSERT INTO alembic_version (version_num) VALUES ('{v}') RETURNING version_num;"),
            Dialect::Mysql => format!("INSERT INTO alembic_version (version_num) VALUES ('{v}');"),
            Dialect::Mssql => format!("INSERT INTO alembic_version (version_num) OUTPUT inserted.version_num VALUES ('{v}');"),
        }
    }

    /// The words the dialect's identifier preparer quotes (sorted).
    pub fn reserved_words(self) -> &'static [&'static str] {
        match self {
            Dialect::Postgresql => reserved::POSTGRESQL,
            Dialect::Mysql => reserved::MYSQL,
            Dialect::Sqlite => reserved::SQLITE,
            Dialect::Mssql => reserved::MSSQL,
        }
    }

    /// The identifier quote characters, opening and closing.
    pub fn quote_chars(self) -> (char, char) {
        match self {
            Dialect::Mysql => ('`', '`'),
            Dialect::Mssql => ('[', ']'),
            Dialect::Postgresql | Dialect::Sqlite => ('"', '"'),
        }
    }

    /// SQLAlchemy's `max_identifier_length` for the dialect offline (no server to ask):
    /// a name longer than this that is not `op.f()`'s is refused (`IdentifierError`).
    pub fn max_identifier_length(self) -> usize {
        match self {
            Dialect::Postgresql => 63,
            Dialect::Mysql => 255,
            Dialect::Sqlite => 9999,
            Dialect::Mssql => 128,
        }
    }

    /// The longest index or constraint name (`max_index_name_length`,
    /// `max_constraint_name_length`, else `max_identifier_length`): an `op.f()` name longer
    /// than this is shortened.
    pub fn max_constraint_name_length(self) -> usize {
        match self {
            Dialect::Mysql => 64,
            d => d.max_identifier_length(),
        }
    }

    /// An identifier as the dialect writes it: quoted only when it must be.
    pub fn quote(self, name: &str) -> String {
        quote_with(name, self.reserved_words(), self.quote_chars())
    }

    /// Whether every dialect writes `name` as it is, so SQL text built with it is the same
    /// in each.
    pub fn unquoted_everywhere(name: &str) -> bool {
        Dialect::ALL.iter().all(|d| d.quote(name) == name)
    }
}

/// An identifier as SQLAlchemy's `IdentifierPreparer` writes it: quoted when it is a
/// reserved word, starts with a digit or `$`, has other characters than letters, digits,
/// `_` and `$`, or has upper case; the closing quote doubled inside.
pub fn quote_with(name: &str, reserved: &[&str], (open, close): (char, char)) -> String {
    let lower = name.to_ascii_lowercase();
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !name.starts_with(|c: char| c.is_ascii_digit() || c == '$')
        && lower == name
        && reserved.binary_search(&lower.as_str()).is_err();
    if plain {
        name.to_string()
    } else {
        let escaped = name.replace(close, &format!("{close}{close}"));
        format!("{open}{escaped}{close}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_dialect_quotes_its_own_reserved_words() {
        let q = |d: Dialect, n: &str| d.quote(n);
        // `user` is reserved in PostgreSQL only; `key` in MySQL and SQLite
        assert_eq!(q(Dialect::Postgresql, "user"), "\"user\"");
        assert_eq!(q(Dialect::Sqlite, "user"), "user");
        assert_eq!(q(Dialect::Mysql, "key"), "`key`");
        assert_eq!(q(Dialect::Sqlite, "key"), "\"key\"");
        assert_eq!(q(Dialect::Postgresql, "key"), "key");
        assert_eq!(q(Dialect::Mssql, "select"), "[select]");
        // upper case, leading digits and odd characters are quoted everywhere
        assert_eq!(q(Dialect::Postgresql, "Name"), "\"Name\"");
        assert_eq!(q(Dialect::Mysql, "1x"), "`1x`");
        assert_eq!(q(Dialect::Mssql, "a]b"), "[a]]b]");
    }

    #[test]
    fn names_round_trip() {
        for d in Dialect::ALL {
            assert_eq!(Dialect::from_name(d.name()), Some(d));
        }
        assert_eq!(Dialect::from_name("oracle"), None);
    }
}
