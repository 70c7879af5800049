//! `alembic-planner`: the native command-line shell over the analysis core.
//!
//! It accepts Alembic's own command lines (`alembic-planner history -r A:B --verbose`) plus
//! global options (`args.rs`), reads the versions folder from disk or from `./alembic.ini`
//! (`load.rs`, `git.rs`), and prints what the core returns, one function per command
//! (`run.rs`; `review.rs` for `review` and `merge`).

mod args;
mod git;
mod lint;
mod load;
mod review;
mod run;

use std::path::Path;
use std::process::ExitCode;

use alembic_planner::alembic::commands::{self, Context, Output};
use alembic_planner::input::{parse_type_map, Functions, Operations};
use alembic_planner::{LoadOptions, Project};
use clap::Parser;

use args::{Cli, Command};

/// Transparent huge pages off for the process, before the work allocates: mimalloc asks
/// for them, and each 2 MB page is faulted in (and zeroed) whole however little of it is
/// used. On a 5,000-revision folder `heads` went from 59-67 MB to 35 MB resident and the
/// kernel's share of `upgrade --sql` from about a quarter to a tenth, at the same speed
/// (ARCHITECTURE.md, "Performance").
fn no_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) only sets a flag of this process; its status is
    // ignored (a kernel without it keeps the default)
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// mimalloc's `mi_option_purge_delay` (mimalloc 3's `mi_option_e` in include/mimalloc.h,
/// the option listed 16th by `MIMALLOC_VERBOSE=1`).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

extern "C" {
    /// From the mimalloc library the allocator links (libmimalloc-sys).
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// Memory the process frees goes back to the system after 10 ms, not mimalloc's default
/// second, which is longer than a whole command: the file texts `upgrade --sql` frees once
/// read stayed resident (a 5,000-revision folder's peak 68 MB, 54 MB with this).
fn prompt_purge() {
    // SAFETY: sets one of mimalloc's options (an integer it reads when it purges); called
    // first thing in `main`, before any thread is started
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, 10) }
}

