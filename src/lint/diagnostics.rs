//! The planner's own diagnostics as rules of the registry: each code the layers below
//! emit (a file Alembic cannot import, a missing revision, a foreign key to a table not
//! there yet) with what it means and what to do. They keep the severity the analysis gives
//! them and can be silenced or re-levelled like any rule (`severity.fk-missing-table =
//! "error"`). A test keeps this table and the codes the source emits the same.

/// (code, what it means, what to do).
pub const DIAGNOSTICS: &[(&str, &str, &str)] = &[
    ("archive-too-large", "The archive (or one of its files) is larger than the planner reads.", "Open the versions folder itself, or a smaller archive of it."),
    ("char-name-not-looked-up", "A string holds a `\\N{NAME}` escape; the web app does not carry Unicode's character-name tables (they would be a quarter of its download), so the string's value is unknown there and what uses it is not interpreted.", "Open the folder with the command-line tool, which reads every name; or write the character itself (or `\\uXXXX`)."),
    ("conditional-identifier", "`revision`, `down_revision`, `branch_labels` or `depends_on` is assigned inside an `if` or `try` block; which assignment Alembic sees depends on running the file.", "Assign the identifiers once, at module level, as `alembic revision` writes them."),
    ("duplicate-branch-label", "Two revisions declare the same branch label; Alembic refuses to build the map.", "Rename one of the labels."),
    ("duplicate-file", "The same revision file appears twice in the input (an archive listing it twice).", "Remove the copy."),
    ("duplicate-revision", "Two files declare the same revision id; Alembic warns and keeps the last one loaded.", "Give one of them a new id (`alembic revision` makes one) and fix its descendants' `down_revision`."),
    ("empty-down-revision", "`down_revision` contains an empty string; Alembic fails with `KeyError: ''`.", "Remove the empty string (use `None` for a base)."),
    ("empty-file", "A `.py` file in the versions folder is empty; Alembic skips it.", "Delete it, or write the revision."),
    ("evaluation-limit", "The file reaches one of the planner's bounds (nesting, loop length, string size); what comes after is not interpreted.", "Usually hostile or generated input; simplify the migration if it is real."),
    ("file-too-large", "The file is larger than the planner reads.", "Split the migration; a revision file this large is not reviewable."),
    ("fk-across-branches", "A foreign key points to a table created on another branch: nothing orders that branch's revision before this one.", "Add the creating revision to `depends_on`, or merge the branches first."),
    ("fk-missing-table", "A foreign key points to a table that does not exist at this revision (created later, on another branch, or never).", "Create the referenced table first, or depend on the revision that creates it."),
    ("illegal-revision-id", "A revision id Alembic refuses (`-`, `@`, `:` or a leading/trailing space), so it cannot be addressed on the command line.", "Use a plain identifier."),
    ("invalid-identifier", "`revision`, `down_revision`, `branch_labels` or `depends_on` holds a value of the wrong type (a number, a dict).", "Use strings, a tuple of strings, or `None`."),
    ("invalid-revision", "The file is not a revision Alembic would load (no `revision` variable).", "Move non-revision modules out of the versions folder, or add the identifiers."),
    ("legacy-revision-id", "The revision id is read from the file name, as old Alembic did; modern Alembic needs the `revision` variable.", "Add `revision = \"...\"` to the file."),
    ("missing-dependency", "`depends_on` names a revision or label that does not exist; Alembic fails to resolve it.", "Fix the id, or add the missing revision."),
    ("missing-down-revision", "The file has no `down_revision` variable; Alembic fails with AttributeError.", "Add `down_revision = None` (a base) or the parent's id."),
    ("missing-down-revision-target", "`down_revision` names a revision that does not exist (deleted, or on a branch not merged); Alembic fails with \"Revision ... referenced from ... is not present\".", "Restore the parent revision, or point `down_revision` at an existing one."),
    ("missing-migration-function", "The file defines no `upgrade()` or no `downgrade()`; Alembic fails when it needs it.", "Define both, even if `downgrade()` only raises."),
    ("missing-revision", "A revision named on the command line or in the map does not exist.", "Check the id (`alembic-planner history`)."),
    ("project-constant", "An identifier was read from the project's own source, without running it.", "Nothing to do; it says where the value came from."),
    ("python-refused", "Python refuses to compile the file (an error its parser accepts but the compiler does not); Alembic cannot import it.", "Fix the error at the line named."),
    ("python-syntax-error", "The file is not valid Python 3; Alembic cannot import it and every command fails.", "Fix the syntax at the line named (Python 2 `print` statements are the usual cause)."),
    ("revision-cycle", "Revisions descend from each other in a loop; Alembic cannot order them.", "Break the cycle by fixing one `down_revision`."),
    ("schema-column-exists", "The step adds a column the simulated table already has.", "Drop the duplicate step, or check which revision added it first."),
    ("schema-constraint-exists", "The step adds a constraint whose name the table already has.", "Use a new name, or drop the old constraint first."),
    ("schema-drop-referenced", "The step drops a table that other tables' foreign keys still reference; the database refuses (or cascades).", "Drop the foreign keys first."),
    ("schema-enum-exists", "The step creates an enum type that already exists.", "Use `checkfirst=True` or `create_type=False`, or drop the duplicate step."),
    ("schema-index-exists", "The step creates an index whose name already exists.", "Use a new name, `if_not_exists=True`, or drop the old index first."),
    ("schema-missing-column", "The step names a column the simulated table does not have at this revision.", "Check the column's name, and which revision adds it."),
    ("schema-missing-constraint", "The step drops a constraint the simulated table does not have.", "Check the name (naming conventions change it), or use `if_exists`."),
    ("schema-missing-enum", "The step drops an enum type that does not exist at this revision.", "Check the name, or use `checkfirst=True`."),
    ("schema-missing-index", "The step drops an index that does not exist at this revision.", "Check the name, or use `if_exists=True`."),
    ("schema-missing-table", "The step names a table that does not exist at this revision.", "Check the name, and which revision creates it."),
    ("schema-table-exists", "The step creates a table that already exists.", "Use a new name, or drop the duplicate step."),
    ("self-loop", "A revision names itself as its `down_revision` or dependency.", "Point it at its real parent."),
    ("sql-unparsed", "SQL in `op.execute` the planner could not parse; its effect on the schema is unknown.", "Nothing wrong in itself; the schema after it may be incomplete."),
    ("unreadable-archive", "The archive could not be read (not a zip or tar, or damaged).", "Open the folder itself, or re-create the archive."),
    ("unreadable-file", "A file could not be read as UTF-8 text (binary, or another encoding).", "Save it as UTF-8, or move it out of the versions folder."),
    ("unresolved-identifier", "An identifier (`revision`, `down_revision`, ...) is computed by code the planner does not run; it uses its best guess.", "Write the identifier as a literal, or give the planner the project's source (`--project`)."),
    ("unsafe-path", "An archive member's path leaves the archive (`..`, absolute); it is skipped.", "Re-create the archive from the versions folder."),
];

