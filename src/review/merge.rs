//! The file `alembic merge` writes: its name (`file_template`, the message's slug) and its
//! text (the project's `script.py.mako`, or Alembic's default template), with Alembic's
//! checks and error texts. The shell supplies what the core may not read: the clock (the
//! create date) and the new revision id when none is given.

use serde::Serialize;

use super::template::{self, Context, TValue};
use crate::graph::walk::{Arg, Node, RevError};
use crate::graph::{AlembicFailure, RevisionMap};

/// Alembic's `script.py.mako` of its `generic`, `async`, `pyproject` and `pyproject_async`
/// templates (Alembic 1.20.1): what `alembic merge` renders when the project has none.
pub const DEFAULT_TEMPLATE: &str = include_str!("default_script.py.mako");

/// Characters Alembic refuses in a revision id (`Script.verify_rev_id`).
const ILLEGAL_REV_CHARS: [char; 4] = ['@', '-', '+', ':'];

/// When the file is created, as Python's `datetime.now()` holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreateDate {
    pub year: i32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub microsecond: u32,
    /// Seconds since the epoch (`%(epoch)s` in `file_template`).
    pub epoch: i64,
    /// `+00:00` when alembic.ini sets a `timezone`, printed after the time.
    pub utc_offset: Option<String>,
}

impl std::fmt::Display for CreateDate {
    /// `str(datetime)`: the microseconds only when not zero.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if self.microsecond != 0 {
            write!(f, ".{:06}", self.microsecond)?;
        }
        if let Some(o) = &self.utc_offset {
            f.write_str(o)?;
        }
        Ok(())
    }
}

/// What `alembic merge` is asked.
#[derive(Clone, Debug)]
pub struct MergeRequest {
    /// The revisions to merge as given (`heads`, or ids, labels, `label@head`).
    pub revisions: Vec<String>,
    /// `-m`; `None` is Alembic's "empty message".
    pub message: Option<String>,
    /// `--rev-id`, or the id the shell drew (`uuid4().hex[-12:]`).
    pub rev_id: String,
    pub branch_labels: Vec<String>,
    pub splice: bool,
    pub create_date: CreateDate,
    /// The project's `script.py.mako`, if it has one.
    pub template: Option<String>,
    /// alembic.ini's `file_template` (default `%(rev)s_%(slug)s`).
    pub file_template: Option<String>,
    /// alembic.ini's `truncate_slug_length` (default 40).
    pub truncate_slug_length: Option<usize>,
}

/// The merge revision's file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeFile {
    /// The file name inside the versions folder.
    pub file_name: String,
    pub text: String,
    pub revision: String,
    /// The revisions it merges, in the order Alembic writes them.
    pub merges: Vec<String>,
    /// Whether the project's own template was used (else Alembic's default).
    pub project_template: bool,
}

