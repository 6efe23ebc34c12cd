//! One program from its parts, written as a Python programmer writes one:
//! a scenario's template, the construct of a model (a loop, an executor or
//! a function of its own) put where the template maps its task, the values
//! filled in, and every part's imports in one block at the top.
//!
//! What a template may hold besides Python:
//! - `{{name}}`: a value (`literal::PyValue`);
//! - lines `{{#flag}}` … `{{/flag}}` (kept when the flag is set) and
//!   `{{^flag}}` … `{{/flag}}` (kept when it is not);
//! - a line `with {{pool}}:`, the model's executor (a model without one
//!   drops the line and runs its block in place);
//! - `{{map(task, ITEMS)}}`, the task mapped over the inputs by the model
//!   (alone on a line, a statement; else an expression of the results);
//! - `import` lines anywhere at the top level: they go to the import block.
use super::imports::{is_import, Imports};
use super::literal::{self, PyValue};

/// How a model runs the tasks: its comment for the reader, its imports and
/// its shape.
pub struct Construct {
    pub about: Vec<String>,
    pub imports: Vec<String>,
    pub shape: Shape,
}

pub enum Shape {
    /// A loop where the tasks are mapped: `list(map(task, ITEMS))`.
    Loop,
    /// An executor: the lines that open it, the last one `with … as pool:`
    /// (the others, its setup, run once at the start of the main block; a
    /// line `{{main}}` among them stands for the rest of the main block);
    /// `pool.map` maps.
    Executor(Vec<String>),
    /// A function of the model's own, defined before the main block, and how
    /// it is called (`{items}`: the inputs).
    Function { code: String, call: &'static str },
}

/// Which shape a model's template has.
pub enum Kind {
    Loop,
    Executor,
    /// Its function, called so (`{items}`: the inputs).
    Function(&'static str),
}

/// A model's template (its comment, its imports, then its code: nothing, an
/// executor's opening lines, or its function) as a construct.
pub fn construct(template: &str, kind: Kind) -> Construct {
    let parts = Parts::of(template);
    let shape = match kind {
        Kind::Loop => Shape::Loop,
        Kind::Executor => Shape::Executor(parts.body.lines().filter(|l| !l.trim().is_empty()).map(str::to_string).collect()),
        Kind::Function(call) => Shape::Function { code: parts.body.trim_end().to_string(), call },
    };
    Construct { about: parts.about, imports: parts.imports, shape }
}

/// The template's lines for these flags (see the module's comment).
pub fn sections(template: &str, flags: &[&str]) -> String {
    let mut kept: Vec<bool> = Vec::new();
    let mut out = String::with_capacity(template.len());
    for line in template.lines() {
        let marker = line.trim().strip_prefix("{{").and_then(|m| m.strip_suffix("}}"));
        match marker.map(|m| m.split_at(m.len().min(1))) {
            Some(("#", flag)) => kept.push(flags.contains(&flag)),
            Some(("^", flag)) => kept.push(!flags.contains(&flag)),
            Some(("/", _)) => {
                kept.pop();
            }
            _ if kept.iter().all(|k| *k) => {
                out.push_str(line);
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

/// The function a template maps over its inputs (`{{map(task, …)}}`).
pub fn mapped_function(template: &str) -> Option<&str> {
    let start = template.find("{{map(")? + "{{map(".len();
    template[start..].split(',').next().map(str::trim)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start().len()
}

fn indented(lines: &[String], indent: usize) -> impl Iterator<Item = String> + '_ {
    lines.iter().map(move |l| if l.is_empty() { String::new() } else { format!("{:indent$}{l}", "") })
}

/// The template with the construct in place of `with {{pool}}:` and
/// `{{map(…)}}`, its function before the main block, and its comment where
/// a reader first meets it.
pub fn apply(template: &str, construct: &Construct) -> String {
    let lines: Vec<&str> = template.lines().collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len() + 16);
    let mut about = Some(&construct.about);
    let mut dedent_below: Vec<usize> = Vec::new();
    // Where the main block is wrapped: its first line out, how far in it
    // goes, and the setup's lines after it.
    let mut wrapped: Option<(usize, usize, &[String])> = None;
    for (i, line) in lines.iter().enumerate() {
        let indent = indent_of(line);
        // Lines of a dropped `with` block run one level out.
        dedent_below.retain(|&level| line.trim().is_empty() || indent > level);
        let line: String = if line.trim().is_empty() { String::new() } else { line[4 * dedent_below.len()..].to_string() };
        let indent = indent_of(&line);
        if line.trim() == "with {{pool}}:" {
            match &construct.shape {
                Shape::Executor(open) => {
                    out.extend(indented(about.take().map(Vec::as_slice).unwrap_or_default(), indent));
                    out.extend(indented(&open[open.len() - 1..], indent));
                }
                _ => dedent_below.push(indent_of(lines[i])),
            }
            continue;
        }
        if line.starts_with("if __name__ == ") {
            match &construct.shape {
                Shape::Function { code, .. } => {
                    out.extend(about.take().into_iter().flatten().cloned());
                    out.extend(code.lines().map(str::to_string));
                    out.extend([String::new(), String::new()]);
                    out.push(line);
                }
                Shape::Executor(open) if open.len() > 1 => {
                    out.push(line);
                    out.extend(indented(about.take().map(Vec::as_slice).unwrap_or_default(), 4));
                    let setup = &open[..open.len() - 1];
                    match setup.iter().position(|l| l.trim() == "{{main}}") {
                        Some(at) => {
                            out.extend(indented(&setup[..at], 4));
                            wrapped = Some((out.len(), indent_of(&setup[at]), &setup[at + 1..]));
                        }
                        None => out.extend(indented(setup, 4)),
                    }
                }
                _ => out.push(line),
            }
            continue;
        }
        let Some((before, inner, after)) = map_call(&line) else {
            out.push(line);
            continue;
        };
        let (function, items) = inner.split_once(',').map(|(f, i)| (f.trim(), i.trim())).unwrap_or((inner, ""));
        let statement = before.trim().is_empty() && after.trim().is_empty();
        if let Shape::Loop = construct.shape {
            out.extend(indented(about.take().map(Vec::as_slice).unwrap_or_default(), indent));
        }
        match &construct.shape {
            Shape::Loop if statement => {
                out.push(format!("{before}for x in {items}:"));
                out.push(format!("{before}    {function}(x)"));
            }
            Shape::Loop => out.push(format!("{before}list(map({function}, {items})){after}")),
            Shape::Executor(_) => out.push(format!("{before}list(pool.map({function}, {items})){after}")),
            Shape::Function { call, .. } => out.push(format!("{before}{}{after}", call.replace("{items}", items))),
        }
    }
    // The main block is the template's last: all of it goes in.
    if let Some((first, by, after)) = wrapped {
        for line in out[first..].iter_mut().filter(|l| !l.is_empty()) {
            *line = format!("{:by$}{line}", "");
        }
        out.extend(indented(after, 4));
    }
    out.join("\n") + "\n"
}

/// A line's `{{map(…)}}`: what comes before it, its arguments, what after.
fn map_call(line: &str) -> Option<(&str, &str, &str)> {
    let start = line.find("{{map(")?;
    let end = start + line[start..].find(")}}")?;
    Some((&line[..start], &line[start + "{{map(".len()..end], &line[end + ")}}".len()..]))
}

/// The template with every placeholder filled; a list where it lands on a
/// line of its own making, laid out as `ruff format` would.
pub fn fill(template: &str, fills: &[(String, PyValue)]) -> String {
    let mut text = template.to_string();
    for (name, value) in fills {
        if let PyValue::Code(code) = value {
            text = text.replace(&format!("{{{{{name}}}}}"), code);
        }
    }
    let lists: Vec<(String, &Vec<String>)> = fills
        .iter()
        .filter_map(|(name, value)| if let PyValue::List(items) = value { Some((format!("{{{{{name}}}}}"), items)) } else { None })
        .collect();
    if lists.is_empty() {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (line, newline) = line.strip_suffix('\n').map_or((line, ""), |l| (l, "\n"));
        let mut line = line.to_string();
        for (placeholder, items) in &lists {
            while let Some(at) = line.find(placeholder.as_str()) {
                line = literal::list_in_line(&line[..at], items, &line[at + placeholder.len()..]);
            }
        }
        out.push_str(&line);
        out.push_str(newline);
    }
    out
}

/// A template's parts: its opening comment, its top-level imports, and the
/// rest (blank lines at its start dropped, never more than two in a row).
struct Parts {
    about: Vec<String>,
    imports: Vec<String>,
    body: String,
}

impl Parts {
    fn of(text: &str) -> Parts {
        let mut lines = text.lines().peekable();
        let mut about = Vec::new();
        while let Some(line) = lines.next_if(|l| l.starts_with('#')) {
            about.push(line.to_string());
        }
        let (mut imports, mut body) = (Vec::new(), String::new());
        let mut blanks = 0;
        for line in lines {
            if is_import(line) {
                imports.push(line.to_string());
                continue;
            }
            if line.trim().is_empty() {
                blanks += 1;
                continue;
            }
            if !body.is_empty() {
                body.push_str(&"\n".repeat(blanks.min(2)));
            }
            blanks = 0;
            body.push_str(line);
            body.push('\n');
        }
        Parts { about, imports, body }
    }
}

/// The program: `header` (comment lines), the template's opening comment,
/// every import of the template and of `more_imports` in one block, then
/// the template's code.
pub fn assemble(header: &[String], template: &str, more_imports: &[String]) -> String {
    let parts = Parts::of(template);
    let mut imports = Imports::default();
    for line in parts.imports.iter().chain(more_imports) {
        imports.add(line);
    }
    let mut out = String::new();
    for line in header {
        out.push_str(line);
        out.push('\n');
    }
    if !header.is_empty() && !parts.about.is_empty() {
        out.push_str("#\n");
    }
    for line in &parts.about {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&imports.render());
    // Two blank lines before a definition (or the comment above one), else one.
    let first_code = parts.body.lines().find(|l| !l.starts_with('#')).unwrap_or("");
    let defines = ["def ", "async def ", "class ", "@"].iter().any(|k| first_code.starts_with(k));
    out.push_str(if defines { "\n\n\n" } else { "\n\n" });
    out.push_str(&parts.body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_keep_the_lines_of_the_flags_set() {
        let template = "a\n{{#async}}\nb\n{{/async}}\n{{^async}}\nc\n{{/async}}\nd\n";
        assert_eq!(sections(template, &["async"]), "a\nb\nd\n");
        assert_eq!(sections(template, &[]), "a\nc\nd\n");
    }

    #[test]
    fn a_model_without_an_executor_runs_the_with_block_in_place() {
        let template = "if __name__ == \"__main__\":\n    with {{pool}}:\n        r = {{map(task, ITEMS)}}\n    print(r)\n";
        let serial = Construct { about: vec!["# one by one".into()], imports: vec![], shape: Shape::Loop };
        assert_eq!(
            apply(template, &serial),
            "if __name__ == \"__main__\":\n    # one by one\n    r = list(map(task, ITEMS))\n    print(r)\n"
        );
        let pool = Construct { about: vec!["# a pool".into()], imports: vec![], shape: Shape::Executor(vec!["with P() as pool:".into()]) };
        assert_eq!(
            apply(template, &pool),
            "if __name__ == \"__main__\":\n    # a pool\n    with P() as pool:\n        r = list(pool.map(task, ITEMS))\n    print(r)\n"
        );
        // Its setup runs once, at the start of the main block.
        let pool = Construct {
            about: vec!["# a pool".into()],
            imports: vec![],
            shape: Shape::Executor(vec!["c = 1".into(), "with P(c) as pool:".into()]),
        };
        assert_eq!(
            apply(template, &pool),
            "if __name__ == \"__main__\":\n    # a pool\n    c = 1\n    with P(c) as pool:\n        r = list(pool.map(task, ITEMS))\n    print(r)\n"
        );
        // A setup may wrap the rest of the main block.
        let open = ["with C() as c:", "    {{main}}", "print(c)", "with c.pool() as pool:"].map(String::from).to_vec();
        let wrapping = Construct { about: vec![], imports: vec![], shape: Shape::Executor(open) };
        assert_eq!(
            apply(template, &wrapping),
            "if __name__ == \"__main__\":\n    with C() as c:\n        with c.pool() as pool:\n            r = list(pool.map(task, ITEMS))\n        print(r)\n    print(c)\n"
        );
    }

    #[test]
    fn imports_go_to_one_block_at_the_top() {
        let template = "# about\nimport time\n\nX = 1\nimport asyncio\n\n\n\n\ndef f():\n    import os\n";
        assert_eq!(
            assemble(&["# header".into()], template, &["import time".into()]),
            "# header\n#\n# about\nimport asyncio\nimport time\n\nX = 1\n\n\ndef f():\n    import os\n"
        );
    }
}