/// mimalloc: parsing and interpreting thousands of files is allocation-bound, and
/// the system allocator made it a third slower (see ARCHITECTURE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    no_huge_pages();
    prompt_purge();
    let cli = Cli::parse();
    // what needs no versions folder
    if let Command::Lint {
        explain,
        list_rules,
        ..
    } = &cli.command
    {
        let out = match (explain, list_rules) {
            (Some(id), _) => Some(lint::explain(id)),
            (None, true) => Some(lint::list_rules()),
            _ => None,
        };
        if let Some(out) = out {
            print!("{}", out.stdout);
            eprint!("{}", out.stderr);
            return ExitCode::from(out.status as u8);
        }
    }
    let source = match &cli.versions {
        Some(dir) => load::Source::folder(dir.clone()),
        None => match load::read_ini(Path::new("alembic.ini")) {
            Ok(s) => s,
            Err(e) => {
                println!("FAILED: {e}");
                return ExitCode::from(255);
            }
        },
    };
    let (script_dir, ini) = (source.script_dir.clone(), source.ini.clone());
    let versions_dirs = source.roots.clone();
    let mut ctx = Context {
        strict: cli.strict,
        ..Context::default()
    };
    // (kept: a load that frees the files' text reads them again for a second load)
    let read = match load::read(source.clone(), &mut ctx) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("alembic-planner: {e}");
            return ExitCode::from(255);
        }
    };
    let mut opts: LoadOptions = LoadOptions {
        recursive: read.recursive,
        type_map: parse_type_map(&cli.type_map.join("\n")),
        // what the command prints decides what is read: the graph commands need no
        // operations, the SQL commands one dialect's
        operations: match &cli.command {
            Command::History { .. }
            | Command::Heads { .. }
            | Command::Branches { .. }
            | Command::Show { .. } => Operations::Skip,
            Command::Upgrade { .. }
            | Command::Downgrade { .. }
            | Command::Stamp { .. }
            | Command::Plan { .. } => Operations::For(cli.dialect.into()),
            _ => Operations::Every,
        },
        // `upgrade --sql` runs no `downgrade()` (`--diagnostics` reports what reading
        // every function finds)
        functions: match &cli.command {
            Command::Upgrade { sql: true, .. } if !cli.diagnostics => Functions::Upgrade,
            _ => Functions::Both,
        },
        // the offline script is made of what the load read: no text is read again
        release_texts: matches!(
            &cli.command,
            Command::Upgrade { sql: true, .. } | Command::Downgrade { sql: true, .. }
        ),
        ..LoadOptions::default()
    };
    let (files, folders, read_diagnostics) = (read.files, read.folders, read.diagnostics);
    let mut project = Project::load_owned(files, opts.clone());
    // names the revisions import from the project's own modules: read them (never run)
    // and load again with their constants
    let wanted = project.unresolved_imports();
    if !wanted.is_empty() {
        if let Some(root) = load::project_root(cli.project.as_deref(), &folders, &wanted) {
            opts.constants = load::project_constants(&root, &wanted);
            if !opts.constants.is_empty() {
                project = if opts.release_texts {
                    match load::read(source, &mut Context::default()) {
                        Ok(again) => Project::load_owned(again.files, opts.clone()),
                        Err(e) => {
                            eprintln!("alembic-planner: {e}");
                            return ExitCode::from(255);
                        }
                    }
                } else {
                    project.reload(opts.clone())
                };
            }
        }
    }
    project.diagnostics.splice(0..0, read_diagnostics);
    if cli.diagnostics {
        for d in &project.diagnostics {
            eprintln!("{}", ctx.display_diag_path(d));
        }
    }
    let g = run::Global {
        ctx: &ctx,
        dialect: cli.dialect.into(),
        transaction_per_migration: cli.transaction_per_migration,
    };
    let p = &project;
    let out: Output = match &cli.command {
        Command::History {
            rev_range,
            verbose,
            indicate_current,
        } => run::history(p, &g, rev_range.as_deref(), *verbose, *indicate_current),
        Command::Heads {
            verbose,
            resolve_dependencies,
        } => commands::heads(&p.map, &ctx, *verbose, *resolve_dependencies),
        Command::Branches { verbose } => commands::branches(&p.map, &ctx, *verbose),
        Command::Show { rev } => commands::show(&p.map, &ctx, rev),
        Command::Upgrade { revision, sql, .. } => run::migrate(p, &g, true, revision, *sql),
        Command::Downgrade { revision, sql, .. } => run::migrate(p, &g, false, revision, *sql),
        Command::Stamp {
            revisions,
            sql,
            purge,
            ..
        } => run::stamp(p, &g, revisions, *sql, *purge),
        Command::Plan {
            direction,
            range,
            from,
            format,
        } => run::plan(
            p,
            &g,
            *direction,
            range,
            from.as_deref().unwrap_or_default(),
            *format,
        ),
        Command::Ops { rev } => run::ops(p, rev),
        Command::Tables {
            by_revision,
            format,
        } => run::tables(p, &g, *by_revision, *format),
        Command::Graph => run::graph(p),
        Command::Export { format, title } => run::export(p, &g, *format, title.as_deref()),
        Command::Schema { at, since, format } => run::schema(p, &g, at, since.as_deref(), *format),
        Command::Coverage { format } => run::coverage(p, &g, *format),
        Command::Check => run::check(p, &g),
        Command::SingleHead => run::single_head(p, &ctx),
        Command::Lint {
            format,
            config,
            select,
            extend_select,
            ignore,
            postgresql_version,
            skip_before,
            ..
        } => lint::lint(
            p,
            &g,
            lint::LintArgs {
                format: *format,
                config: config.as_deref(),
                select,
                extend_select,
                ignore,
                postgresql_version: *postgresql_version,
                skip_before: skip_before.as_deref(),
                dialect_given: std::env::args()
                    .any(|a| a == "--dialect" || a.starts_with("--dialect=")),
            },
            versions_dirs.first().map(|p| p.as_path()),
        ),
        Command::Review {
            base,
            head,
            format,
            merge_rev_id,
        } => review::review(
            p,
            &g,
            review::ReviewArgs {
                base,
                head: head.as_deref(),
                format: *format,
                merge_rev_id: merge_rev_id.as_deref(),
            },
            &opts,
            script_dir.as_deref(),
            &ini,
            versions_dirs.first().map(|p| p.as_path()),
        ),
        Command::Merge {
            revisions,
            message,
            branch_label,
            rev_id,
            splice,
        } => review::merge(
            p,
            &versions_dirs,
            script_dir.as_deref(),
            &ini,
            review::MergeArgs {
                revisions,
                message: message.as_deref(),
                branch_labels: branch_label,
                rev_id: rev_id.as_deref(),
                splice: *splice,
            },
        ),
    };
    print!("{}", out.stdout);
    eprint!("{}", out.stderr);
    ExitCode::from(out.status as u8)
}