/// Whether `code` is one of the planner's diagnostics.
pub fn is_code(code: &str) -> bool {
    DIAGNOSTICS.iter().any(|(c, _, _)| *c == code)
}

/// The explanation of a diagnostic code, as Markdown.
pub fn explain(code: &str) -> Option<String> {
    let (c, what, fix) = DIAGNOSTICS.iter().find(|(c, _, _)| *c == code)?;
    Some(format!(
        "# {c}\n\nA diagnostic of the planner's own analysis.\n\n{what}\n\n## Fix\n\n{fix}\n"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every code the core's source emits is documented here, and nothing else.
    #[test]
    fn every_emitted_code_is_documented() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut emitted = std::collections::BTreeSet::new();
        let mut todo = vec![root];
        while let Some(d) = todo.pop() {
            for e in std::fs::read_dir(&d).unwrap().flatten() {
                let p = e.path();
                if p.is_dir() {
                    todo.push(p);
                } else if p.extension().is_some_and(|x| x == "rs") && !p.ends_with("diagnostics.rs")
                {
                    let text = std::fs::read_to_string(&p).unwrap();
                    // a code follows the constructor within a few lines
                    let lines: Vec<&str> = text.lines().collect();
                    for (i, l) in lines.iter().enumerate() {
                        if !(l.contains("Diagnostic::") || l.contains("contradiction(")) {
                            continue;
                        }
                        for w in lines.iter().skip(i).take(4) {
                            if let Some(code) = w.split('"').nth(1) {
                                if code.contains('-')
                                    && code.chars().all(|c| c.is_ascii_lowercase() || c == '-')
                                {
                                    emitted.insert(code.to_string());
                                    break;
                                }
                            }
                        }
                    }
                }
            }
        }
        let documented: std::collections::BTreeSet<String> =
            DIAGNOSTICS.iter().map(|(c, _, _)| c.to_string()).collect();
        let missing: Vec<_> = emitted.difference(&documented).collect();
        assert!(
            missing.is_empty(),
            "undocumented diagnostic codes: {missing:?}"
        );
        for (c, _, _) in DIAGNOSTICS {
            assert!(
                super::super::find_rule(c).is_none(),
                "`{c}` is both a diagnostic and a rule"
            );
        }
    }
}
