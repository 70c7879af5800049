//! SQL split into highlighted spans for the web view: keywords, strings, numbers,
//! comments. sqlparser's tokenizer finds the tokens; its keyword list holds every word any
//! dialect gives a meaning (`ID`, `NAME`, `STATUS`, `VALUE`...), so a word is a keyword
//! when some dialect reserves it, and otherwise only where an identifier cannot stand.

use super::parser_dialect;
use crate::base::Dialect;

/// The kind of a span of highlighted SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Highlight {
    Keyword,
    String,
    Number,
    Comment,
    Plain,
}

impl Highlight {
    /// A short CSS class name.
    pub fn class(self) -> &'static str {
        match self {
            Highlight::Keyword => "kw",
            Highlight::String => "str",
            Highlight::Number => "num",
            Highlight::Comment => "com",
            Highlight::Plain => "",
        }
    }
}

/// Splits SQL into highlighted spans with sqlparser's tokenizer in `dialect`. The spans
/// concatenate to exactly `text`; adjacent spans of one kind are merged, and what the
/// tokenizer rejects (and anything after it) is one plain span.
pub fn highlight(text: &str, dialect: Dialect) -> Vec<(Highlight, &str)> {
    use sqlparser::tokenizer::{Token, Tokenizer, Whitespace};
    let d = parser_dialect(dialect);
    let Ok(tokens) = Tokenizer::new(d.as_ref(), text).tokenize_with_location() else {
        return vec![(Highlight::Plain, text)];
    };
    let significant = |t: &Token| !matches!(t, Token::Whitespace(_) | Token::EOF);
    // the next significant token after each token
    let mut next: Vec<Option<usize>> = vec![None; tokens.len()];
    let mut after = None;
    for i in (0..tokens.len()).rev() {
        next[i] = after;
        if significant(&tokens[i].token) {
            after = Some(i);
        }
    }
    let mut cursor = Cursor::new(text);
    let mut starts: Vec<(usize, Highlight)> = Vec::with_capacity(tokens.len());
    let mut prev: Option<&Token> = None;
    for (i, t) in tokens.iter().enumerate() {
        let kind = match &t.token {
            Token::Word(w)
                if w.quote_style.is_none()
                    && w.keyword != sqlparser::keywords::Keyword::NoKeyword =>
            {
                let upper = w.value.to_ascii_uppercase();
                let next = next[i].map(|n| &tokens[n].token);
                if is_reserved(&upper) || !stands_for_a_name(prev, next) {
                    Highlight::Keyword
                } else {
                    Highlight::Plain
                }
            }
            Token::Number(..) => Highlight::Number,
            Token::SingleQuotedString(_)
            | Token::NationalStringLiteral(_)
            | Token::EscapedStringLiteral(_)
            | Token::DollarQuotedString(_)
            | Token::HexStringLiteral(_) => Highlight::String,
            Token::Whitespace(Whitespace::SingleLineComment { .. })
            | Token::Whitespace(Whitespace::MultiLineComment(_)) => Highlight::Comment,
            Token::EOF => continue,
            _ => Highlight::Plain,
        };
        if significant(&t.token) {
            prev = Some(&t.token);
        }
        let Some(at) = cursor.offset(t.span.start.line, t.span.start.column) else {
            continue;
        };
        if starts.last().is_some_and(|(prev, _)| *prev >= at) {
            continue;
        }
        starts.push((at, kind));
    }
    if starts.first().is_none_or(|(at, _)| *at > 0) {
        starts.insert(0, (0, Highlight::Plain));
    }
    // each token runs to the next one's start; tokens of one kind in a row are one span
    starts.dedup_by_key(|(_, kind)| *kind);
    starts
        .iter()
        .enumerate()
        .map(|(k, (at, kind))| {
            let end = starts.get(k + 1).map_or(text.len(), |(e, _)| *e);
            (*kind, &text[*at..end])
        })
        .collect()
}

/// Token locations (line, column in characters, both 1-based) to byte offsets, walking
/// forward only: tokens come in order, so a long line is walked once, not once a token.
struct Cursor<'t> {
    text: &'t str,
    line_starts: Vec<usize>,
    line: u64,
    col: u64,
    byte: usize,
}

impl<'t> Cursor<'t> {
    fn new(text: &'t str) -> Self {
        Cursor {
            text,
            line_starts: std::iter::once(0)
                .chain(text.match_indices('\n').map(|(i, _)| i + 1))
                .collect(),
            line: 1,
            col: 1,
            byte: 0,
        }
    }

