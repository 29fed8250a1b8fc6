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

/// Looks at tag names for the convention a repository uses: for each tag
/// that is some literal text followed by a version (`6.2.0`,
/// `release-6.2.0`), the text; returns the most common as a pattern
/// (`{version}`, `release-{version}`), how many tags follow it, and one.
pub fn suggest_pattern<'a>(
    tags: impl IntoIterator<Item = &'a str>,
) -> Option<(String, usize, &'a str)> {
    let mut counts: std::collections::HashMap<&str, (usize, &str)> =
        std::collections::HashMap::new();
    for tag in tags {
        let start = tag
            .char_indices()
            .filter(|(i, c)| {
                c.is_ascii_digit() && (*i == 0 || !tag.as_bytes()[i - 1].is_ascii_digit())
            })
            .map(|(i, _)| i)
            .find(|&i| Version::parse(&tag[i..]).is_ok());
        if let Some(i) = start {
            let entry = counts.entry(&tag[..i]).or_insert((0, tag));
            entry.0 += 1;
        }
    }
    let (prefix, (count, example)) =
        counts.into_iter().max_by(|a, b| a.1.0.cmp(&b.1.0).then_with(|| b.0.cmp(a.0)))?;
    Some((format!("{prefix}{{version}}"), count, example))
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
        assert_eq!(suggest_pattern(tags), Some(("{version}".to_owned(), 3, "6.1.0")));
        let tags = ["release-1.0.0", "release-1.1.0", "v2"];
        assert_eq!(suggest_pattern(tags).map(|s| s.0), Some("release-{version}".to_owned()));
        assert_eq!(suggest_pattern(["latest", "v1"]), None);
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
