//! Values written as Python literals the way `ruff format` (Black's style)
//! writes them, so a filled-in program is already formatted: strings in
//! double quotes unless that needs more escapes, lists on one line where
//! the line fits in 88 columns, else one item a line.
use crate::plan::ParamValue;

/// The line length of `ruff format` (and Black).
pub const LINE_LENGTH: usize = 88;

/// What fills a placeholder: Python source as it is, or a list literal laid
/// out by the line it lands on.
#[derive(Debug, Clone, PartialEq)]
pub enum PyValue {
    Code(String),
    List(Vec<String>),
}

impl From<String> for PyValue {
    fn from(code: String) -> Self {
        PyValue::Code(code)
    }
}

impl From<&str> for PyValue {
    fn from(code: &str) -> Self {
        PyValue::Code(code.to_string())
    }
}

/// A parameter's value as a Python literal.
pub fn param(value: &ParamValue) -> PyValue {
    match value {
        ParamValue::Bool(b) => if *b { "True" } else { "False" }.into(),
        ParamValue::Int(n) => PyValue::Code(n.to_string()),
        ParamValue::IntList(l) => PyValue::List(l.iter().map(i64::to_string).collect()),
        ParamValue::Text(t) => PyValue::Code(string(t)),
    }
}

/// A Python string literal of `text`: double quotes unless the text holds
/// more double than single quotes, control characters escaped (hex in lower
/// case), everything else as it is.
pub fn string(text: &str) -> String {
    let doubles = text.matches('"').count();
    let singles = text.matches('\'').count();
    let quote = if doubles > singles { '\'' } else { '"' };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || (0x7f..=0x9f).contains(&(c as u32)) => out.push_str(&format!("\\x{:02x}", c as u32)),
            // Line and paragraph separators end a line for some readers.
            '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// Columns a line takes, as `ruff format` counts them (East Asian wide
/// characters and emoji take two).
pub fn width(line: &str) -> usize {
    line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
}

/// `prefix` + the list + `suffix` on one line where it fits; else the list
/// opened on the first line, one item a line one level in (a trailing comma
/// after each where there are several), closed on the last.
pub fn list_in_line(prefix: &str, items: &[String], suffix: &str) -> String {
    let one_line = format!("{prefix}[{}]{suffix}", items.join(", "));
    if width(&one_line) <= LINE_LENGTH || items.is_empty() {
        return one_line;
    }
    let indent: String = prefix.chars().take_while(|c| *c == ' ').collect();
    let comma = if items.len() > 1 { "," } else { "" };
    let body: String = items.iter().map(|item| format!("{indent}    {item}{comma}\n")).collect();
    format!("{prefix}[\n{body}{indent}]{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_take_the_quotes_that_need_fewer_escapes() {
        assert_eq!(string("plain"), r#""plain""#);
        assert_eq!(string(r#"say "hi""#), r#"'say "hi"'"#);
        assert_eq!(string(r#"it's "x"#), r#""it's \"x""#);
        assert_eq!(string("a\\b\n\t\u{1b}\u{85}é\u{2028}"), r#""a\\b\n\t\x1b\x85é\u2028""#);
    }

    #[test]
    fn a_list_that_does_not_fit_takes_a_line_per_item() {
        let short = ["1".to_string(), "2".to_string()];
        assert_eq!(list_in_line("X = ", &short, ""), "X = [1, 2]");
        let long: Vec<String> = (0..20).map(|i| format!("{}", 1_000_000 + i)).collect();
        let text = list_in_line("LIMITS = ", &long, "  # c");
        assert!(text.starts_with("LIMITS = [\n    1000000,\n") && text.ends_with("    1000019,\n]  # c"), "{text}");
        let one = ["\"".to_string() + &"a".repeat(90) + "\""];
        assert_eq!(list_in_line("X = ", &one, ""), format!("X = [\n    {}\n]", one[0]));
    }
}
