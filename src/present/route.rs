//! What the web app's address says: the view, the selected revision, the plan's range and
//! direction, the dialect, the schema's revisions and the searches, as a URL fragment
//! (`#view=plan&rev=ae1027a6acf&target=heads&dialect=mysql`). Only values that differ from
//! the defaults are written, so a link stays short; unknown keys are ignored, so an older
//! link still opens. The fragment never reaches a server.

use crate::base::Dialect;

/// The views of the web app, in its navigation's order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum View {
    Graph,
    History,
    Plan,
    Sql,
    Tables,
    Schema,
    /// The linter's findings.
    Findings,
    Diagnostics,
    /// The loaded folder as a pull request against a base branch's folder.
    Review,
}

impl View {
    pub const ALL: [View; 9] = [
        View::Graph,
        View::History,
        View::Plan,
        View::Sql,
        View::Tables,
        View::Schema,
        View::Findings,
        View::Diagnostics,
        View::Review,
    ];

    /// The name in the address and in element ids (`#tab-graph`).
    pub fn name(self) -> &'static str {
        match self {
            View::Graph => "graph",
            View::History => "history",
            View::Plan => "plan",
            View::Sql => "sql",
            View::Tables => "tables",
            View::Schema => "schema",
            View::Findings => "findings",
            View::Diagnostics => "diagnostics",
            View::Review => "review",
        }
    }

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            View::Graph => "Graph",
            View::History => "History",
            View::Plan => "Plan",
            View::Sql => "SQL",
            View::Tables => "Tables",
            View::Schema => "Schema",
            View::Findings => "Findings",
            View::Diagnostics => "Diagnostics",
            View::Review => "Review",
        }
    }

    pub fn from_name(name: &str) -> Option<View> {
        View::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// One state of the app as the address holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pub view: View,
    /// The selected revision's id.
    pub rev: Option<String>,
    pub upgrade: bool,
    pub target: String,
    pub current: String,
    pub dialect: Dialect,
    pub at: String,
    pub since: String,
    /// The graph's search.
    pub find: String,
    /// The Tables view's search.
    pub tables: String,
}

impl Default for Route {
    fn default() -> Self {
        Route {
            view: View::Graph,
            rev: None,
            upgrade: true,
            target: "heads".into(),
            current: String::new(),
            dialect: Dialect::Postgresql,
            at: "heads".into(),
            since: String::new(),
            find: String::new(),
            tables: String::new(),
        }
    }
}

impl Route {
    /// Reads a fragment, with or without its `#`.
    pub fn parse(fragment: &str) -> Route {
        let mut r = Route::default();
        for pair in fragment.trim_start_matches('#').split('&') {
            let Some((k, v)) = pair.split_once('=') else {
                continue;
            };
            let v = decode(v);
            match k {
                // an unknown view or dialect (an older or mistyped link) keeps the default
                "view" => r.view = View::from_name(&v).unwrap_or(r.view),
                "rev" => r.rev = Some(v).filter(|s| !s.is_empty()),
                "dir" => r.upgrade = v != "down",
                "target" => r.target = v,
                "current" => r.current = v,
                "dialect" => r.dialect = Dialect::from_name(&v).unwrap_or(r.dialect),
                "at" => r.at = v,
                "since" => r.since = v,
                "find" => r.find = v,
                "tables" => r.tables = v,
                _ => {}
            }
        }
        r
    }

    /// The fragment, `#` included, with only what differs from the defaults.
    pub fn to_fragment(&self) -> String {
        let d = Route::default();
        let mut parts = vec![format!("view={}", self.view.name())];
        if let Some(rev) = &self.rev {
            parts.push(format!("rev={}", encode(rev)));
        }
        if !self.upgrade {
            parts.push("dir=down".into());
        }
        let dialect = self.dialect.name().to_string();
        let default_dialect = d.dialect.name().to_string();
        for (k, v, default) in [
            ("target", &self.target, &d.target),
            ("current", &self.current, &d.current),
            ("dialect", &dialect, &default_dialect),
            ("at", &self.at, &d.at),
            ("since", &self.since, &d.since),
            ("find", &self.find, &d.find),
            ("tables", &self.tables, &d.tables),
        ] {
            if v != default {
                parts.push(format!("{k}={}", encode(v)));
            }
        }
        format!("#{}", parts.join("&"))
    }
}

/// Percent-encodes everything but unreserved characters and the revision syntax's own
/// `:`, `@`, `+`, `,` (kept readable).
fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'_'
            | b'.'
            | b'~'
            | b':'
            | b'@'
            | b',' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |j: usize| bytes.get(j).and_then(|b| (*b as char).to_digit(16));
        match bytes[i] {
            b'%' => match (hex(i + 1), hex(i + 2)) {
                (Some(h), Some(l)) => {
                    out.push((h * 16 + l) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_stays_short() {
        assert_eq!(Route::default().to_fragment(), "#view=graph");
        let r = Route {
            view: View::Plan,
            rev: Some("ae10".into()),
            upgrade: false,
            target: "label@head:+2 x&y=z%".into(),
            current: "a,b".into(),
            dialect: Dialect::Mysql,
            find: "users — ü".into(),
            ..Route::default()
        };
        let f = r.to_fragment();
        assert_eq!(
            f,
            "#view=plan&rev=ae10&dir=down&target=label@head:%2B2%20x%26y%3Dz%25&current=a,b&dialect=mysql&find=users%20%E2%80%94%20%C3%BC"
        );
        assert_eq!(Route::parse(&f), r);
    }

    #[test]
    fn bad_input_reads_as_defaults() {
        assert_eq!(Route::parse(""), Route::default());
        assert_eq!(Route::parse("#junk&=&x=%zz&view"), Route::default());
        assert_eq!(Route::parse("#target=%E2%8").target, "\u{fffd}%8");
        assert_eq!(Route::parse("#view=nope&dialect=oracle"), Route::default());
    }
}
