//! The command line: Alembic's own commands and options (what you would type after
//! `alembic`), plus the planner's global options and commands of its own.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(
    name = "alembic-planner",
    version,
    about = "Alembic's history, heads, plans and offline SQL, from the files alone: no Python, no database"
)]
pub struct Cli {
    /// The versions folder; without it, `script_location` from ./alembic.ini (as Alembic).
    #[arg(long, global = true, value_name = "DIR")]
    pub versions: Option<PathBuf>,
    /// SQL dialect for SQL output (mssql: the DDL is approximate, not checked against Alembic).
    #[arg(long, global = true, value_enum, default_value_t = Dialect::Postgresql)]
    pub dialect: Dialect,
    /// Wrap each migration in its own transaction (Alembic's `transaction_per_migration`).
    #[arg(long, global = true)]
    pub transaction_per_migration: bool,
    /// Fail wherever Alembic fails offline, with Alembic's message, instead of going on.
    #[arg(long, global = true)]
    pub strict: bool,
    /// Print the planner's diagnostics (file:line: problem) on stderr.
    #[arg(long, global = true)]
    pub diagnostics: bool,
    /// Map an application-defined column type to SQL, e.g. `Slug=VARCHAR(64)` or
    /// `myapp.types.Slug=VARCHAR(64)` (repeatable).
    #[arg(long = "type-map", global = true, value_name = "NAME=SQL")]
    pub type_map: Vec<String>,
    /// The project's source root, whose modules' string constants the revisions may
    /// import (read, never run); without it, found above the versions folder
    #[arg(long, global = true, value_name = "DIR")]
    pub project: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Dialect {
    Postgresql,
    Mysql,
    Sqlite,
    Mssql,
}

impl From<Dialect> for alembic_planner::base::Dialect {
    fn from(d: Dialect) -> Self {
        use alembic_planner::base::Dialect as D;
        match d {
            Dialect::Postgresql => D::Postgresql,
            Dialect::Mysql => D::Mysql,
            Dialect::Sqlite => D::Sqlite,
            Dialect::Mssql => D::Mssql,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// List changeset scripts in chronological order.
    History {
        /// Specify a revision range; format is [start]:[end]
        #[arg(short = 'r', long = "rev-range")]
        rev_range: Option<String>,
        /// Use more verbose output
        #[arg(short, long)]
        verbose: bool,
        /// Indicate the current revision (needs a database; refused offline)
        #[arg(short = 'i', long = "indicate-current")]
        indicate_current: bool,
    },
    /// Show current available heads in the script directory.
    Heads {
        #[arg(short, long)]
        verbose: bool,
        /// Treat dependency versions as down revisions
        #[arg(long = "resolve-dependencies")]
        resolve_dependencies: bool,
    },
    /// Show current branch points.
    Branches {
        #[arg(short, long)]
        verbose: bool,
    },
    /// Show the revision(s) denoted by the given symbol.
    Show {
        #[arg(allow_hyphen_values = true)]
        rev: String,
    },
    /// Upgrade to a later version (offline: with --sql, as Alembic prints it).
    Upgrade {
        /// Revision identifier, or `FROM:TO` with --sql
        #[arg(allow_hyphen_values = true)]
        revision: String,
        /// Don't emit SQL to database - dump to standard output instead
        #[arg(long)]
        sql: bool,
        /// Arbitrary 'tag' name (accepted for compatibility; unused)
        #[arg(long)]
        tag: Option<String>,
    },
    /// Revert to a previous version (offline: `FROM:TO` with --sql).
    Downgrade {
        /// Revision identifier (`-1`, `base`, ...), or `FROM:TO` with --sql
        #[arg(allow_hyphen_values = true)]
        revision: String,
        #[arg(long)]
        sql: bool,
        #[arg(long)]
        tag: Option<String>,
    },
    /// 'stamp' the revision table with the given revision(s); runs no migrations.
    Stamp {
        /// Revision(s) to stamp, each optionally `FROM:TO` with --sql
        #[arg(required = true, allow_negative_numbers = true)]
        revisions: Vec<String>,
        #[arg(long)]
        sql: bool,
        #[arg(long)]
        tag: Option<String>,
        /// Delete all entries in the version table before stamping
        #[arg(long)]
        purge: bool,
    },
    /// The ordered steps of an upgrade, downgrade or stamp, with their version-table bookkeeping.
    Plan {
        #[arg(value_enum)]
        direction: Direction,
        /// Target, or `FROM:TO` (Alembic's syntax)
        #[arg(allow_hyphen_values = true)]
        range: String,
        /// The revisions the database is stamped at (what `alembic current` prints), comma-separated
        #[arg(long, value_delimiter = ',')]
        from: Option<Vec<String>>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// What a revision's upgrade() and downgrade() do, operation by operation.
    Ops { rev: String },
    /// Every table, column, index and constraint and the revisions that create, alter,
    /// rename and drop it (upgrade order); `--by-revision`: what each revision creates,
    /// changes and depends on, as a Markdown table.
    Tables {
        #[arg(long)]
        by_revision: bool,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// The schema after `upgrade TARGET` from an empty database, simulated from the files.
    Schema {
        /// Revision, `heads`, `label@head`, any upgrade target Alembic accepts
        #[arg(long, default_value = "heads")]
        at: String,
        /// Show only what changed since this revision (`--since A --at B`)
        #[arg(long)]
        since: Option<String>,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// How much of every upgrade()/downgrade() the planner interpreted, and why not the rest.
    Coverage {
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Every diagnostic the planner found, one per line (file:line: severity[code]: message).
    Check,
    /// Findings: unsafe DDL for PostgreSQL (locks, rewrites), data changes, downgrades that
    /// do not undo their upgrade, several heads, and the planner's own diagnostics, each as
    /// `file:line:col: severity[rule] message`. Configured by `[tool.alembic-planner]` in
    /// the nearest pyproject.toml; status 1 when an error-level finding remains.
    Lint {
        #[arg(long, value_enum, default_value_t = LintFormat::Text)]
        format: LintFormat,
        /// Print a rule's documentation (or a diagnostic code's) and exit
        #[arg(long, value_name = "RULE")]
        explain: Option<String>,
        /// List every rule (id, severity, default, summary) and exit
        #[arg(long)]
        list_rules: bool,
        /// The pyproject.toml to read (default: the nearest one above the versions folder)
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Rules to run instead of the default set (ids, or ALL); comma-separated
        #[arg(long, value_delimiter = ',', value_name = "RULES")]
        select: Vec<String>,
        /// Rules to run besides the default set
        #[arg(long, value_delimiter = ',', value_name = "RULES")]
        extend_select: Vec<String>,
        /// Rules not to run
        #[arg(long, value_delimiter = ',', value_name = "RULES")]
        ignore: Vec<String>,
        /// The PostgreSQL major version deployed to (below 11, every column default rewrites)
        #[arg(long, value_name = "N")]
        postgresql_version: Option<u32>,
        /// Do not lint the ancestors of this revision (they are deployed everywhere)
        #[arg(long, value_name = "REV")]
        skip_before: Option<String>,
    },
    /// Alembic's `heads`, failing (status 1) when there is more than one: the
    /// pre-commit and CI check that `alembic upgrade head` will work.
    SingleHead,
    /// The revision graph in lanes, newest first (`*` a revision, `|` a link running down).
    Graph,
    /// A pull request's migrations against its base branch: revisions added, edited and
    /// deleted, the heads once merged, colliding changes, the deploy SQL and its rollback,
    /// and the fixes for several heads. Status 1 when it should not be merged as it is.
    Review {
        /// The base branch: its versions folder, project folder or .zip, or a git revision
        /// (`main`, `origin/main`, a commit) read from the repository holding the versions
        /// folder, at the same path
        #[arg(long, value_name = "DIR|ZIP|GIT-REV")]
        base: PathBuf,
        /// The PR's, the same ways (default: the versions folder found as usual)
        #[arg(long, value_name = "DIR|ZIP|GIT-REV")]
        head: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t = ReviewFormat::Text)]
        format: ReviewFormat,
        /// The id of the merge revision suggested when the merge leaves several heads
        /// (default: a random one, as `alembic merge` draws)
        #[arg(long = "merge-rev-id", value_name = "ID")]
        merge_rev_id: Option<String>,
    },
    /// Merge two revisions together: writes the merge revision file, as `alembic merge`.
    Merge {
        /// The revisions to merge (`heads`, ids, labels)
        #[arg(required = true)]
        revisions: Vec<String>,
        /// Message string to use with 'revision'
        #[arg(short = 'm', long)]
        message: Option<String>,
        /// Specify a branch label to apply to the new revision
        #[arg(long = "branch-label")]
        branch_label: Vec<String>,
        /// Specify a hardcoded revision id instead of generating one
        #[arg(long = "rev-id")]
        rev_id: Option<String>,
        /// Allow a non-head revision as the "head" to merge
        #[arg(long)]
        splice: bool,
    },
    /// A document of the migration order: Markdown (tree, per-revision table, table to
    /// migrations), a Mermaid flowchart, or the graph as SVG.
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Markdown)]
        format: ExportFormat,
        /// The title of the Markdown document (default: the versions folder's name)
        #[arg(long)]
        title: Option<String>,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum LintFormat {
    Text,
    Json,
    Sarif,
    Github,
    Markdown,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ReviewFormat {
    Text,
    Markdown,
    Json,
    /// GitHub workflow annotations (`::error file=...`)
    Github,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    Markdown,
    Mermaid,
    Svg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Direction {
    Upgrade,
    Downgrade,
    Stamp,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    Text,
    Json,
}
