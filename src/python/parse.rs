//! Parsing a file, after a scan of its text for what CPython refuses to compile: brackets
//! nested more than 200 deep, 100 levels of indentation, or an expression chain so long
//! that its compiler runs out of recursion (`base::limits`). Such a file cannot be
//! imported, by Alembic or anyone; the planner parses it only up to the line where it
//! breaks (so its identifiers can still be read, as for any syntax error) and says why.
//! The scan is a loop over the text: it costs no stack, whatever the input.

use ruff_python_ast as ast;
use ruff_python_parser::{
    parse_unchecked, LexicalErrorType, Mode, ParseError, ParseErrorType, ParseOptions, Parsed,
};

use crate::base::limits::{MAX_EXPRESSION_CHAIN, MAX_INDENT_LEVELS, MAX_NESTED_BRACKETS};

/// Why Python refuses to compile a file, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refusal {
    /// 1-based line.
    pub line: u32,
    /// The exception CPython raises (`SyntaxError: too many nested parentheses`).
    pub error: String,
    /// Byte offset of the start of that line: the file is parsed up to here.
    pub offset: usize,
}

/// A parsed file: the syntax of its text (of its first part, when Python refuses it).
pub struct ParsedFile {
    pub parsed: Parsed<ast::Mod>,
    pub refused: Option<Refusal>,
}

/// Whether a parse error is only a `\N{NAME}` escape this build cannot look up: the web
/// app leaves Unicode's character-name tables out of its download
/// (vendor/unicode_names2/README.md), so there every name is unknown. Not a syntax error
/// of the file: the native build looks names up, and there an unknown one is Python's
/// own SyntaxError.
pub fn is_unlooked_char_name(e: &ParseError) -> bool {
    cfg!(target_arch = "wasm32")
        && matches!(
            e.error,
            ParseErrorType::Lexical(LexicalErrorType::UnicodeError)
        )
}

/// What the web app says of a `\N{NAME}` escape it cannot look up.
pub const UNLOOKED_CHAR_NAME: &str = "a `\\N{...}` character name, which the web app does not look up (Unicode's name tables are left out of its download; the command-line tool reads them)";

/// Why the value of a string literal the parser could not read is unknown.
pub fn invalid_string_reason() -> String {
    if cfg!(target_arch = "wasm32") {
        format!("a string holding {UNLOOKED_CHAR_NAME}, or an escape Python refuses")
    } else {
        "a string literal with an escape Python refuses".to_string()
    }
}

/// Why a statement holding parse error `e` is not interpreted.
pub fn unread_statement_reason(e: &ParseError) -> String {
    if is_unlooked_char_name(e) {
        format!("not interpreted: it holds {UNLOOKED_CHAR_NAME}")
    } else {
        format!(
            "not interpreted: the parser could not read this statement whole ({})",
            e.error
        )
    }
}

