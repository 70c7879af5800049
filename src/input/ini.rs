//! `alembic.ini`: the `[alembic]` section's keys, as configparser reads them, and what
//! Alembic takes from them ([`AlembicIni`]). The CLI and the web app read it through here.

/// What Alembic takes from an `alembic.ini` to find the revision scripts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AlembicIni {
    /// `script_location`, `%(here)s` replaced.
    pub script_location: Option<String>,
    /// `version_locations`, split as `path_separator` (or the legacy
    /// `version_path_separator`) says, `%(here)s` replaced; empty when not given.
    pub version_locations: Vec<String>,
    /// `recursive_version_locations`.
    pub recursive: bool,
}

impl AlembicIni {
    /// Reads the `[alembic]` section; `here` replaces `%(here)s` (the folder holding the
    /// file, as the reader names it).
    pub fn parse(text: &str, here: &str) -> AlembicIni {
        let vals = ini_values(text);
        let get = |k: &str| ini_get(&vals, k).map(|v| v.replace("%(here)s", here));
        let version_locations = match get("version_locations") {
            None => Vec::new(),
            Some(v) => {
                let sep = get("path_separator").or_else(|| get("version_path_separator"));
                let parts: Vec<&str> = match sep.as_deref() {
                    Some("os") | Some("colon") => v.split(':').collect(),
                    Some("semicolon") => v.split(';').collect(),
                    Some("newline") => v.split('\n').collect(),
                    Some("space") => v.split(' ').collect(),
                    _ => v.split([' ', ',', '\n']).collect(),
                };
                parts
                    .iter()
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect()
            }
        };
        AlembicIni {
            script_location: get("script_location"),
            version_locations,
            recursive: get("recursive_version_locations").is_some_and(|v| ini_true(&v)),
        }
    }
}

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
