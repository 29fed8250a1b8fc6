//! Release notes rendered from a minijinja template: the built-in
//! `changelog`, `release-notes` and `announcement`, or a user's own file.
//!
//! The environment is a sandbox: no loader, so `include`/`import` reach
//! only the built-in templates, and minijinja has no function that runs a
//! command or reads a file. Undefined names are errors (a typo is reported,
//! not printed as nothing), and a fuel budget stops a template that loops
//! without end.

use minijinja::{Environment, UndefinedBehavior};
use serde::Serialize;

use crate::domain::changelog::Entry;
use crate::error::{Error, Location, Result};

/// The built-in templates: name and source.
pub const BUILT_IN: [(&str, &str); 3] = [
    ("changelog", include_str!("templates/changelog.md.j2")),
    ("release-notes", include_str!("templates/release-notes.md.j2")),
    ("announcement", include_str!("templates/announcement.md.j2")),
];

/// One release as a template sees it.
#[derive(Debug, Serialize)]
pub struct Release<'a> {
    /// The version these notes are for (`None`: unreleased, nothing to release).
    pub version: Option<&'a str>,
    /// Its tag, `None` until released.
    pub tag: Option<&'a str>,
    /// The version before it.
    pub previous: Option<&'a str>,
    /// The release date (`YYYY-MM-DD`), today's for unreleased notes.
    pub date: Option<&'a str>,
    /// The non-empty sections, in print order.
    pub sections: Vec<Section<'a>>,
    /// Every entry, newest first.
    pub entries: &'a [Entry],
}

/// One section of a release.
#[derive(Debug, Serialize)]
pub struct Section<'a> {
    /// The heading.
    pub title: &'a str,
    /// Its entries, newest first.
    pub entries: Vec<&'a Entry>,
}

/// Groups `entries` into the non-empty sections of `order`.
pub fn sections<'a>(entries: &'a [Entry], order: &[&'a str]) -> Vec<Section<'a>> {
    order
        .iter()
        .map(|title| Section {
            title,
            entries: entries.iter().filter(|e| e.section == *title).collect(),
        })
        .filter(|s| !s.entries.is_empty())
        .collect()
}

/// What a template is given: the newest release's fields at the top level,
/// and every release (one, unless `all`).
#[derive(Debug, Serialize)]
pub struct Context<'a> {
    /// The project or service name.
    pub name: &'a str,
    /// `notes --all`: the whole history, one release per tag.
    pub all: bool,
    /// The newest release.
    #[serde(flatten)]
    pub release: &'a Release<'a>,
    /// Every release, newest first.
    pub releases: &'a [Release<'a>],
}

/// Where a template comes from.
#[derive(Debug)]
pub struct Source {
    /// How errors name it: the built-in's name or the file's path.
    pub name: String,
    /// The template text.
    pub text: String,
}

impl Source {
    /// Returns the built-in template `name`, if there is one.
    pub fn built_in(name: &str) -> Option<Self> {
        BUILT_IN
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(n, text)| Self { name: (*n).to_owned(), text: (*text).to_owned() })
    }
}

/// Renders `source` with `context`. A syntax or render error is bad input
/// (exit 2) naming the template, line and column.
pub fn render(source: &Source, context: &Context<'_>) -> Result<String> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .keep_trailing_newline(true)
        .build()
        .map_err(|e| Error::input(format!("template: {e}")))?;
    env.set_syntax(syntax);
    env.set_debug(true);
    // Generous for any history (a few instructions per entry), finite for
    // a loop without end.
    let entries: usize = context.releases.iter().map(|r| r.entries.len()).sum();
    env.set_fuel(Some(10_000_000 + 1_000 * entries as u64));
    for (name, text) in BUILT_IN {
        env.add_template(name, text).map_err(|e| located(&e, name, text))?;
    }
    let name = source.name.as_str();
    if !BUILT_IN.iter().any(|(n, _)| *n == name) {
        env.add_template(name, &source.text).map_err(|e| located(&e, name, &source.text))?;
    }
    let template = env.get_template(name).map_err(|e| located(&e, name, &source.text))?;
    template.render(minijinja::Value::from(minijinja::value::Serde(context))).map_err(|e| {
        let in_name = e.name().unwrap_or(name).to_owned();
        let text =
            BUILT_IN.iter().find(|(n, _)| *n == in_name).map_or(source.text.as_str(), |t| t.1);
        located(&e, &in_name, text)
    })
}

/// Turns a minijinja error into relman's, with the line and column.
fn located(e: &minijinja::Error, name: &str, text: &str) -> Error {
    let detail = e.detail().map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind()));
    let error = Error::input(format!("template: {detail}"));
    let Some(line) = e.line() else { return error.at(Location::file(name)) };
    let column = e
        .range()
        .and_then(|r| text.get(..r.start))
        .map_or(1, |before| before.rsplit('\n').next().unwrap_or_default().chars().count() + 1);
    error.at(Location::new(name, line as u64, column as u64))
}