/// Parses a module, never failing and never recursing deeper than CPython would accept.
pub fn parse_module(text: &str) -> ParsedFile {
    let refused = refusal(text);
    let cut = refused.as_ref().map_or(text.len(), |r| r.offset);
    ParsedFile {
        parsed: parse_unchecked(&text[..cut], ParseOptions::from(Mode::Module)),
        refused,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quote {
    Single(u8),
    Triple(u8),
}

/// Where the scan is: in code (with the bracket depth it started at, for an f-string
/// placeholder), or in a string.
#[derive(Clone, Copy)]
enum Ctx {
    Code { base_depth: usize },
    Str { quote: Quote, fstring: bool },
}

/// The first thing CPython refuses in `text`, if any.
pub fn refusal(text: &str) -> Option<Refusal> {
    if surely_accepted(text.as_bytes()) {
        return None;
    }
    full_scan(text)
}

/// Whether counts over the whole text already rule out every refusal, without following
/// strings and brackets (a tenth of the full scan's time; most files): fewer opening
/// brackets than the nesting limit, no line indented as far as the indentation limit, and
/// fewer brackets, operators and words in all than the chain limit. Each bounds what the
/// full scan counts from above.
fn surely_accepted(b: &[u8]) -> bool {
    // per byte: an opening bracket (1), a link of a chain: bracket or operator (2), a
    // word's character (4)
    const CLASS: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut c = 0;
        while c < 256 {
            let x = c as u8;
            t[c] = match x {
                b'(' | b'[' | b'{' => 3,
                b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'|' | b'&' | b'^' | b'~' | b'<'
                | b'>' | b'.' | b'=' | b'!' => 2,
                _ if x.is_ascii_alphanumeric() || x == b'_' || x >= 0x80 => 4,
                _ => 0,
            };
            c += 1;
        }
        t
    };
    let (mut brackets, mut links, mut prev_word) = (0usize, 0usize, 0u8);
    for &c in b {
        let k = CLASS[c as usize];
        let word = k >> 2;
        brackets += (k & 1) as usize;
        links += ((k >> 1) & 1) as usize + (word & !prev_word & 1) as usize;
        prev_word = word;
    }
    // the widest indentation of any line (a line inside a string too: more, never less)
    let widest = b
        .split(|&c| c == b'\n' || c == b'\r')
        .map(|line| {
            let mut width = 0usize;
            for &c in line {
                match c {
                    b' ' | b'\x0c' => width += 1,
                    b'\t' => width = (width / 8 + 1) * 8,
                    _ => break,
                }
            }
            width
        })
        .max()
        .unwrap_or(0);
    brackets <= MAX_NESTED_BRACKETS && widest < MAX_INDENT_LEVELS && links <= MAX_EXPRESSION_CHAIN
}

/// [`refusal`] following the text as CPython's tokenizer does.
fn full_scan(text: &str) -> Option<Refusal> {
    let b = text.as_bytes();
    let mut i = 0usize;
    let mut line = 1u32;
    let mut line_start = 0usize;
    let mut stack: Vec<Ctx> = vec![Ctx::Code { base_depth: 0 }];
    // bracket depth, and the chain length of the innermost bracket level
    let mut depth = 0usize;
    let mut chains: Vec<usize> = vec![0];
    // indentation widths of the open blocks, and whether we are at a line's start
    let mut indents: Vec<usize> = vec![0];
    let mut at_line_start = true;
    // the last code token ended an operand (a name, number, string, closing bracket)
    let mut operand = false;
    let refuse = |line: u32, offset: usize, error: &str| {
        Some(Refusal {
            line,
            error: error.to_string(),
            offset,
        })
    };
    while i < b.len() {
        let c = b[i];
        match *stack.last()? {
            Ctx::Str { quote, fstring, .. } => {
                // the string's plain text in one go (most of a file's strings)
                let q = match quote {
                    Quote::Single(q) | Quote::Triple(q) => q,
                };
                let plain = b[i..]
                    .iter()
                    .position(|&x| x == q || x == b'\\' || x == b'\n' || (fstring && x == b'{'))
                    .unwrap_or(b.len() - i);
                if plain > 0 {
                    i += plain;
                    continue;
                }
                if c == b'\n' {
                    line += 1;
                    line_start = i + 1;
                }
                // a backslash escapes the next character, in raw strings too (r'\'' is a string)
                if c == b'\\' {
                    if b.get(i + 1) == Some(&b'\n') {
                        line += 1;
                        line_start = i + 2;
                    }
                    i += 2;
                    continue;
                }
                if fstring && c == b'{' {
                    if b.get(i + 1) == Some(&b'{') {
                        i += 2;
                        continue;
                    }
                    // a placeholder: code, as deep as a bracket
                    depth += 1;
                    chains.push(0);
                    if depth > MAX_NESTED_BRACKETS {
                        return refuse(
                            line,
                            line_start,
                            "SyntaxError: too many nested parentheses",
                        );
                    }
                    stack.push(Ctx::Code { base_depth: depth });
                    operand = false;
                    i += 1;
                    continue;
                }
                match quote {
                    Quote::Single(q) if c == q => {
                        stack.pop();
                        operand = true;
                    }
                    Quote::Single(_) if c == b'\n' => {
                        // an unterminated string ends at the line (the parser reports it)
                        stack.pop();
                        at_line_start = true;
                    }
                    Quote::Triple(q)
                        if c == q && b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q) =>
                    {
                        stack.pop();
                        operand = true;
                        i += 3;
                        continue;
                    }
                    _ => {}
                }
                i += 1;
            }
            Ctx::Code { base_depth } => {
                // indentation at the start of a logical line
                if at_line_start && depth == 0 {
                    let mut width = 0usize;
                    let mut j = i;
                    while j < b.len() && (b[j] == b' ' || b[j] == b'\t' || b[j] == b'\x0c') {
                        width = if b[j] == b'\t' {
                            (width / 8 + 1) * 8
                        } else {
                            width + 1
                        };
                        j += 1;
                    }
                    let blank = j >= b.len() || matches!(b[j], b'\n' | b'\r' | b'#');
                    if !blank {
                        while indents.len() > 1 && width < *indents.last()? {
                            indents.pop();
                        }
                        if width > *indents.last()? {
                            indents.push(width);
                            if indents.len() > MAX_INDENT_LEVELS + 1 {
                                return refuse(
                                    line,
                                    line_start,
                                    "IndentationError: too many levels of indentation",
                                );
                            }
                        }
                    }
                    // (a blank line's end sets it again)
                    at_line_start = false;
                    i = j;
                    continue;
                }
                let mut link = false;
                match c {
                    b'\r' if b.get(i + 1) != Some(&b'\n') => {
                        // an old Mac line end
                        line += 1;
                        line_start = i + 1;
                        if depth == 0 {
                            at_line_start = true;
                        }
                        operand = false;
                    }
                    b'\n' => {
                        line += 1;
                        line_start = i + 1;
                        if depth == 0 {
                            at_line_start = true;
                            if let Some(c) = chains.last_mut() {
                                *c = 0;
                            }
                        }
                        operand = false;
                    }
                    b'#' => {
                        while i < b.len() && b[i] != b'\n' {
                            i += 1;
                        }
                        continue;
                    }
                    b'\\' if b.get(i + 1) == Some(&b'\n') => {
                        line += 1;
                        line_start = i + 2;
                        i += 2;
                        continue;
                    }
                    b'(' | b'[' | b'{' => {
                        // a call or subscript of an operand makes the chain longer
                        link = operand && c != b'{';
                        if link {
                            if let Some(n) = chains.last_mut() {
                                *n += 1;
                                if *n > MAX_EXPRESSION_CHAIN {
                                    return refuse(line, line_start, "RecursionError: maximum recursion depth exceeded during compilation");
                                }
                            }
                        }
                        depth += 1;
                        if depth > MAX_NESTED_BRACKETS {
                            return refuse(
                                line,
                                line_start,
                                "SyntaxError: too many nested parentheses",
                            );
                        }
                        chains.push(0);
                        operand = false;
                        i += 1;
                        continue;
                    }
                    b')' | b']' | b'}' => {
                        if c == b'}' && depth == base_depth && stack.len() > 1 {
                            // the end of an f-string placeholder: back in the string
                            stack.pop();
                        }
                        depth = depth.saturating_sub(1);
                        if chains.len() > 1 {
                            chains.pop();
                        }
                        operand = true;
                        i += 1;
                        continue;
                    }
                    b',' | b';' | b':' => {
                        if let Some(n) = chains.last_mut() {
                            *n = 0;
                        }
                        operand = false;
                    }
                    b'=' if b.get(i + 1) != Some(&b'=') => {
                        if let Some(n) = chains.last_mut() {
                            *n = 0;
                        }
                        operand = false;
                    }
                    b'+' | b'-' | b'*' | b'/' | b'%' | b'@' | b'|' | b'&' | b'^' | b'~' | b'<'
                    | b'>' | b'.' | b'=' | b'!' => {
                        link = true;
                        operand = false;
                    }
                    b'\'' | b'"' => {
                        i = open_string(b, i, &mut stack, b"");
                        continue;
                    }
                    c if c.is_ascii_digit() => {
                        while i < b.len()
                            && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'.')
                        {
                            i += 1;
                        }
                        operand = true;
                        continue;
                    }
                    c if c.is_ascii_alphabetic() || c == b'_' || c >= 0x80 => {
                        let start = i;
                        while i < b.len()
                            && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] >= 0x80)
                        {
                            i += 1;
                        }
                        let word = &b[start..i];
                        // a string prefix (r, b, f, u and their pairs) right before a quote
                        if i < b.len()
                            && (b[i] == b'\'' || b[i] == b'"')
                            && word.len() <= 2
                            && word.iter().all(|x| b"rRbBfFuUtT".contains(x))
                        {
                            i = open_string(b, i, &mut stack, word);
                            continue;
                        }
                        if matches!(
                            word,
                            b"and" | b"or" | b"not" | b"is" | b"in" | b"if" | b"else"
                        ) {
                            operand = false;
                            if let Some(n) = chains.last_mut() {
                                *n += 1;
                                if *n > MAX_EXPRESSION_CHAIN {
                                    return refuse(line, line_start, "RecursionError: maximum recursion depth exceeded during compilation");
                                }
                            }
                        } else {
                            operand = true;
                        }
                        // `i` is past the word already
                        continue;
                    }
                    _ => {}
                }
                if link {
                    if let Some(n) = chains.last_mut() {
                        *n += 1;
                        if *n > MAX_EXPRESSION_CHAIN {
                            return refuse(line, line_start, "RecursionError: maximum recursion depth exceeded during compilation");
                        }
                    }
                }
                i += 1;
            }
        }
    }
    None
}

