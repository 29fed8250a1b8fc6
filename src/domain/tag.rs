//! Tag patterns (`v{version}`, `{name}-v{version}`) and the ref-name rules
//! every name built from configuration must pass (SPEC §6.4).
//!
//! Git's own ref-name rules are not an injection defence (`v1;rm` is a valid
//! ref), so names are also held to an allow-list: letters, digits, `.`, `-`,
//! `_`, `/`, `+` and `@` (npm-style `create-vite@5.0.0`, `@scope/pkg@1.0.0`);
//! `@{` and a bare `@` stay refused, as git refuses them.

use super::version::Version;

/// A tag name template with `{version}` and optionally `{name}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagPattern {
    prefix: String,
    suffix: String,
}

/// A pattern or name that cannot be a tag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TagError(pub String);

impl TagPattern {
    /// Builds the pattern for the project or service `name`.
    ///
    /// `{version}` must appear exactly once; `{name}` is replaced by `name`.
    pub fn new(template: &str, name: &str) -> Result<Self, TagError> {
        if !template.contains("{version}") {
            return Err(TagError(format!("tag pattern `{template}` has no `{{version}}`")));
        }
        // One pass over the template: literal text, `{name}` and one `{version}`.
        let (mut prefix, mut suffix) = (String::new(), String::new());
        let mut seen_version = false;
        let mut rest = template;
        while let Some(i) = rest.find(['{', '}']) {
            let out = if seen_version { &mut suffix } else { &mut prefix };
            out.push_str(&rest[..i]);
            let tail = &rest[i..];
            if let Some(after) = tail.strip_prefix("{name}") {
                out.push_str(name);
                rest = after;
            } else if let Some(after) = tail.strip_prefix("{version}") {
                if seen_version {
                    return Err(TagError(format!(
                        "tag pattern `{template}` has `{{version}}` twice"
                    )));
                }
                seen_version = true;
                rest = after;
            } else {
                return Err(TagError(format!(
                    "tag pattern `{template}` has an unknown placeholder (known: `{{name}}`, `{{version}}`)"
                )));
            }
        }
        suffix.push_str(rest);
        // Any version is digits, dots and identifiers, so checking one sample
        // name checks them all.
        check_ref_name(&[prefix.as_str(), "1.0.0", suffix.as_str()].concat())?;
        Ok(Self { prefix, suffix })
    }

    /// Returns the tag name for `version` (build metadata left out).
    pub fn render(&self, version: &Version) -> String {
        format!("{}{}{}", self.prefix, version.without_build(), self.suffix)
    }

    /// Returns the version a tag name carries, if it matches the pattern.
    pub fn parse(&self, tag: &str) -> Option<Version> {
        let v = tag.strip_prefix(&self.prefix)?.strip_suffix(&self.suffix)?;
        if !v.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        Version::parse(v).ok()
    }

    /// Returns the pattern with `{name}` filled in (`curve-v{version}`).
    pub fn template(&self) -> String {
        format!("{}{{version}}{}", self.prefix, self.suffix)
    }

    /// Returns the literal text before `{version}` (to narrow a tag listing).
    pub fn prefix(&self) -> &str {
        &self.prefix
    }
}

/// One tag naming convention seen in a repository: the literal text
/// before a version (`v`, `release-`, nothing), as a pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Convention {
    /// The pattern (`{version}`, `release-{version}`).
    pub pattern: String,
    /// How many tags follow it.
    pub count: usize,
    /// Its tag with the highest version.
    pub newest: String,
    /// That tag's version.
    pub newest_version: Version,
}

/// Groups tag names by convention: each tag that is some literal text
/// followed by a version (`6.2.0`, `release-6.2.0`) counts for its text.
/// The most followed come first (of equal counts, the shorter text).
pub fn conventions<'a>(tags: impl IntoIterator<Item = &'a str>) -> Vec<Convention> {
    let mut counts: std::collections::HashMap<&str, (usize, Version, &str)> =
        std::collections::HashMap::new();
    for tag in tags {
        let found = tag
            .char_indices()
            .filter(|(i, c)| {
                c.is_ascii_digit() && (*i == 0 || !tag.as_bytes()[i - 1].is_ascii_digit())
            })
            .find_map(|(i, _)| Version::parse(&tag[i..]).ok().map(|v| (i, v)));
        if let Some((i, version)) = found {
            let entry = counts.entry(&tag[..i]).or_insert((0, version.clone(), tag));
            entry.0 += 1;
            if version > entry.1 {
                entry.1 = version;
                entry.2 = tag;
            }
        }
    }
    let mut out: Vec<(&str, (usize, Version, &str))> = counts.into_iter().collect();
    out.sort_by(|a, b| {
        b.1.0.cmp(&a.1.0).then_with(|| a.0.len().cmp(&b.0.len())).then(a.0.cmp(b.0))
    });
    out.into_iter()
        .map(|(prefix, (count, newest_version, newest))| Convention {
            pattern: format!("{prefix}{{version}}"),
            count,
            newest: newest.to_owned(),
            newest_version,
        })
        .collect()
}

