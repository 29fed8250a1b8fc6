//! Version ranges with npm semantics (SPEC §1.4).
//!
//! A range is alternatives separated by `||`; each alternative is
//! comparators separated by spaces or commas, all of which must hold.
//! Partial versions, `x`/`*` wildcards, `^`, `~` and hyphen ranges are
//! desugared into plain comparators exactly as npm does. A prerelease only
//! satisfies an alternative that names a prerelease of the same
//! `major.minor.patch`, so `>=1.4` never picks up `2.0.0-rc.1`.

use std::fmt;

use super::version::{Identifier, Version};

/// A range that could not be parsed, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid range `{input}`: {reason}")]
pub struct RangeError {
    /// The text that was read.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Comparator {
    op: Op,
    version: Version,
}

impl Comparator {
    fn test(&self, v: &Version) -> bool {
        let ord = v.cmp(&self.version);
        match self.op {
            Op::Lt => ord.is_lt(),
            Op::Le => ord.is_le(),
            Op::Gt => ord.is_gt(),
            Op::Ge => ord.is_ge(),
            Op::Eq => ord.is_eq(),
        }
    }
}

/// A parsed range: alternatives of comparator sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Range {
    text: String,
    /// `None` inside a set is the `*` comparator, which matches every release.
    sets: Vec<Vec<Option<Comparator>>>,
}

/// A partial version as ranges write it: `1`, `1.2`, `1.x`, `*`.
struct Partial {
    major: Option<u64>,
    minor: Option<u64>,
    patch: Option<u64>,
    pre: Vec<Identifier>,
}

impl Partial {
    fn parse(text: &str) -> Result<Self, String> {
        let text = text.strip_prefix('v').unwrap_or(text);
        let text = text.strip_prefix('=').unwrap_or(text);
        let text = text.split_once('+').map_or(text, |(t, _)| t);
        let (core, pre) = match text.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (text, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.len() > 3 || core.is_empty() {
            return Err(format!("`{text}` is not a version"));
        }
        let mut nums = [None; 3];
        let mut wild = false;
        for (i, p) in parts.iter().enumerate() {
            if matches!(*p, "x" | "X" | "*") {
                wild = true;
            } else if wild {
                return Err(format!("`{text}`: a number cannot follow a wildcard"));
            } else {
                nums[i] = Some(
                    super::version::parse_number(p).map_err(|why| format!("`{text}`: {why}"))?,
                );
            }
        }
        let pre = match pre {
            Some(pre) if nums.iter().all(Option::is_some) => {
                Version::parse(&format!("0.0.0-{pre}")).map_err(|e| e.reason)?.pre
            }
            Some(_) => return Err(format!("`{text}`: a prerelease needs a full version")),
            None => Vec::new(),
        };
        Ok(Self { major: nums[0], minor: nums[1], patch: nums[2], pre })
    }

    fn full(&self) -> Option<Version> {
        Some(Version {
            major: self.major?,
            minor: self.minor?,
            patch: self.patch?,
            pre: self.pre.clone(),
            build: Vec::new(),
        })
    }

    /// The lowest version the partial covers.
    fn floor(&self) -> Version {
        Version {
            major: self.major.unwrap_or(0),
            minor: self.minor.unwrap_or(0),
            patch: self.patch.unwrap_or(0),
            pre: self.pre.clone(),
            build: Vec::new(),
        }
    }

    /// The exclusive upper bound of a partial with a wildcard (`1.2` → `1.3.0-0`).
    fn ceiling(&self) -> Option<Version> {
        let zero = vec![Identifier::Numeric(0)];
        match (self.major, self.minor, self.patch) {
            (Some(ma), None, _) => Some(Version { pre: zero, ..Version::new(ma + 1, 0, 0) }),
            (Some(ma), Some(mi), None) => {
                Some(Version { pre: zero, ..Version::new(ma, mi + 1, 0) })
            }
            _ => None,
        }
    }
}

fn cmp(op: Op, version: Version) -> Option<Comparator> {
    Some(Comparator { op, version })
}

fn lower_pre0(v: Version) -> Version {
    Version { pre: vec![Identifier::Numeric(0)], ..v }
}

/// The comparator that matches nothing (npm's `<0.0.0-0`).
fn nothing() -> Option<Comparator> {
    cmp(Op::Lt, lower_pre0(Version::new(0, 0, 0)))
}

fn desugar(token: &str) -> Result<Vec<Option<Comparator>>, String> {
    let (op, rest) = ["~>", ">=", "<=", ">", "<", "=", "~", "^"]
        .iter()
        .find_map(|op| token.strip_prefix(op).map(|rest| (*op, rest)))
        .unwrap_or(("", token));
    let rest = rest.trim();
    let p = Partial::parse(if rest.is_empty() { "*" } else { rest })?;
    let any = p.major.is_none();
    Ok(match op {
        "^" => {
            if any {
                return Ok(vec![None]);
            }
            let lo = p.floor();
            let (ma, mi, pa) = (lo.major, lo.minor, lo.patch);
            let hi = if ma > 0 || p.minor.is_none() {
                Version::new(ma + 1, 0, 0)
            } else if mi > 0 || p.patch.is_none() {
                Version::new(0, mi + 1, 0)
            } else {
                Version::new(0, 0, pa + 1)
            };
            vec![cmp(Op::Ge, lo), cmp(Op::Lt, lower_pre0(hi))]
        }
        "~" | "~>" => {
            if any {
                return Ok(vec![None]);
            }
            let lo = p.floor();
            let hi = if p.minor.is_none() {
                Version::new(lo.major + 1, 0, 0)
            } else {
                Version::new(lo.major, lo.minor + 1, 0)
            };
            vec![cmp(Op::Ge, lo), cmp(Op::Lt, lower_pre0(hi))]
        }
        "" | "=" => match p.full() {
            Some(v) => vec![cmp(Op::Eq, v)],
            None if any => vec![None],
            None => {
                vec![cmp(Op::Ge, p.floor()), cmp(Op::Lt, p.ceiling().unwrap_or_else(|| p.floor()))]
            }
        },
        ">" => match (p.full(), any) {
            (Some(v), _) => vec![cmp(Op::Gt, v)],
            (None, true) => vec![nothing()],
            (None, false) => vec![cmp(Op::Ge, strip_pre(p.ceiling()))],
        },
        ">=" => match (p.full(), any) {
            (Some(v), _) => vec![cmp(Op::Ge, v)],
            (None, true) => vec![None],
            (None, false) => vec![cmp(Op::Ge, p.floor())],
        },
        "<" => match (p.full(), any) {
            (Some(v), _) => vec![cmp(Op::Lt, v)],
            (None, true) => vec![nothing()],
            (None, false) => vec![cmp(Op::Lt, lower_pre0(p.floor()))],
        },
        "<=" => match (p.full(), any) {
            (Some(v), _) => vec![cmp(Op::Le, v)],
            (None, true) => vec![None],
            (None, false) => vec![cmp(Op::Lt, p.ceiling().unwrap_or_else(|| p.floor()))],
        },
        _ => return Err(format!("unknown operator in `{token}`")),
    })
}

fn strip_pre(v: Option<Version>) -> Version {
    v.map(|v| Version { pre: Vec::new(), ..v }).unwrap_or_else(|| Version::new(0, 0, 0))
}

fn hyphen(lo: &str, hi: &str) -> Result<Vec<Option<Comparator>>, String> {
    let lo = Partial::parse(lo)?;
    let hi = Partial::parse(hi)?;
    let mut set = Vec::new();
    if lo.major.is_some() {
        set.push(cmp(Op::Ge, lo.floor()));
    }
    if hi.major.is_some() {
        set.push(match hi.full() {
            Some(v) => cmp(Op::Le, v),
            None => cmp(Op::Lt, hi.ceiling().unwrap_or_else(|| hi.floor())),
        });
    }
    if set.is_empty() {
        set.push(None);
    }
    Ok(set)
}

impl Range {
    /// Parses a range such as `>=1.4, <2`, `^1.2 || ~2.0.1`, `1.x` or `1.2 - 2.3.4`.
    pub fn parse(input: &str) -> Result<Self, RangeError> {
        let err = |reason: String| RangeError { input: input.to_owned(), reason };
        let mut sets = Vec::new();
        for alternative in input.split("||") {
            let alternative = alternative.replace(',', " ");
            let words: Vec<&str> = alternative.split_whitespace().collect();
            // Operators written apart from their version (`>= 1.2`) belong to it.
            let mut tokens: Vec<String> = Vec::new();
            let mut i = 0;
            while i < words.len() {
                let w = words[i];
                if w == "-" {
                    tokens.push(w.to_owned());
                } else if w.chars().all(|c| "<>=~^".contains(c)) {
                    let next = words
                        .get(i + 1)
                        .ok_or_else(|| err(format!("operator `{w}` has no version after it")))?;
                    tokens.push(format!("{w}{next}"));
                    i += 1;
                } else {
                    tokens.push(w.to_owned());
                }
                i += 1;
            }
            let set = match tokens.as_slice() {
                [] => vec![None],
                [lo, dash, hi] if dash == "-" => hyphen(lo, hi).map_err(err)?,
                _ => {
                    if tokens.iter().any(|t| t == "-") {
                        return Err(err("a hyphen range is `LOW - HIGH`".into()));
                    }
                    let mut set = Vec::new();
                    for t in &tokens {
                        set.extend(desugar(t).map_err(err)?);
                    }
                    set
                }
            };
            sets.push(set);
        }
        Ok(Self { text: input.trim().to_owned(), sets })
    }

