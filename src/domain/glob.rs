//! The one glob relman's settings use: `*` matches any run of characters,
//! `/` included; everything else matches itself.

/// Tells whether `text` matches one of `patterns`.
pub fn any(text: &str, patterns: &[String]) -> bool {
    patterns.iter().any(|p| matches(p, text))
}

/// Tells whether `text` matches `pattern`.
pub fn matches(pattern: &str, text: &str) -> bool {
    glob(pattern.as_bytes(), text.as_bytes())
}

fn glob(p: &[u8], s: &[u8]) -> bool {
    match p.split_first() {
        None => s.is_empty(),
        // Runs of `*` are one `*`: keeps the search linear in practice.
        Some((b'*', rest)) if rest.first() == Some(&b'*') => glob(rest, s),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn star_matches_any_run() {
        assert!(matches("release/*", "release/1.x"));
        assert!(matches("*[bot]*", "dependabot[bot] <support@github.com>"));
        assert!(matches("v*-nightly", "v9.0.0-nightly"));
        assert!(!matches("main", "mainline"));
        assert!(matches("**", ""));
    }
}
