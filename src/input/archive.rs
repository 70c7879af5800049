//! `.zip` archives of a project or of its versions folder.

use super::files::{is_script_name, too_large, InputFile, MAX_FILE_BYTES};
use crate::base::Diagnostic;

/// Reads a `.zip` archive's files. Never fails: a damaged archive or an entry that cannot
/// be read becomes a diagnostic naming it; entries over [`MAX_FILE_BYTES`] are listed
/// with a diagnostic and not inflated.
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
    for i in 0..archive.len() {
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
        // not inflated; diagnosed as `select` would diagnose it (only revision scripts)
        if entry.size() > MAX_FILE_BYTES as u64 {
            if is_script_name(path.rsplit('/').next().unwrap_or(&path)) {
                diags.push(too_large(&path, entry.size()));
            }
            continue;
        }
        let mut buf = Vec::with_capacity(entry.size() as usize);
        match (&mut entry)
            .take(MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut buf)
        {
            Ok(_) => files.push(InputFile::new(path, buf)),
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