    /// Tells whether `version` satisfies the range.
    pub fn satisfies(&self, version: &Version) -> bool {
        self.sets.iter().any(|set| {
            if !set.iter().flatten().all(|c| c.test(version)) {
                return false;
            }
            if !version.is_prerelease() {
                return true;
            }
            set.iter().flatten().any(|c| {
                c.version.is_prerelease()
                    && (c.version.major, c.version.minor, c.version.patch)
                        == (version.major, version.minor, version.patch)
            })
        })
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<RangeError> for crate::error::Error {
    fn from(e: RangeError) -> Self {
        Self::input(e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sat(range: &str, v: &str) -> bool {
        Range::parse(range).unwrap().satisfies(&Version::parse(v).unwrap())
    }

    #[test]
    fn spec_examples() {
        assert!(sat(">=1.4, <2", "1.4.0"));
        assert!(!sat(">=1.4, <2", "2.0.0"));
        assert!(!sat(">=1.4, <2", "1.5.0-rc.1"));
        assert!(sat("^1.2", "1.9.9"));
        assert!(sat("~1.2.3", "1.2.9"));
        assert!(!sat("~1.2.3", "1.3.0"));
        assert!(sat("=1.0.0", "1.0.0"));
        assert!(sat("1.x", "1.7.0"));
        assert!(sat("<1 || >=2.1", "2.1.0"));
        assert!(sat(">= 2.0.0", "2.1.0"));
    }

    #[test]
    fn rejects_bad_ranges() {
        for bad in [">=", "1.2.x.4", "abc", ">=1.2 - 3", "^1.x.2", "1.2.3-"] {
            assert!(Range::parse(bad).is_err(), "{bad:?} accepted");
        }
    }
}
