//! `.zip` archives of a project or of its versions folder.

use super::files::{intake, too_large, InputFile, Intake, MAX_FILE_BYTES};
use crate::base::limits::{MAX_ARCHIVE_BYTES, MAX_ARCHIVE_ENTRIES};
use crate::base::Diagnostic;

/// Reads a `.zip` archive's files. Never fails: a damaged archive or an entry that cannot
/// be read becomes a diagnostic naming it; only revision scripts and `alembic.ini` are
/// inflated (other entries are listed by path, see [`Intake`]), and scripts over
/// [`MAX_FILE_BYTES`] are diagnosed, not inflated; an archive of more than [`MAX_ARCHIVE_ENTRIES`]
/// entries or [`MAX_ARCHIVE_BYTES`] inflated (a zip bomb) is read up to that bound, with a
/// diagnostic. An entry's size is never taken from its header alone: inflating stops at
/// the bound whatever the header says.
pub fn read_zip(name: &str, bytes: &[u8]) -> (Vec<InputFile>, Vec<Diagnostic>) {
    use std::io::Read;
    let mut files = Vec::new();
    let mut diags = Vec::new();
    let mut archive = match zip::ZipArchive::new(std::io::Cursor::new(bytes)) {
        Ok(a) => a,
        Err(e) => {
            diags.push(Diagnostic::error(
                "unreadable-archive",
                name,
                0,
                format!("not a readable .zip archive: {e}"),
            ));
            return (files, diags);
        }
    };
    let mut inflated: u64 = 0;
    if archive.len() > MAX_ARCHIVE_ENTRIES {
        diags.push(Diagnostic::error(
            "archive-too-large",
            name,
            0,
            format!(
                "the archive holds {} entries; the planner reads the first {MAX_ARCHIVE_ENTRIES}",
                archive.len()
            ),
        ));
    }
    for i in 0..archive.len().min(MAX_ARCHIVE_ENTRIES) {
        let mut entry = match archive.by_index(i) {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error(
                    "unreadable-file",
                    &format!("{name}#{i}"),
                    0,
                    format!("archive entry cannot be read: {e}"),
                ));
                continue;
            }
        };
        if entry.is_dir() {
            continue;
        }
        let Some(path) = entry
            .enclosed_name()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
        else {
            diags.push(Diagnostic::warning(
                "unsafe-path",
                &entry
                    .name()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|_| format!("{name}#{i}")),
                0,
                "archive entry path leaves the archive (absolute or ..); skipped",
            ));
            continue;
        };
        if path.split('/').any(|c| c == "__MACOSX") {
            continue;
        }
        match intake(&path, entry.size()) {
            Intake::PathOnly => {
                files.push(InputFile::new(path, Vec::new()));
                continue;
            }
            Intake::TooLarge => {
                diags.push(too_large(&path, entry.size()));
                continue;
            }
            Intake::Read => {}
        }
        if inflated + entry.size() > MAX_ARCHIVE_BYTES {
            diags.push(Diagnostic::error(
                "archive-too-large",
                name,
                0,
                format!(
                    "the archive inflates to more than {} MiB; the planner stopped reading it at `{path}`",
                    MAX_ARCHIVE_BYTES >> 20
                ),
            ));
            break;
        }
        let mut buf = Vec::with_capacity((entry.size() as usize).min(MAX_FILE_BYTES));
        match (&mut entry)
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut buf)
        {
            // a header that understated the size: the entry is too large after all
            Ok(_) if buf.len() > MAX_FILE_BYTES => {
                if intake(&path, u64::MAX) == Intake::TooLarge {
                    diags.push(too_large(&path, buf.len() as u64));
                }
            }
            Ok(_) => {
                inflated += buf.len() as u64;
                files.push(InputFile::new(path, buf))
            }
            Err(e) => diags.push(Diagnostic::error(
                "unreadable-file",
                &path,
                0,
                format!("archive entry cannot be inflated: {e}"),
            )),
        }
    }
    (files, diags)
}