/// Opens a string at the quote `b[i]` with its prefix; returns where its text starts.
fn open_string(b: &[u8], i: usize, stack: &mut Vec<Ctx>, prefix: &[u8]) -> usize {
    let q = b[i];
    let triple = b.get(i + 1) == Some(&q) && b.get(i + 2) == Some(&q);
    let fstring = prefix
        .iter()
        .any(|c| matches!(c.to_ascii_lowercase(), b'f' | b't'));
    stack.push(Ctx::Str {
        quote: if triple {
            Quote::Triple(q)
        } else {
            Quote::Single(q)
        },
        fstring,
    });
    if triple {
        i + 3
    } else {
        i + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(text: &str) -> Option<(u32, String)> {
        refusal(text).map(|r| (r.line, r.error))
    }

    #[test]
    fn what_cpython_refuses() {
        let deep = |n: usize| format!("x = 1\ny = {}1{}\n", "(".repeat(n), ")".repeat(n));
        assert_eq!(refused(&deep(200)), None);
        assert_eq!(
            refused(&deep(201)),
            Some((2, "SyntaxError: too many nested parentheses".into()))
        );
        let calls = format!("z = {}1{}\n", "f(".repeat(5000), ")".repeat(5000));
        assert!(refused(&calls).is_some());
        let chain = |n: usize| format!("s = {}\n", vec!["'a'"; n].join(" + "));
        assert_eq!(refused(&chain(2000)), None);
        assert_eq!(
            refused(&chain(10_000)).map(|r| r.1),
            Some("RecursionError: maximum recursion depth exceeded during compilation".into())
        );
        let indent = |n: usize| {
            let mut s: String = (0..n)
                .map(|i| format!("{}if x:\n", " ".repeat(i)))
                .collect();
            s.push_str(&format!("{}pass\n", " ".repeat(n)));
            s
        };
        assert_eq!(refused(&indent(99)), None);
        assert_eq!(
            refused(&indent(100)).map(|r| r.1),
            Some("IndentationError: too many levels of indentation".into())
        );
    }

    #[test]
    fn brackets_in_strings_and_comments_do_not_count() {
        let s = format!(
            "a = '{0}'\nb = \"\"\"{0}\n{0}\"\"\"\n# {0}\nc = r'\\'{0}'\nd = [{{'k': (1, 2)}}]\n",
            "(".repeat(500)
        );
        assert_eq!(refused(&s), None);
        // an f-string's placeholders are code
        let f = format!("e = f'{{{}1{}}}'\n", "(".repeat(250), ")".repeat(250));
        assert!(refused(&f).is_some());
        assert_eq!(refused("g = f'{{literal}} {x[0]:>10}'\n"), None);
    }

    #[test]
    fn the_quick_count_never_accepts_what_the_full_scan_refuses() {
        let cases = [
            format!("x = {}1{}\n", "(".repeat(201), ")".repeat(201)),
            format!("s = {}\n", vec!["'a'"; 3000].join(" + ")),
            format!("z = {}1{}\n", "f(".repeat(1500), ")".repeat(1500)),
            (0..100)
                .map(|i| format!("{}if x:\n", " ".repeat(i)))
                .collect::<String>()
                + &" ".repeat(100)
                + "pass\n",
            format!("y = a{}\n", ".b".repeat(3000)),
            format!("w = x{}\n", " or x".repeat(3000)),
        ];
        for text in &cases {
            assert!(full_scan(text).is_some(), "{}", &text[..60.min(text.len())]);
            assert!(
                !surely_accepted(text.as_bytes()),
                "{}",
                &text[..60.min(text.len())]
            );
        }
        // and what it accepts at once, the full scan accepts
        let sample =
            include_str!("../../migrations-sample/versions/0f2e4d6c8b1a_create_saved_searches.py");
        assert!(surely_accepted(sample.as_bytes()));
        assert_eq!(full_scan(sample), None);
    }

    #[test]
    fn a_refused_file_is_parsed_up_to_its_line() {
        let text = format!(
            "revision = 'a1'\ndown_revision = None\ndef upgrade():\n    x = {}1{}\n",
            "[".repeat(300),
            "]".repeat(300)
        );
        let p = parse_module(&text);
        let r = p.refused.expect("refused");
        assert_eq!(r.line, 4);
        assert_eq!(
            &text[..r.offset],
            "revision = 'a1'\ndown_revision = None\ndef upgrade():\n"
        );
    }
}
