//! `alembic.ini`: the `[alembic]` section's keys, as configparser reads them.

/// The `[alembic]` section of an `alembic.ini`, as `(key, value)` pairs in file order
/// (continuation lines joined with `\n`; interpolation left to the caller).
pub fn ini_values(text: &str) -> Vec<(String, String)> {
    let mut section = String::new();
    let mut vals: Vec<(String, String)> = Vec::new();
    let mut last_key: Option<usize> = None;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('[') && t.ends_with(']') {
            section = t[1..t.len() - 1].trim().to_string();
            last_key = None;
            continue;
        }
        if section != "alembic" || t.is_empty() || t.starts_with('#') || t.starts_with(';') {
            continue;
        }
        if line.starts_with(char::is_whitespace) {
            if let Some(k) = last_key {
                vals[k].1.push('\n');
                vals[k].1.push_str(t);
            }
            continue;
        }
        if let Some((k, v)) = t.split_once(['=', ':']) {
            vals.push((k.trim().to_string(), v.trim().to_string()));
            last_key = Some(vals.len() - 1);
        }
    }
    vals
}

/// The value of `key` in `ini_values`' pairs (the last one given wins, as configparser's).
pub fn ini_get<'a>(vals: &'a [(String, String)], key: &str) -> Option<&'a str> {
    vals.iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// A true value in an ini file, as configparser's `getboolean` reads it.
pub fn ini_true(v: &str) -> bool {
    matches!(
        v.trim().to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}