    fn offset(&mut self, line: u64, col: u64) -> Option<usize> {
        if line == 0 || col == 0 || (line, col) < (self.line, self.col) {
            return None;
        }
        if line > self.line {
            self.byte = *self.line_starts.get(line as usize - 1)?;
            self.line = line;
            self.col = 1;
        }
        let rest = &self.text[self.byte..];
        let k = (col - self.col) as usize;
        self.byte += rest.char_indices().nth(k).map_or(rest.len(), |(i, _)| i);
        self.col = col;
        Some(self.byte)
    }
}

/// Words some dialect reserves (PostgreSQL's reserved keywords, and the statement and DDL
/// words MySQL and SQLite reserve): keywords wherever they stand, as a column named one
/// of them must be quoted.
fn is_reserved(upper: &str) -> bool {
    const RESERVED: &[&str] = &[
        "ADD",
        "ALL",
        "ALTER",
        "ANALYSE",
        "ANALYZE",
        "AND",
        "ANY",
        "ARRAY",
        "AS",
        "ASC",
        "ASYMMETRIC",
        "AUTHORIZATION",
        "AUTO_INCREMENT",
        "BEGIN",
        "BETWEEN",
        "BINARY",
        "BOTH",
        "CASE",
        "CAST",
        "CHANGE",
        "CHECK",
        "COLLATE",
        "COLLATION",
        "COLUMN",
        "COMMIT",
        "CONCURRENTLY",
        "CONSTRAINT",
        "CREATE",
        "CROSS",
        "CURRENT_CATALOG",
        "CURRENT_DATE",
        "CURRENT_ROLE",
        "CURRENT_SCHEMA",
        "CURRENT_TIME",
        "CURRENT_TIMESTAMP",
        "CURRENT_USER",
        "DEFAULT",
        "DEFERRABLE",
        "DELETE",
        "DESC",
        "DISTINCT",
        "DO",
        "DROP",
        "ELSE",
        "END",
        "EXCEPT",
        "EXISTS",
        "FALSE",
        "FETCH",
        "FOR",
        "FOREIGN",
        "FREEZE",
        "FROM",
        "FULL",
        "GRANT",
        "GROUP",
        "HAVING",
        "IF",
        "ILIKE",
        "IN",
        "INDEX",
        "INITIALLY",
        "INNER",
        "INSERT",
        "INTERSECT",
        "INTO",
        "IS",
        "ISNULL",
        "JOIN",
        "KEY",
        "LATERAL",
        "LEADING",
        "LEFT",
        "LIKE",
        "LIMIT",
        "LOCALTIME",
        "LOCALTIMESTAMP",
        "MODIFY",
        "NATURAL",
        "NOT",
        "NOTNULL",
        "NULL",
        "OFFSET",
        "ON",
        "ONLY",
        "OR",
        "ORDER",
        "OUTER",
        "OVERLAPS",
        "PLACING",
        "PRIMARY",
        "REFERENCES",
        "RENAME",
        "RETURNING",
        "RIGHT",
        "ROLLBACK",
        "SELECT",
        "SESSION_USER",
        "SET",
        "SIMILAR",
        "SOME",
        "SYMMETRIC",
        "SYSTEM_USER",
        "TABLE",
        "TABLESAMPLE",
        "THEN",
        "TO",
        "TRAILING",
        "TRUE",
        "TRUNCATE",
        "UNION",
        "UNIQUE",
        "UPDATE",
        "USER",
        "USING",
        "VALUES",
        "VARIADIC",
        "VERBOSE",
        "WHEN",
        "WHERE",
        "WINDOW",
        "WITH",
    ];
    RESERVED.binary_search(&upper).is_ok()
}

