//! Findings for people and machines: `file:line:col: severity[rule] message` text, GitHub
//! workflow annotations, a Markdown PR comment, SARIF 2.1.0 (typed here, serialized by
//! the shell), and each rule's documentation page.

use crate::base::Severity;
use crate::lint::{diagnostics, find_rule, Check, Finding, Lint, Rule, RULES};
use crate::present::export::md_text;

fn location(f: &Finding) -> String {
    match (f.path.is_empty(), f.line) {
        (true, _) => String::new(),
        (false, 0) => format!("{}: ", f.path),
        (false, l) => format!("{}:{l}:{}: ", f.path, f.column),
    }
}

/// One finding per line, then a summary line.
pub fn text(lint: &Lint) -> String {
    let mut out = String::new();
    for f in &lint.findings {
        out.push_str(&format!(
            "{}{}[{}] {}\n",
            location(f),
            f.severity.as_str(),
            f.rule,
            f.message
        ));
    }
    out.push_str(&summary(lint));
    out.push('\n');
    out
}

/// The findings a reader asked for: of `rule` and `severity` (empty: any), in revisions
/// whose id starts with `revision` (blank: any).
pub fn filter<'a>(lint: &'a Lint, rule: &str, severity: &str, revision: &str) -> Vec<&'a Finding> {
    let revision = revision.trim();
    lint.findings
        .iter()
        .filter(|f| {
            (rule.is_empty() || f.rule == rule)
                && (severity.is_empty() || f.severity.as_str() == severity)
                && (revision.is_empty()
                    || f.revision
                        .as_deref()
                        .is_some_and(|r| r.starts_with(revision)))
        })
        .collect()
}

/// `3 findings (1 error, 2 warnings) from 24 rules; 1 suppressed`.
pub fn summary(lint: &Lint) -> String {
    let count = |s: Severity| lint.findings.iter().filter(|f| f.severity == s).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    let mut parts = Vec::new();
    for (s, w) in [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "note"),
    ] {
        let n = count(s);
        if n > 0 {
            parts.push(plural(n, w));
        }
    }
    let mut s = if lint.findings.is_empty() {
        format!("no findings from {} rules", lint.rules.len())
    } else {
        format!(
            "{} ({}) from {} rules",
            plural(lint.findings.len(), "finding"),
            parts.join(", "),
            lint.rules.len()
        )
    };
    if lint.suppressed > 0 {
        s.push_str(&format!("; {} suppressed", lint.suppressed));
    }
    s
}

