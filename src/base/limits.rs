//! Every bound the analysis keeps, in one place. Hostile input is normal input: a folder
//! from a stranger may hold a file nested 10,000 levels deep, a string doubled 64 times,
//! a loop of a billion steps or a 5 GB archive entry. Each limit below ends such work with
//! a diagnostic naming file and line (the value becomes opaque, or the file is refused as
//! Python itself refuses it), and the rest of the project is still analysed.
//!
//! Where CPython has a limit of its own, the planner's is the same, so a file the planner
//! refuses is one Alembic cannot import either.

/// Bracket nesting CPython's parser accepts: 200 (`SyntaxError: too many nested
/// parentheses` beyond).
pub const MAX_NESTED_BRACKETS: usize = 200;

/// Indentation levels CPython's tokenizer accepts: 99 (`IndentationError: too many levels
/// of indentation` at 100).
pub const MAX_INDENT_LEVELS: usize = 99;

/// Links in one chain of operators, attribute accesses and calls (`"a" + "a" + ...`,
/// `a.b.c...`): CPython 3.11 compiles about 3,000 before `RecursionError: maximum
/// recursion depth exceeded during compilation`; the planner refuses a little earlier.
pub const MAX_EXPRESSION_CHAIN: usize = 2_900;

/// How deeply the partial evaluator follows nested expressions; a deeper part is opaque.
pub const MAX_EVAL_DEPTH: usize = 120;

/// How deeply the interpreter follows nested statements, helpers included (a helper's
/// body nests inside its call); a deeper block is opaque.
pub const MAX_STATEMENT_DEPTH: usize = 48;

/// How deeply helper functions of a file may call each other.
pub const MAX_HELPER_DEPTH: usize = 8;

/// How many re-exports (`from .base import X` in a package's `__init__`) a name of the
/// project is followed through, and how many rounds of the project's modules are read to
/// find them.
pub const MAX_ALIAS_HOPS: usize = 8;

/// How deeply a value may nest (lists in lists, calls in calls); a deeper one is opaque.
pub const MAX_VALUE_DEPTH: usize = 256;

/// The largest string or list (in bytes, counted as built) the evaluator makes.
pub const MAX_VALUE_BYTES: usize = 16 << 20;

/// What evaluating one file may build and copy in all, in bytes.
pub const MAX_FILE_EVAL_BYTES: u64 = 256 << 20;

/// Evaluation steps (expressions, statements, loop turns) one file may take.
pub const MAX_FILE_EVAL_STEPS: u64 = 1_000_000;

/// Operations (and unknown steps) one `upgrade()` or `downgrade()` may make; past it
/// the rest of the function is not interpreted. Real migrations make at most a few
/// thousand (a loop over a data list); a hostile loop made 844,000 lines of SQL.
pub const MAX_FUNCTION_STEPS: usize = 50_000;

/// The longest `range()` the evaluator lists.
pub const MAX_RANGE: i64 = 10_000;

/// Files larger than this are listed but not parsed.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// Entries of one archive the planner reads.
pub const MAX_ARCHIVE_ENTRIES: usize = 100_000;

/// Bytes one archive may inflate to, in all.
pub const MAX_ARCHIVE_BYTES: u64 = 512 << 20;

/// `1000000` → `1,000,000`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (k, c) in s.chars().enumerate() {
        if k > 0 && (s.len() - k).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A size for people: `1 MiB`, `64 MiB`, `512 KiB`.
pub fn bytes(n: u64) -> String {
    if n.is_multiple_of(1 << 20) {
        format!("{} MiB", n >> 20)
    } else {
        format!("{} KiB", n >> 10)
    }
}
