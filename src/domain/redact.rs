//! Secrets kept out of everything relman writes or shows (SPEC §6.4).
//!
//! A secret is the value of an environment variable whose name looks like
//! one (`*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*KEY*`). Text is redacted by
//! replacing each secret it contains with `[REDACTED]`. A multi-line value
//! (a private key) is also redacted line by line: a hook's output and the
//! terminal see it one line at a time, never whole.

/// What replaces a secret.
pub const REDACTED: &str = "[REDACTED]";

/// Values (or lines of values) shorter than this are left alone: they
/// would redact ordinary words.
const MIN_LEN: usize = 4;

/// Words that mark a variable as a secret when one is a whole segment of
/// its name (SPEC §6.4's `*TOKEN*`, `*SECRET*`, `*PASSWORD*`, `*KEY*`).
const SECRET_WORDS: &[&str] = &[
    "TOKEN",
    "TOKENS",
    "SECRET",
    "SECRETS",
    "PASSWORD",
    "PASSWORDS",
    "PASSWD",
    "KEY",
    "KEYS",
    "APIKEY",
    "PRIVATEKEY",
    "CREDENTIAL",
    "CREDENTIALS",
];

/// Tells whether an environment variable name looks like it holds a secret:
/// one of its segments (split at `_`, `-`, `.` and lower-to-upper case
/// changes) is a secret word. `GITHUB_TOKEN`, `AWS_SECRET_ACCESS_KEY` and
/// `npmAuthToken` are; `MONKEY_MODE` and `KEYBOARD_LAYOUT` are not.
pub fn is_secret_name(name: &str) -> bool {
    let mut segments: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            segments.push(std::mem::take(&mut current));
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            segments.push(std::mem::take(&mut current));
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_uppercase());
    }
    segments.push(current);
    segments.iter().any(|s| SECRET_WORDS.contains(&s.as_str()))
}

/// The secrets of an environment, found once and applied to many texts
/// (every line of a hook's output).
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    /// Whole values and their lines, longest first, so a whole value is
    /// replaced before any of its lines.
    texts: Vec<String>,
}

impl Secrets {
    /// Collects the secrets of `env` (name, value).
    pub fn from_env(env: &[(String, String)]) -> Self {
        let mut texts: Vec<String> = Vec::new();
        for (_, value) in env.iter().filter(|(name, _)| is_secret_name(name)) {
            if value.len() >= MIN_LEN {
                texts.push(value.clone());
            }
            if value.contains('\n') {
                texts.extend(
                    value
                        .lines()
                        .map(str::trim)
                        .filter(|line| line.len() >= MIN_LEN)
                        .map(str::to_owned),
                );
            }
        }
        texts.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        texts.dedup();
        Self { texts }
    }

    /// Tells whether there is nothing to redact.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// Returns `text` with every secret replaced by `[REDACTED]`.
    pub fn redact(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.texts {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED);
            }
        }
        out
    }
}

/// Replaces every value of a secret-looking variable in `env` (and every
/// line of a multi-line one) found in `text`.
pub fn redact(text: &str, env: &[(String, String)]) -> String {
    Secrets::from_env(env).redact(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn secret_names_are_matched_by_segment() {
        for name in [
            "GITHUB_TOKEN",
            "AWS_SECRET_ACCESS_KEY",
            "DB_PASSWORD",
            "npmAuthToken",
            "api-key",
            "KEY",
        ] {
            assert!(is_secret_name(name), "{name}");
        }
        for name in ["MONKEY_MODE", "KEYBOARD_LAYOUT", "HOME", "TOKENIZER_PATH", "PATH"] {
            assert!(!is_secret_name(name), "{name}");
        }
    }

    #[test]
    fn values_of_secret_names_only_are_redacted() {
        let env = env(&[("GITHUB_TOKEN", "ghp_abcdef"), ("HOME", "/root"), ("API_KEY", "abc")]);
        assert_eq!(
            redact("token ghp_abcdef in /root, abc", &env),
            "token [REDACTED] in /root, abc"
        );
    }

    #[test]
    fn a_multi_line_secret_is_redacted_whole_and_line_by_line() {
        let key =
            "-----BEGIN KEY-----\nAAAAsecretline1\n  BBBBsecretline2  \nok\n-----END KEY-----";
        let env = env(&[("DEPLOY_KEY", key)]);
        assert_eq!(redact(&format!("key: {key}."), &env), "key: [REDACTED].");
        assert_eq!(redact("AAAAsecretline1", &env), "[REDACTED]");
        assert_eq!(redact("> BBBBsecretline2 <", &env), "> [REDACTED] <");
        // Lines shorter than 4 bytes after trimming are ordinary words.
        assert_eq!(redact("ok then", &env), "ok then");
        assert_eq!(redact("-----END KEY-----", &env), "[REDACTED]");
    }

    #[test]
    fn a_secret_that_contains_another_is_replaced_whole() {
        let env = env(&[("A_TOKEN", "abcd"), ("B_TOKEN", "abcdefgh")]);
        assert_eq!(redact("x abcdefgh y abcd", &env), "x [REDACTED] y [REDACTED]");
        assert!(Secrets::from_env(&[]).is_empty());
    }
}