/// Whether a word sqlparser knows but no dialect reserves (`id`, `name`, `status`, `type`)
/// stands where a name stands: first in a parenthesised list or after a comma (a column
/// definition, a column list), before or after a dot, or after a word that names what
/// follows (`TABLE`, `COLUMN`, `INDEX`, `SET`, `WHERE`...). Elsewhere (`INTEGER` after a
/// column's name, `TYPE` in `ALTER COLUMN x TYPE`, `KEY` after `PRIMARY`) it is a keyword.
fn stands_for_a_name(
    prev: Option<&sqlparser::tokenizer::Token>,
    next: Option<&sqlparser::tokenizer::Token>,
) -> bool {
    use sqlparser::tokenizer::Token;
    const NAMING: &[&str] = &[
        "ADD",
        "AND",
        "BY",
        "CHANGE",
        "COLUMN",
        "CONSTRAINT",
        "DROP",
        "EXISTS",
        "FROM",
        "INDEX",
        "INTO",
        "JOIN",
        "MODIFY",
        "ON",
        "OR",
        "REFERENCES",
        "SELECT",
        "SEQUENCE",
        "SET",
        "TABLE",
        "TO",
        "VIEW",
        "WHERE",
    ];
    if matches!(next, Some(Token::Period)) {
        return true;
    }
    match prev {
        Some(Token::LParen | Token::Comma | Token::Period) => true,
        Some(Token::Word(w)) if w.quote_style.is_none() => {
            NAMING.contains(&w.value.to_ascii_uppercase().as_str())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_cover_the_text_and_classify_tokens() {
        let sql = "-- Running upgrade  -> a1\n\nCREATE TABLE t (\n    name VARCHAR(50) DEFAULT 'it''s é', \n    n INTEGER DEFAULT 42\n);\n";
        let spans = highlight(sql, Dialect::Postgresql);
        assert_eq!(spans.iter().map(|(_, s)| *s).collect::<String>(), sql);
        let of = |k: Highlight| {
            spans
                .iter()
                .filter(|(h, _)| *h == k)
                .map(|(_, s)| s.trim())
                .collect::<Vec<_>>()
        };
        assert_eq!(of(Highlight::Comment), vec!["-- Running upgrade  -> a1"]);
        assert_eq!(of(Highlight::String), vec!["'it''s é'"]);
        assert_eq!(of(Highlight::Number), vec!["50", "42"]);
        assert!(of(Highlight::Keyword).starts_with(&["CREATE", "TABLE"]));
        // what the tokenizer rejects stays text
        let bad = "SELECT 'unterminated";
        assert_eq!(
            highlight(bad, Dialect::Sqlite)
                .iter()
                .map(|(_, s)| *s)
                .collect::<String>(),
            bad
        );
    }

    fn keywords(sql: &str, d: Dialect) -> Vec<String> {
        highlight(sql, d)
            .into_iter()
            .filter(|(h, _)| *h == Highlight::Keyword)
            .flat_map(|(_, s)| s.split_whitespace().map(String::from).collect::<Vec<_>>())
            .collect()
    }

    #[test]
    fn names_that_are_words_sqlparser_knows_are_not_keywords() {
        let sql = "CREATE TABLE accounts (\n    id INTEGER NOT NULL,\n    name VARCHAR(50),\n    type VARCHAR(20),\n    status TEXT,\n    PRIMARY KEY (id)\n);\n";
        assert_eq!(
            keywords(sql, Dialect::Postgresql),
            [
                "CREATE", "TABLE", "INTEGER", "NOT", "NULL", "VARCHAR", "VARCHAR", "TEXT",
                "PRIMARY", "KEY"
            ]
        );
        let sql = "ALTER TABLE accounts ALTER COLUMN name TYPE TEXT;\nALTER TABLE accounts ADD COLUMN value INTEGER;\nUPDATE accounts SET status='x' WHERE accounts.name = 'y' AND data IS NULL;\nALTER TABLE a ADD CONSTRAINT fk FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE;\n";
        assert_eq!(
            keywords(sql, Dialect::Postgresql),
            [
                "ALTER",
                "TABLE",
                "ALTER",
                "COLUMN",
                "TYPE",
                "TEXT",
                "ALTER",
                "TABLE",
                "ADD",
                "COLUMN",
                "INTEGER",
                "UPDATE",
                "SET",
                "WHERE",
                "AND",
                "IS",
                "NULL",
                "ALTER",
                "TABLE",
                "ADD",
                "CONSTRAINT",
                "FOREIGN",
                "KEY",
                "REFERENCES",
                "ON",
                "DELETE",
                "CASCADE"
            ]
        );
        // MySQL's ENGINE= after the table's parenthesis stays a keyword
        assert_eq!(
            keywords("CREATE TABLE t (id INTEGER) ENGINE=InnoDB;", Dialect::Mysql),
            ["CREATE", "TABLE", "INTEGER", "ENGINE"]
        );
    }

    #[test]
    fn a_long_line_is_walked_once() {
        // 20,000 values on one line: spans still cover the text exactly
        let sql = format!(
            "INSERT INTO t (id) VALUES {};",
            (0..20_000)
                .map(|i| format!("({i})"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        let spans = highlight(&sql, Dialect::Postgresql);
        assert_eq!(spans.iter().map(|(_, s)| *s).collect::<String>(), sql);
        assert_eq!(
            spans
                .iter()
                .filter(|(h, _)| *h == Highlight::Number)
                .count(),
            20_000
        );
    }
}