/// `alembic merge`: the file it would write, or its error.
pub fn merge_revision(map: &RevisionMap, req: &MergeRequest) -> Result<MergeFile, AlembicFailure> {
    let command = |m: String| AlembicFailure::Command(m);
    let mut illegal: Vec<char> = req
        .rev_id
        .chars()
        .filter(|c| ILLEGAL_REV_CHARS.contains(c))
        .collect();
    illegal.sort_unstable();
    illegal.dedup();
    if !illegal.is_empty() {
        return Err(command(format!(
            "Character(s) '{}' not allowed in revision identifier '{}'",
            illegal
                .iter()
                .map(char::to_string)
                .collect::<Vec<_>>()
                .join(", "),
            req.rev_id
        )));
    }
    let nodes = map
        .get_revisions(&Arg::Tuple(req.revisions.clone()))
        .map_err(|e| match e {
            RevError::MultipleHeads { .. } => command(
                "Multiple heads are present; please specify the head revision on which the new revision should be based, or perform a merge."
                    .into(),
            ),
            other => command(other.command_message(None, None, None)),
        })?;
    let mut heads = Vec::new();
    for n in &nodes {
        match n {
            Some(Node::Rev(i)) => heads.push(*i),
            _ => {
                return Err(command(
                    "the planner does not write a merge with `base`".into(),
                ))
            }
        }
    }
    let mut seen = heads.clone();
    seen.sort_unstable();
    seen.dedup();
    if seen.len() != heads.len() {
        return Err(command("Duplicate head revisions specified".into()));
    }
    if !req.splice {
        if let Some(&h) = heads.iter().find(|&&h| !map.revs[h].is_head()) {
            return Err(command(format!(
                "Revision {} is not a head revision; please specify --splice to create a new branch from this revision",
                map.revs[h].id
            )));
        }
    }
    let merges: Vec<String> = heads.iter().map(|&h| map.revs[h].id.clone()).collect();
    let message = req
        .message
        .clone()
        .unwrap_or_else(|| "empty message".into());
    let str_tuple =
        |v: &[String]| TValue::Tuple(v.iter().map(|s| TValue::Str(s.clone())).collect());
    let down = match merges.as_slice() {
        [] => TValue::None,
        [one] => TValue::Str(one.clone()),
        many => str_tuple(many),
    };
    let ctx: Context = [
        ("up_revision", TValue::Str(req.rev_id.clone())),
        ("down_revision", down),
        (
            "branch_labels",
            if req.branch_labels.is_empty() {
                TValue::None
            } else {
                str_tuple(&req.branch_labels)
            },
        ),
        ("depends_on", TValue::None),
        ("create_date", TValue::Date(req.create_date.to_string())),
        ("comma", TValue::Function("comma")),
        ("message", TValue::Str(message)),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let (source, project_template) = match &req.template {
        Some(t) => (t.as_str(), true),
        None => (DEFAULT_TEMPLATE, false),
    };
    let text = template::render(source, &ctx).map_err(|e| {
        AlembicFailure::Command(format!(
            "{}: {e}",
            if project_template {
                "script.py.mako"
            } else {
                "Alembic's default script.py.mako"
            }
        ))
    })?;
    Ok(MergeFile {
        file_name: file_name(req)?,
        text,
        revision: req.rev_id.clone(),
        merges,
        project_template,
    })
}

/// `ScriptDirectory._rev_path`: `file_template % {...}` + `.py`.
fn file_name(req: &MergeRequest) -> Result<String, AlembicFailure> {
    let limit = req.truncate_slug_length.unwrap_or(40);
    let words = slug_words(req.message.as_deref().unwrap_or(""));
    let mut slug = words.join("_").to_lowercase();
    if slug.chars().count() > limit {
        let cut: String = slug.chars().take(limit).collect();
        slug = match cut.rsplit_once('_') {
            Some((head, _)) => format!("{head}_"),
            None => format!("{cut}_"),
        };
    }
    let d = &req.create_date;
    let template = req.file_template.as_deref().unwrap_or("%(rev)s_%(slug)s");
    let value = |key: &str| -> Option<FormatArg> {
        Some(match key {
            "rev" => FormatArg::Str(req.rev_id.clone()),
            "slug" => FormatArg::Str(slug.clone()),
            "epoch" => FormatArg::Int(d.epoch),
            "year" => FormatArg::Int(d.year.into()),
            "month" => FormatArg::Int(d.month.into()),
            "day" => FormatArg::Int(d.day.into()),
            "hour" => FormatArg::Int(d.hour.into()),
            "minute" => FormatArg::Int(d.minute.into()),
            "second" => FormatArg::Int(d.second.into()),
            _ => return None,
        })
    };
    Ok(format!(
        "{}.py",
        percent_mapping(template, value).map_err(AlembicFailure::Crash)?
    ))
}

/// `re.findall(r"\w+", message)`: runs of Unicode letters, digits and underscores.
fn slug_words(message: &str) -> Vec<&str> {
    message
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .collect()
}

enum FormatArg {
    Str(String),
    Int(i64),
}

/// Python's `template % mapping` for the `%(name)s`, `%(name)d` and `%(name)0Nd` forms
/// `file_template`s use, and `%%`.
fn percent_mapping(
    template: &str,
    value: impl Fn(&str) -> Option<FormatArg>,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('%') {
            out.push('%');
            rest = r;
            continue;
        }
        let Some(r) = after.strip_prefix('(') else {
            return Err(format!(
                "TypeError: format requires a mapping (file_template {template:?})"
            ));
        };
        let close = r.find(')').ok_or_else(|| {
            format!("ValueError: incomplete format key (file_template {template:?})")
        })?;
        let key = &r[..close];
        let spec_end = r[close + 1..]
            .find(|c: char| c.is_ascii_alphabetic())
            .ok_or_else(|| format!("ValueError: incomplete format (file_template {template:?})"))?;
        let flags = &r[close + 1..close + 1 + spec_end];
        let conv = &r[close + 1 + spec_end..close + 2 + spec_end];
        let v = value(key).ok_or_else(|| format!("KeyError: '{key}'"))?;
        let width: usize = flags.trim_start_matches(['0', '.']).parse().unwrap_or(0);
        let zero = flags.starts_with('0') || flags.starts_with('.');
        let text = match (conv, v) {
            ("s", FormatArg::Str(s)) => s,
            ("s", FormatArg::Int(n)) => n.to_string(),
            ("d", FormatArg::Int(n)) => {
                if zero {
                    format!("{n:0width$}")
                } else {
                    format!("{n:width$}")
                }
            }
            ("d", FormatArg::Str(_)) => {
                return Err("TypeError: %d format: a real number is required, not str".into())
            }
            (other, _) => {
                return Err(format!(
                    "the conversion %{other} in file_template is not one the planner writes"
                ))
            }
        };
        out.push_str(&text);
        rest = &r[close + 2 + spec_end..];
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::project::Project;

    fn date() -> CreateDate {
        CreateDate {
            year: 2026,
            month: 11,
            day: 30,
            hour: 9,
            minute: 5,
            second: 7,
            microsecond: 120,
            epoch: 1_796_029_507,
            utc_offset: None,
        }
    }

    fn project() -> Project {
        let f = |rev: &str, down: &str| {
            (
                format!("{rev}_x.py"),
                format!("revision = '{rev}'\ndown_revision = {down}\ndef upgrade():\n    pass\ndef downgrade():\n    pass\n"),
            )
        };
        Project::from_texts(&[f("a1", "None"), f("b2", "'a1'"), f("c3", "'a1'")])
    }

    fn request(revisions: &[&str], message: Option<&str>) -> MergeRequest {
        MergeRequest {
            revisions: revisions.iter().map(|s| s.to_string()).collect(),
            message: message.map(String::from),
            rev_id: "m9".into(),
            branch_labels: vec![],
            splice: false,
            create_date: date(),
            template: None,
            file_template: None,
            truncate_slug_length: None,
        }
    }

    #[test]
    fn merges_heads_with_the_default_template() {
        let p = project();
        let m = merge_revision(&p.map, &request(&["heads"], Some("Join the two lines!"))).unwrap();
        assert_eq!(m.file_name, "m9_join_the_two_lines.py");
        assert!(m.text.starts_with("\"\"\"Join the two lines!\n\nRevision ID: m9\nRevises: b2, c3\nCreate Date: 2026-11-30 09:05:07.000120\n"));
        assert!(m
            .text
            .contains("down_revision: Union[str, Sequence[str], None] = ('b2', 'c3')\n"));
        assert!(m.text.contains("    pass\n"));
        let empty = merge_revision(&p.map, &request(&["c3", "b2"], None)).unwrap();
        assert_eq!(empty.file_name, "m9_.py");
        assert_eq!(empty.merges, ["c3", "b2"]);
        assert!(empty.text.starts_with("\"\"\"empty message\n"));
    }

    #[test]
    fn alembic_errors() {
        let p = project();
        let err = |r: &MergeRequest| merge_revision(&p.map, r).unwrap_err().message().to_string();
        assert_eq!(
            err(&request(&["b2", "b2"], None)),
            "Duplicate head revisions specified"
        );
        assert!(
            err(&request(&["a1", "b2"], None)).starts_with("Revision a1 is not a head revision")
        );
        assert_eq!(
            err(&request(&["zz"], None)),
            "Can't locate revision identified by 'zz'"
        );
        let mut bad = request(&["heads"], None);
        bad.rev_id = "a-b:c".into();
        assert_eq!(
            err(&bad),
            "Character(s) '-, :' not allowed in revision identifier 'a-b:c'"
        );
    }

    #[test]
    fn file_templates_and_long_slugs() {
        let p = project();
        let mut r = request(
            &["heads"],
            Some("a very long message that goes well past forty characters"),
        );
        assert_eq!(
            merge_revision(&p.map, &r).unwrap().file_name,
            "m9_a_very_long_message_that_goes_well_past_.py"
        );
        r.file_template = Some("%%(year)d_%(year)d_%(month).2d_%(day)02d-%(rev)s_%(slug)s".into());
        r.message = Some("x".into());
        assert_eq!(
            merge_revision(&p.map, &r).unwrap().file_name,
            "%(year)d_2026_11_30-m9_x.py"
        );
    }
}
