//! Diagnostics: every problem the analysis finds, as a plain value naming file and line.
//!
//! Nothing in the core returns `Err` for bad input: a function that reads user text returns
//! its result together with a `Vec<Diagnostic>`, so one broken file never hides the rest.

use std::fmt;

/// How serious a diagnostic is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Alembic itself would fail here, or the planner could not read the file.
    Error,
    /// Alembic would warn, or the planner had to guess.
    Warning,
    /// Worth knowing; nothing is wrong.
    Info,
}

impl Severity {
    /// Lower-case name, as printed.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One problem found in the input.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Stable kebab-case id, e.g. `python-syntax-error`.
    pub code: &'static str,
    /// Path of the file, relative to the versions folder; empty for project-wide problems.
    pub path: String,
    /// 1-based line; 0 when the problem concerns the whole file or project.
    pub line: u32,
    pub message: String,
}

impl Diagnostic {
    pub fn new(
        severity: Severity,
        code: &'static str,
        path: impl Into<String>,
        line: u32,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            code,
            path: path.into(),
            line,
            message: message.into(),
        }
    }

    pub fn error(code: &'static str, path: &str, line: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Error, code, path, line, message)
    }

    pub fn warning(code: &'static str, path: &str, line: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Warning, code, path, line, message)
    }

    pub fn info(code: &'static str, path: &str, line: u32, message: impl Into<String>) -> Self {
        Self::new(Severity::Info, code, path, line, message)
    }
}

impl fmt::Display for Diagnostic {
    /// `path:line: severity[code]: message` (the location parts are left out when unknown).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_empty() {
            write!(f, "{}", self.path)?;
            if self.line > 0 {
                write!(f, ":{}", self.line)?;
            }
            write!(f, ": ")?;
        }
        write!(
            f,
            "{}[{}]: {}",
            self.severity.as_str(),
            self.code,
            self.message
        )
    }
}
