//! `alembic-planner`: the native command-line shell over the analysis core.
//!
//! It accepts Alembic's own command lines (`alembic-planner history -r A:B --verbose`) plus
//! global options, reads the versions folder from disk (or from `./alembic.ini`), and
//! prints what Alembic prints. All analysis happens in the library.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use alembic_planner::alembic::commands::{self, Context, Output};
use alembic_planner::alembic::offline::{self, OfflineOptions};
use alembic_planner::graph::revmap::{AlembicFailure, RevisionMap};
use alembic_planner::plan;
use alembic_planner::schema;
use alembic_planner::{InputFile, LoadOptions, Project};
use clap::{Parser, Subcommand, ValueEnum};

/// mimalloc: parsing and interpreting thousands of files is allocation-bound, and
/// the system allocator made it a third slower (see ARCHITECTURE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "alembic-planner",
    version,
    about = "Alembic's history, heads, plans and offline SQL, from the files alone: no Python, no database"
)]
struct Cli {
    /// The versions folder; without it, `script_location` from ./alembic.ini (as Alembic).
    #[arg(long, global = true, value_name = "DIR")]
    versions: Option<PathBuf>,
    /// SQL dialect for SQL output.
    #[arg(long, global = true, value_enum, default_value_t = Dialect::Postgresql)]
    dialect: Dialect,
    /// Wrap each migration in its own transaction (Alembic's `transaction_per_migration`).
    #[arg(long, global = true)]
    transaction_per_migration: bool,
    /// Fail wherever Alembic fails offline, with Alembic's message, instead of going on.
    #[arg(long, global = true)]
    strict: bool,
    /// Print the planner's diagnostics (file:line: problem) on stderr.
    #[arg(long, global = true)]
    diagnostics: bool,
    /// Map an application-defined column type to SQL, e.g. `Slug=VARCHAR(64)` or
    /// `myapp.types.Slug=VARCHAR(64)` (repeatable).
    #[arg(long = "type-map", global = true, value_name = "NAME=SQL")]
    type_map: Vec<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Dialect {
    Postgresql,
    Mysql,
    Sqlite,
    Mssql,
}

#[derive(Subcommand, Debug)]
enum Command {
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
    Show { rev: String },
    /// Upgrade to a later version (offline: with --sql, as Alembic prints it).
    Upgrade {
        /// Revision identifier, or `FROM:TO` with --sql
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
        revision: String,
        #[arg(long)]
        sql: bool,
        #[arg(long)]
        tag: Option<String>,
    },
    /// 'stamp' the revision table with the given revision(s); runs no migrations.
    Stamp {
        /// Revision(s) to stamp, each optionally `FROM:TO` with --sql
        #[arg(required = true)]
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
    /// The revision graph in lanes, newest first (`*` a revision, `|` a link running down).
    Graph,
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
enum ExportFormat {
    Markdown,
    Mermaid,
    Svg,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Direction {
    Upgrade,
    Downgrade,
    Stamp,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Text,
    Json,
}

/// Where the versions come from, and how their paths print.
struct Source {
    roots: Vec<PathBuf>,
    recursive: bool,
}

fn read_ini(path: &Path) -> Result<Source, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let here = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .unwrap_or(Path::new("."));
    let here = here.canonicalize().unwrap_or_else(|_| here.to_path_buf());
    let vals = alembic_planner::input::ini_values(&text);
    let get = |k: &str| {
        alembic_planner::input::ini_get(&vals, k)
            .map(|v| v.replace("%(here)s", &here.to_string_lossy()))
    };
    let script_location =
        get("script_location").ok_or("No 'script_location' key found in configuration.")?;
    let resolve = |p: &str| {
        let pb = PathBuf::from(p);
        if pb.is_absolute() {
            pb
        } else {
            here.join(pb)
        }
    };
    let roots = match get("version_locations") {
        Some(v) => {
            let sep = get("path_separator").or_else(|| get("version_path_separator"));
            let parts: Vec<String> = match sep.as_deref() {
                Some("os") | Some("colon") => v.split(':').map(String::from).collect(),
                Some("semicolon") => v.split(';').map(String::from).collect(),
                Some("newline") => v.split('\n').map(String::from).collect(),
                Some("space") => v.split(' ').map(String::from).collect(),
                _ => v.split([' ', ',', '\n']).map(String::from).collect(),
            };
            parts
                .iter()
                .map(|s| s.trim())
                .filter(|s| !s.is_empty())
                .map(resolve)
                .collect()
        }
        None => vec![resolve(&script_location).join("versions")],
    };
    let recursive =
        get("recursive_version_locations").is_some_and(|v| alembic_planner::input::ini_true(&v));
    Ok(Source { roots, recursive })
}

fn walk_dir(root: &Path, dir: &Path, prefix: &str, out: &mut Vec<InputFile>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        let name = e.file_name().to_string_lossy().to_string();
        if p.is_dir() {
            if name != "__pycache__" {
                walk_dir(root, &p, prefix, out);
            }
        } else if let Ok(bytes) = std::fs::read(&p) {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(InputFile::new(format!("{prefix}{rel}"), bytes));
        }
    }
}

impl From<Dialect> for alembic_planner::base::Dialect {
    fn from(d: Dialect) -> Self {
        match d {
            Dialect::Postgresql => alembic_planner::base::Dialect::Postgresql,
            Dialect::Mysql => alembic_planner::base::Dialect::Mysql,
            Dialect::Sqlite => alembic_planner::base::Dialect::Sqlite,
            Dialect::Mssql => alembic_planner::base::Dialect::Mssql,
        }
    }
}

fn failure_output(f: &AlembicFailure) -> Output {
    match f {
        AlembicFailure::Command(m) | AlembicFailure::Revision(m) => Output::default().fail(m),
        AlembicFailure::Crash(m) => Output::default().crash(m),
    }
}

/// `plan upgrade|downgrade RANGE [--from ...]`: the steps as Alembic would run them, from
/// `FROM` of the range, from `--from` (a database's current rows), or from base.
fn plan_command(
    map: &RevisionMap,
    direction: Direction,
    range: &str,
    from: Option<&[String]>,
    format: Format,
) -> Output {
    let direction = match direction {
        Direction::Upgrade => plan::Direction::Upgrade,
        Direction::Downgrade => plan::Direction::Downgrade,
        Direction::Stamp => plan::Direction::Stamp,
    };
    let p = match plan::request(map, direction, range, from.unwrap_or_default()) {
        Ok(p) => p,
        Err(f) => return failure_output(&f),
    };
    let mut out = Output::default();
    let op_text = |op: &plan::VersionOp| op.describe("->");
    match format {
        Format::Text => {
            out.stdout.push_str(&format!(
                "from: {}\n",
                if p.start.is_empty() {
                    "<base>".to_string()
                } else {
                    p.start.join(", ")
                }
            ));
            for (n, s) in p.steps.iter().enumerate() {
                let doc = s
                    .rev
                    .map(|r| map.script_of(r).doc())
                    .unwrap_or_else(|| "stamp (no migration runs)".into());
                let ops: Vec<String> = s.version_ops.iter().map(op_text).collect();
                out.stdout.push_str(&format!(
                    "{:>4}. {}, {}\n      version table: {}\n",
                    n + 1,
                    s.short_log(),
                    doc,
                    ops.join("; ")
                ));
            }
            let end = p.end.clone();
            out.stdout.push_str(&format!(
                "to: {}\n",
                if end.is_empty() {
                    "<base>".to_string()
                } else {
                    end.join(", ")
                }
            ));
        }
        Format::Json => {
            let steps: Vec<serde_json::Value> = p
                .steps
                .iter()
                .map(|s| {
                    serde_json::json!({
                    "revision": s.rev.map(|r| map.rev(r).id.clone()),
                    "direction": if s.stamp { "stamp" } else if s.upgrade { "upgrade" } else { "downgrade" },
                    "from": s.from,
                    "to": s.to,
                    "message": s.rev.map(|r| map.script_of(r).doc()),
                    "path": s.rev.map(|r| map.script_of(r).path.clone()),
                    "version_table": s.version_ops.iter().map(op_text).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let v = serde_json::json!({
                "start": p.start,
                "end": p.end,
                "end": p.end,
                "steps": steps,
                "alembic_failure": p.failure.as_ref().map(|f| f.message().to_string()),
            });
            out.stdout
                .push_str(&serde_json::to_string_pretty(&v).unwrap_or_default());
            out.stdout.push('\n');
        }
    }
    if let Some(f) = &p.failure {
        out.stderr.push_str(&format!(
            "alembic-planner: Alembic itself would crash at the last step: {}\n",
            f.message()
        ));
    }
    out
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let source = match &cli.versions {
        Some(dir) => Source {
            roots: vec![dir.clone()],
            recursive: true,
        },
        None => match read_ini(Path::new("alembic.ini")) {
            Ok(s) => s,
            Err(e) => {
                println!("FAILED: {e}");
                return ExitCode::from(255);
            }
        },
    };
    let mut files = Vec::new();
    let mut ctx = Context {
        strict: cli.strict,
        ..Context::default()
    };
    let mut source = source;
    let mut zip_diagnostics = Vec::new();
    // a .zip given as the versions folder: its versions folder found as the web app finds it
    if let [zip] = source.roots.as_slice() {
        if zip.is_file()
            && zip
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            let name = zip.display().to_string();
            let (entries, diags) = match std::fs::read(zip) {
                Ok(bytes) => alembic_planner::input::read_zip(&name, &bytes),
                Err(e) => {
                    eprintln!("alembic-planner: cannot read {name}: {e}");
                    return ExitCode::from(255);
                }
            };
            zip_diagnostics = diags;
            let located = alembic_planner::input::locate_versions(entries);
            files = located.files;
            ctx.path_roots.push((
                String::new(),
                format!("{name}/{}/", located.name).replace("//", "/"),
            ));
            source = Source {
                roots: Vec::new(),
                recursive: located.options.recursive,
            };
        }
    }
    let multi = source.roots.len() > 1;
    for (i, root) in source.roots.iter().enumerate() {
        if !root.is_dir() {
            continue;
        }
        let prefix = if multi {
            format!("{i:04}/")
        } else {
            String::new()
        };
        walk_dir(root, root, &prefix, &mut files);
        let abs = root.canonicalize().unwrap_or_else(|_| root.clone());
        ctx.path_roots.push((
            prefix,
            format!("{}/", abs.to_string_lossy().trim_end_matches('/')),
        ));
    }
    if !source.roots.is_empty() && source.roots.iter().all(|r| !r.is_dir()) {
        eprintln!(
            "alembic-planner: no versions folder at {}",
            source
                .roots
                .iter()
                .map(|r| r.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let project = Project::load(
        &files,
        LoadOptions {
            recursive: source.recursive,
            type_map: alembic_planner::input::parse_type_map(&cli.type_map.join("\n")),
        },
    );
    let mut project = project;
    project.diagnostics.splice(0..0, zip_diagnostics);
    if cli.diagnostics {
        for d in &project.diagnostics {
            eprintln!("{}", ctx.display_diag_path(d));
        }
    }
    let map = &project.map;
    let out: Output = match &cli.command {
        Command::History {
            rev_range,
            verbose,
            indicate_current,
        } => {
            if *indicate_current {
                Output::default().fail("history --indicate-current needs a database connection (not available offline)")
            } else {
                commands::history(map, &ctx, rev_range.as_deref(), *verbose)
            }
        }
        Command::Heads {
            verbose,
            resolve_dependencies,
        } => commands::heads(map, &ctx, *verbose, *resolve_dependencies),
        Command::Branches { verbose } => commands::branches(map, &ctx, *verbose),
        Command::Show { rev } => commands::show(map, &ctx, rev),
        Command::Upgrade { revision, sql, .. } | Command::Downgrade { revision, sql, .. } => {
            let upgrade = matches!(cli.command, Command::Upgrade { .. });
            if *sql {
                let opts = OfflineOptions {
                    dialect: cli.dialect.into(),
                    transaction_per_migration: cli.transaction_per_migration,
                };
                offline::run(&project, &ctx, upgrade, revision, opts)
            } else if revision.contains(':') {
                Output::default().fail("Range revision not allowed")
            } else {
                Output::default().fail("the planner never connects to a database: add --sql for the offline script, or see the steps with `alembic-planner plan`")
            }
        }
        Command::Stamp {
            revisions,
            sql,
            purge,
            ..
        } => {
            if *sql {
                let opts = OfflineOptions {
                    dialect: cli.dialect.into(),
                    transaction_per_migration: cli.transaction_per_migration,
                };
                offline::run_stamp(&project, &ctx, revisions, *purge, opts)
            } else {
                Output::default().fail("the planner never connects to a database: add --sql for the offline script, or see the steps with `alembic-planner plan stamp`")
            }
        }
        Command::Plan {
            direction,
            range,
            from,
            format,
        } => plan_command(map, *direction, range, from.as_deref(), *format),
        Command::Ops { rev } => {
            match map.get_revision(&alembic_planner::graph::walk::Arg::Str(rev.clone())) {
                Ok(Some(i)) => Output {
                    stdout: project.migration_ops(i).to_text(&map.script_of(i).path),
                    ..Output::default()
                },
                Ok(None) => Output::default().fail("base has no operations"),
                Err(e) => Output::default().fail(&e.command_message(None, None, None)),
            }
        }
        Command::Tables {
            by_revision,
            format,
        } => {
            let sim = alembic_planner::schema::table_map(&project, cli.dialect.into());
            let stdout = match (format, by_revision) {
                (Format::Json, _) => json_lines(&tables_json(&project, &sim)),
                (Format::Text, true) => {
                    alembic_planner::present::tables::revisions_markdown(&project, &sim)
                }
                (Format::Text, false) => {
                    alembic_planner::present::tables::tables_text(&project, &sim)
                }
            };
            Output {
                stdout,
                ..Output::default()
            }
        }
        Command::Graph => Output {
            stdout: alembic_planner::present::layout::layout(&project).to_text(&project),
            ..Output::default()
        },
        Command::Export { format, title } => {
            let layout = alembic_planner::present::layout::layout(&project);
            let stdout = match format {
                ExportFormat::Markdown => {
                    let sim = alembic_planner::schema::table_map(&project, cli.dialect.into());
                    let title = title.clone().unwrap_or_else(|| {
                        let root = ctx.path_roots.first().map_or("", |(_, p)| p.as_str());
                        let parts: Vec<&str> = root.split('/').filter(|c| !c.is_empty()).collect();
                        parts[parts.len().saturating_sub(2)..].join("/")
                    });
                    alembic_planner::present::export::markdown(&project, &layout, &sim, &title)
                }
                ExportFormat::Mermaid => {
                    alembic_planner::present::export::mermaid(&project, &layout)
                }
                ExportFormat::Svg => alembic_planner::present::export::svg(&project, &layout),
            };
            Output {
                stdout,
                ..Output::default()
            }
        }
        Command::Schema { at, since, format } => {
            let dialect = cli.dialect.into();
            let sims = alembic_planner::schema::schema_at(&project, at, dialect).and_then(|b| {
                let a = since
                    .as_ref()
                    .map(|s| alembic_planner::schema::schema_at(&project, s, dialect))
                    .transpose()?;
                Ok((a, b))
            });
            match sims {
                Err(e) => Output::default().fail(e.message()),
                Ok((before, sim)) => {
                    let mut o = Output {
                        stdout: match (format, &before) {
                            (Format::Json, _) => json_lines(&schema_json(&project, &sim)),
                            (Format::Text, Some(a)) => schema::diff(&a.schema, &sim.schema),
                            (Format::Text, None) => sim.schema.to_text(),
                        },
                        ..Output::default()
                    };
                    for u in &sim.unknown {
                        o.stderr.push_str(&format!(
                            "{}:{}: unknown effect: {}\n",
                            ctx.display_path(&map.script_of(u.rev).path),
                            u.line,
                            u.reason
                        ));
                    }
                    o
                }
            }
        }
        Command::Coverage { format } => {
            let c = project.coverage();
            if let Format::Json = format {
                return finish(Output {
                    stdout: json_lines(&serde_json::json!({
                        "statements": c.statements,
                        "interpreted": c.interpreted,
                        "opaque": c.opaque.iter().map(|o| serde_json::json!({"path": o.path, "line": o.line, "reason": o.reason})).collect::<Vec<_>>(),
                    })),
                    ..Output::default()
                });
            }
            let mut o = Output::default();
            let pct = if c.statements == 0 {
                100.0
            } else {
                100.0 * c.interpreted as f64 / c.statements as f64
            };
            o.stdout.push_str(&format!(
                "{} of {} statements interpreted ({pct:.1}%)\n",
                c.interpreted, c.statements
            ));
            for op in &c.opaque {
                o.stdout.push_str(&format!(
                    "{}:{}: {}\n",
                    ctx.display_path(&op.path),
                    op.line,
                    op.reason
                ));
            }
            o
        }
        Command::Check => {
            let mut o = Output::default();
            let sim = alembic_planner::schema::table_map(&project, cli.dialect.into());
            for d in project.diagnostics.iter().chain(sim.diagnostics.iter()) {
                o.stdout.push_str(&ctx.display_diag_path(d));
                o.stdout.push('\n');
            }
            if project
                .diagnostics
                .iter()
                .any(|d| d.severity == alembic_planner::base::diag::Severity::Error)
            {
                o.status = 1;
            }
            o
        }
    };
    finish(out)
}

fn finish(out: Output) -> ExitCode {
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    ExitCode::from(out.status as u8)
}

fn json_lines(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn rev_json(project: &Project, rev: usize, line: u32) -> serde_json::Value {
    serde_json::json!({
        "revision": project.map.rev(rev).id,
        "path": project.map.script_of(rev).path,
        "line": line,
    })
}

fn tables_json(project: &Project, sim: &schema::Simulation) -> serde_json::Value {
    let tables: serde_json::Map<String, serde_json::Value> = sim
        .by_table()
        .into_iter()
        .map(|(t, events)| {
            let evs: Vec<serde_json::Value> = events
                .iter()
                .map(|e| {
                    let mut v = rev_json(project, e.rev, e.line);
                    v["kind"] = e.kind.into();
                    v["name"] = e.name.clone().into();
                    v["action"] = e.action.into();
                    v["detail"] = e.detail.clone().into();
                    v
                })
                .collect();
            (t, serde_json::Value::Array(evs))
        })
        .collect();
    let revisions: Vec<serde_json::Value> = sim
        .revisions
        .iter()
        .map(|r| {
            serde_json::json!({
                "revision": project.map.rev(r.rev).id,
                "path": project.map.script_of(r.rev).path,
                "creates": r.creates,
                "changes": r.changes,
                "drops": r.drops,
                "depends_on": r.depends_on,
                "writes_data": r.writes_data,
                "reads_data": r.reads_data,
            })
        })
        .collect();
    serde_json::json!({
        "tables": tables,
        "revisions": revisions,
        "diagnostics": diagnostics_json(&sim.diagnostics),
    })
}

fn diagnostics_json(d: &[alembic_planner::base::diag::Diagnostic]) -> Vec<serde_json::Value> {
    d.iter()
        .map(|d| {
            serde_json::json!({
                "severity": d.severity.as_str(),
                "code": d.code,
                "path": d.path,
                "line": d.line,
                "message": d.message,
            })
        })
        .collect()
}

fn schema_json(project: &Project, sim: &schema::Simulation) -> serde_json::Value {
    let key = |k: &schema::Key| serde_json::json!({"name": k.name, "columns": k.columns});
    let tables: Vec<serde_json::Value> = sim
        .schema
        .tables
        .values()
        .map(|t| {
            serde_json::json!({
                "name": t.name,
                "comment": t.comment,
                "created_by": t.created_by.map(|r| project.map.rev(r).id.clone()),
                "columns": t.columns.iter().map(|c| serde_json::json!({
                    "name": c.name,
                    "type": schema::type_text(&c.type_),
                    "nullable": c.nullable,
                    "default": c.default,
                    "comment": c.comment,
                })).collect::<Vec<_>>(),
                "primary_key": t.primary_key.as_ref().map(key),
                "unique": t.uniques.iter().map(key).collect::<Vec<_>>(),
                "foreign_keys": t.foreign_keys.iter().map(|f| serde_json::json!({
                    "name": f.name, "columns": f.columns, "referent": f.referent,
                    "remote": f.remote, "ondelete": f.ondelete,
                })).collect::<Vec<_>>(),
                "checks": t.checks.iter().map(|c| serde_json::json!({"name": c.name, "condition": c.condition})).collect::<Vec<_>>(),
                "indexes": t.indexes.iter().map(|i| serde_json::json!({"name": i.name, "columns": i.columns, "unique": i.unique})).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::json!({
        "tables": tables,
        "enums": sim.schema.enums,
        "unknown": sim.unknown.iter().map(|u| {
            let mut v = rev_json(project, u.rev, u.line);
            v["reason"] = u.reason.clone().into();
            v
        }).collect::<Vec<_>>(),
        "diagnostics": diagnostics_json(&sim.diagnostics),
    })
}