/// A workflow command's message, escaped as GitHub's toolkit does.
pub fn gh_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value (`file=`, `title=`), escaped.
pub fn gh_property(s: &str) -> String {
    gh_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotation level of a severity.
pub fn gh_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One finding as a workflow command: `path` as the user knows it, `title` as given.
pub fn finding_annotation(f: &Finding, path: &str, title: &str) -> String {
    let mut props = Vec::new();
    if !path.is_empty() {
        props.push(format!("file={}", gh_property(path)));
        if f.line > 0 {
            props.push(format!("line={}", f.line));
            props.push(format!("col={}", f.column));
        }
    }
    props.push(format!("title={title}"));
    format!(
        "::{} {}::{}\n",
        gh_level(f.severity),
        props.join(","),
        gh_data(&f.message)
    )
}

/// GitHub's workflow commands: `::warning file=...,line=...,col=...,title=rule::message`.
pub fn github(lint: &Lint) -> String {
    lint.findings
        .iter()
        .map(|f| finding_annotation(f, &f.path, &gh_property(f.rule)))
        .collect()
}

/// A PR comment: the summary, then a table per file.
pub fn markdown(lint: &Lint) -> String {
    let mut out = format!("### alembic-planner lint\n\n{}.\n", summary(lint));
    let mut current: Option<&str> = None;
    for f in &lint.findings {
        if current != Some(f.path.as_str()) {
            current = Some(f.path.as_str());
            let name = if f.path.is_empty() {
                "(project)"
            } else {
                &f.path
            };
            out.push_str(&format!(
                "\n**`{name}`**\n\n| Line | Severity | Rule | Finding |\n|---:|---|---|---|\n"
            ));
        }
        out.push_str(&format!(
            "| {} | {} | `{}` | {} |\n",
            if f.line > 0 {
                f.line.to_string()
            } else {
                String::new()
            },
            f.severity.as_str(),
            f.rule,
            md_text(&f.message)
        ));
    }
    out
}

/// SARIF 2.1.0: one run, the rules that ran in `tool.driver.rules`, one result per
/// finding.
#[derive(Debug, serde::Serialize)]
pub struct Sarif {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<SarifRun>,
}

#[derive(Debug, serde::Serialize)]
pub struct SarifRun {
    pub tool: SarifTool,
    pub results: Vec<SarifResult>,
}

#[derive(Debug, serde::Serialize)]
pub struct SarifTool {
    pub driver: SarifDriver,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifDriver {
    pub name: &'static str,
    pub version: &'static str,
    pub information_uri: &'static str,
    pub rules: Vec<SarifRule>,
}

#[derive(Debug, serde::Serialize)]
pub struct SarifText {
    pub text: String,
}

#[derive(Debug, serde::Serialize)]
pub struct SarifHelp {
    pub text: String,
    pub markdown: String,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRule {
    pub id: String,
    pub short_description: SarifText,
    pub full_description: SarifText,
    pub help: SarifHelp,
    pub default_configuration: SarifLevel,
}

#[derive(Debug, serde::Serialize)]
pub struct SarifLevel {
    pub level: &'static str,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: SarifText,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<SarifLocation>,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifLocation {
    pub physical_location: SarifPhysical,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifPhysical {
    pub artifact_location: SarifArtifact,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<SarifRegion>,
}

#[derive(Debug, serde::Serialize)]
pub struct SarifArtifact {
    pub uri: String,
}

#[derive(Debug, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifRegion {
    pub start_line: u32,
    pub start_column: u32,
}

fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The documentation of a rule or diagnostic code, as Markdown (`--explain`).
pub fn explain(id: &str) -> Option<String> {
    find_rule(id)
        .map(rule_page)
        .or_else(|| diagnostics::explain(id))
}

/// SARIF for the findings: every rule that ran, and every diagnostic code that fired.
pub fn sarif(lint: &Lint) -> Sarif {
    let mut ids: Vec<&str> = lint.rules.clone();
    for f in &lint.findings {
        if !ids.contains(&f.rule) {
            ids.push(f.rule);
        }
    }
    let rules: Vec<SarifRule> = ids
        .iter()
        .map(|id| {
            let (summary, severity) = match find_rule(id) {
                Some(r) => (r.summary(), r.severity),
                None => (
                    diagnostics::DIAGNOSTICS
                        .iter()
                        .find(|(c, _, _)| c == id)
                        .map(|(_, what, _)| what.to_string())
                        .unwrap_or_default(),
                    Severity::Warning,
                ),
            };
            let page = explain(id).unwrap_or_default();
            SarifRule {
                id: id.to_string(),
                short_description: SarifText {
                    text: summary.clone(),
                },
                full_description: SarifText { text: summary },
                help: SarifHelp {
                    text: page.clone(),
                    markdown: page,
                },
                default_configuration: SarifLevel {
                    level: sarif_level(severity),
                },
            }
        })
        .collect();
    let results = lint
        .findings
        .iter()
        .map(|f| SarifResult {
            rule_id: f.rule.to_string(),
            rule_index: ids.iter().position(|i| *i == f.rule).unwrap_or(0),
            level: sarif_level(f.severity),
            message: SarifText {
                text: f.message.clone(),
            },
            locations: if f.path.is_empty() {
                Vec::new()
            } else {
                vec![SarifLocation {
                    physical_location: SarifPhysical {
                        artifact_location: SarifArtifact {
                            uri: f.path.clone(),
                        },
                        region: (f.line > 0).then_some(SarifRegion {
                            start_line: f.line,
                            start_column: f.column.max(1),
                        }),
                    },
                }]
            },
        })
        .collect();
    Sarif {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: vec![SarifRun {
            tool: SarifTool {
                driver: SarifDriver {
                    name: "alembic-planner",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: "https://pypi.org/project/alembic-planner/",
                    rules,
                },
            },
            results,
        }],
    }
}

/// A rule's documentation page: a title, its facts, then its doc.
pub fn rule_page(rule: &Rule) -> String {
    let dialects = if rule.dialects.is_empty() {
        "all".to_string()
    } else {
        rule.dialects
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let kind = match rule.check {
        Check::Step(_) => "each operation, upgrade and downgrade",
        Check::Revision(_) => "each revision",
        Check::Project(_) => "the whole project",
        Check::Framework => "suppression comments",
    };
    let mut out = format!(
        "# {}\n\n| | |\n|---|---|\n| Severity | {} |\n| Default | {} |\n| Dialects | {dialects} |\n| Checks | {kind} |\n",
        rule.id,
        rule.severity.as_str(),
        if rule.default_on {
            "on"
        } else {
            "off (select it to use it)"
        },
    );
    if let Some(l) = &rule.lock {
        out.push_str(&format!(
            "| PostgreSQL lock | `{}`{} (verified on a real server by `tests/locks.rs`: `{}`) |\n",
            l.lock,
            if l.rewrites {
                ", rewrites the table"
            } else {
                ", no rewrite"
            },
            l.statement
        ));
    }
    out.push_str(&format!(
        "| Silence | `# alembic-planner: ignore[{}]` |\n\n",
        rule.id
    ));
    out.push_str(&rule.doc());
    out
}

/// The index of every rule and diagnostic code, with links to their pages.
pub fn rules_index() -> String {
    let mut out = String::from("# Rules\n\nGenerated from the rules' own documentation (`src/lint/rules/`); `tests/lint.rs` keeps it current. Run `alembic-planner lint --explain RULE` for one.\n\n| Rule | Severity | Default | Dialects | What it finds |\n|---|---|---|---|---|\n");
    let mut rules: Vec<&Rule> = RULES.to_vec();
    rules.sort_by_key(|r| r.id);
    for r in rules {
        out.push_str(&format!(
            "| [`{}`]({}.md) | {} | {} | {} | {} |\n",
            r.id,
            r.id,
            r.severity.as_str(),
            if r.default_on { "on" } else { "off" },
            if r.dialects.is_empty() {
                "all".to_string()
            } else {
                r.dialects
                    .iter()
                    .map(|d| d.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            md_text(&r.summary())
        ));
    }
    out.push_str("\n## The planner's own diagnostics\n\nThey come from reading the files and simulating the schema, keep the severity the analysis gives them, and are configured and silenced like rules.\n\n| Code | Meaning | Fix |\n|---|---|---|\n");
    for (c, what, fix) in diagnostics::DIAGNOSTICS {
        out.push_str(&format!(
            "| `{c}` | {} | {} |\n",
            md_text(what),
            md_text(fix)
        ));
    }
    out
}