/// Looks at tag names for the convention a repository uses (see
/// `conventions`): returns the most followed as a pattern (`{version}`,
/// `release-{version}`), how many tags follow it, and its newest tag.
pub fn suggest_pattern<'a>(
    tags: impl IntoIterator<Item = &'a str>,
) -> Option<(String, usize, String)> {
    conventions(tags).into_iter().next().map(|c| (c.pattern, c.count, c.newest))
}

/// Checks a tag or branch name against git's rules and relman's allow-list.
pub fn check_ref_name(name: &str) -> Result<(), TagError> {
    let bad = |why: &str| Err(TagError(format!("`{name}` cannot be a git ref name: {why}")));
    if name == "@" {
        return bad("git reserves a bare `@` (it means HEAD)");
    }
    if name.contains("@{") {
        return bad("`@{` is git's reflog syntax");
    }
    let bytes = name.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return bad("it is empty");
    };
    if first == b'/' || first == b'-' || last == b'/' || last == b'.' {
        return bad("it starts with `/` or `-`, or ends with `/` or `.`");
    }
    let mut prev = b'/';
    for (i, &b) in bytes.iter().enumerate() {
        if !(b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'/' | b'+' | b'@')) {
            let c = name[i..].chars().next().unwrap_or('?');
            return Err(TagError(format!(
                "`{name}` is refused: relman builds tag and branch names only from letters, digits, `.`, `-`, `_`, `/`, `+` and `@`, and `{c}` is none of them"
            )));
        }
        if (prev == b'.' && b == b'.') || (prev == b'/' && b == b'/' && i > 0) {
            return bad("it contains `..` or `//`");
        }
        if prev == b'/' && b == b'.' {
            return bad("a component starts with `.`");
        }
        if b == b'/' && bytes[..i].ends_with(b".lock") {
            return bad("a component ends with `.lock`");
        }
        prev = b;
    }
    if name.ends_with(".lock") {
        return bad("a component ends with `.lock`");
    }
    Ok(())
}

impl From<TagError> for crate::error::Error {
    fn from(e: TagError) -> Self {
        Self::input(e.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_and_parses() {
        let p = TagPattern::new("{name}-v{version}", "curve").unwrap();
        let v = Version::parse("2.0.0-rc.1").unwrap();
        assert_eq!(p.render(&v), "curve-v2.0.0-rc.1");
        assert_eq!(p.parse("curve-v2.0.0-rc.1"), Some(v));
        assert_eq!(p.parse("curve-service-v2.0.0"), None);
        assert_eq!(p.parse("curve-vx"), None);
    }

    #[test]
    fn refuses_bad_patterns_and_names() {
        assert!(TagPattern::new("release", "x").is_err());
        assert!(TagPattern::new("{version}-{version}", "x").is_err());
        assert!(TagPattern::new("{bogus}{version}", "x").is_err());
        assert!(TagPattern::new("v$(id){version}", "x").is_err());
        for bad in ["v1;rm", "a..b", ".hidden", "x.lock", "a b", "-x", "v1`id`"] {
            assert!(check_ref_name(bad).is_err(), "{bad}");
        }
        assert!(check_ref_name("release/2026.48.0+b1").is_ok());
    }

    #[test]
    fn the_tag_convention_is_read_from_the_tags() {
        let tags = ["6.1.0", "6.2.0", "6.2.0-beta.1", "create-vite@5.0.0", "nightly", "v1.0"];
        assert_eq!(suggest_pattern(tags), Some(("{version}".to_owned(), 3, "6.2.0".to_owned())));
        let tags = ["release-1.0.0", "release-1.1.0", "v2"];
        assert_eq!(suggest_pattern(tags).map(|s| s.0), Some("release-{version}".to_owned()));
        assert_eq!(suggest_pattern(["latest", "v1"]), None);
        let tags = ["v11.35.4", "v11.9.0", "44.39.2", "44.4.0", "44.10.0"];
        let found = conventions(tags);
        assert_eq!(
            found
                .iter()
                .map(|c| (c.pattern.as_str(), c.count, c.newest.as_str()))
                .collect::<Vec<_>>(),
            [("{version}", 3, "44.39.2"), ("v{version}", 2, "v11.35.4")]
        );
    }

    #[test]
    fn npm_style_names_with_at_are_tags() {
        for (template, name, tag) in [
            ("create-vite@{version}", "x", "create-vite@5.1.0"),
            ("@scope/pkg@{version}", "x", "@scope/pkg@5.1.0"),
            ("{name}@{version}", "plugin-legacy", "plugin-legacy@5.1.0"),
        ] {
            let p = TagPattern::new(template, name).unwrap();
            let v = Version::parse("5.1.0").unwrap();
            assert_eq!(p.render(&v), tag);
            assert_eq!(p.parse(tag), Some(v));
        }
        assert!(check_ref_name("@").is_err());
        assert!(check_ref_name("v1@{u}").is_err());
        assert!(TagPattern::new("x@{{version}", "x").is_err());
    }
}
