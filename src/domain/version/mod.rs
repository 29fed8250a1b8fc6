//! Semantic versions: parsing, SemVer 2.0.0 precedence and bump levels.
//!
//! Bumps follow npm's `semver.inc` exactly (SPEC §3.1), because that is the
//! behaviour most release engineers already know: `prerelease` on `1.2.3`
//! gives `1.2.4-0`, `major` on `2.0.0-rc.1` gives `2.0.0`, build metadata is
//! dropped by every bump. Precedence ignores build metadata.

use std::cmp::Ordering;
use std::fmt;

/// A version that does not follow SemVer 2.0.0, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid version `{input}`: {reason}")]
pub struct VersionError {
    /// The text that was read.
    pub input: String,
    /// What is wrong with it.
    pub reason: String,
}

/// One dot-separated prerelease identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Identifier {
    /// Digits only, compared numerically.
    Numeric(u64),
    /// Anything else, compared in ASCII order.
    Alpha(String),
}

impl Identifier {
    fn parse(text: &str) -> Result<Self, String> {
        if text.is_empty() {
            return Err("empty prerelease identifier".into());
        }
        if let Some(c) = text.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
            return Err(format!("`{c}` is not allowed in identifier `{text}`"));
        }
        if text.bytes().all(|b| b.is_ascii_digit()) {
            if text.len() > 1 && text.starts_with('0') {
                return Err(format!("numeric identifier `{text}` has a leading zero"));
            }
            return text
                .parse()
                .map(Identifier::Numeric)
                .map_err(|_| format!("numeric identifier `{text}` is too large"));
        }
        Ok(Self::Alpha(text.to_owned()))
    }
}

impl Ord for Identifier {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (Self::Numeric(a), Self::Numeric(b)) => a.cmp(b),
            (Self::Numeric(_), Self::Alpha(_)) => Ordering::Less,
            (Self::Alpha(_), Self::Numeric(_)) => Ordering::Greater,
            (Self::Alpha(a), Self::Alpha(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for Identifier {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Numeric(n) => write!(f, "{n}"),
            Self::Alpha(s) => f.write_str(s),
        }
    }
}

/// A SemVer 2.0.0 version.
///
/// `Eq` and `Ord` follow precedence: build metadata is ignored, so
/// `1.0.0+a == 1.0.0+b`.
#[derive(Debug, Clone)]
pub struct Version {
    /// Major number.
    pub major: u64,
    /// Minor number.
    pub minor: u64,
    /// Patch number.
    pub patch: u64,
    /// Prerelease identifiers; empty for a release.
    pub pre: Vec<Identifier>,
    /// Build metadata identifiers, kept for display only.
    pub build: Vec<String>,
}

/// The bump levels of SPEC §3.1, npm `semver.inc` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// `x.0.0`.
    Major,
    /// `x.y.0`.
    Minor,
    /// `x.y.z`.
    Patch,
    /// Next prerelease, or a new prerelease of the next patch.
    Prerelease,
    /// A new prerelease of the next major.
    Premajor,
    /// A new prerelease of the next minor.
    Preminor,
    /// A new prerelease of the next patch.
    Prepatch,
    /// Drops the prerelease.
    Release,
}

impl Level {
    /// Every level, in the order the CLI lists them.
    pub const ALL: [Self; 8] = [
        Self::Major,
        Self::Minor,
        Self::Patch,
        Self::Prerelease,
        Self::Premajor,
        Self::Preminor,
        Self::Prepatch,
        Self::Release,
    ];

    /// Returns the level's name as written on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Major => "major",
            Self::Minor => "minor",
            Self::Patch => "patch",
            Self::Prerelease => "prerelease",
            Self::Premajor => "premajor",
            Self::Preminor => "preminor",
            Self::Prepatch => "prepatch",
            Self::Release => "release",
        }
    }

    /// Parses a level name.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.as_str() == text)
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Version {
    /// Returns `major.minor.patch` with no prerelease or build.
    pub const fn new(major: u64, minor: u64, patch: u64) -> Self {
        Self { major, minor, patch, pre: Vec::new(), build: Vec::new() }
    }

    /// Parses a SemVer 2.0.0 version; a leading `v` is accepted, as git tags
    /// and npm both write it.
    pub fn parse(input: &str) -> Result<Self, VersionError> {
        // Fast path: plain `X.Y.Z`, by far the most common tag (a large
        // repository holds thousands of them and `next` reads them all).
        if let Some(v) = Self::parse_plain(input.as_bytes()) {
            return Ok(v);
        }
        let err = |reason: String| VersionError { input: input.to_owned(), reason };
        let text = input.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        if text.is_empty() {
            return Err(err("empty version".into()));
        }
        let (rest, build) = match text.split_once('+') {
            Some((rest, build)) => (rest, Some(build)),
            None => (text, None),
        };
        let (core, pre) = match rest.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (rest, None),
        };
        let numbers: Vec<&str> = core.split('.').collect();
        if numbers.len() != 3 {
            return Err(err(format!(
                "expected MAJOR.MINOR.PATCH, found {} part{}",
                numbers.len(),
                if numbers.len() == 1 { "" } else { "s" }
            )));
        }
        let mut parsed = [0_u64; 3];
        for (slot, (text, name)) in
            parsed.iter_mut().zip(numbers.iter().zip(["major", "minor", "patch"]))
        {
            *slot = parse_number(text).map_err(|why| err(format!("{name} {why}")))?;
        }
        let pre = match pre {
            Some(pre) => {
                pre.split('.').map(Identifier::parse).collect::<Result<_, _>>().map_err(err)?
            }
            None => Vec::new(),
        };
        let build = match build {
            Some(build) => build
                .split('.')
                .map(|id| {
                    if id.is_empty() {
                        Err(err("empty build identifier".into()))
                    } else if let Some(c) =
                        id.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
                    {
                        Err(err(format!("`{c}` is not allowed in build metadata")))
                    } else {
                        Ok(id.to_owned())
                    }
                })
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        Ok(Self { major: parsed[0], minor: parsed[1], patch: parsed[2], pre, build })
    }

    /// Parses exactly `X.Y.Z` (no `v`, prerelease or build), or gives up.
    fn parse_plain(bytes: &[u8]) -> Option<Self> {
        let mut parts = [0u64; 3];
        let mut index = 0;
        let mut digits = 0;
        let mut leading_zero = false;
        for &b in bytes {
            match b {
                b'0'..=b'9' => {
                    if digits == 1 && leading_zero {
                        return None;
                    }
                    leading_zero = digits == 0 && b == b'0';
                    digits += 1;
                    if digits > 15 {
                        return None;
                    }
                    parts[index] = parts[index] * 10 + u64::from(b - b'0');
                }
                b'.' if digits > 0 && index < 2 => {
                    index += 1;
                    digits = 0;
                }
                _ => return None,
            }
        }
        (index == 2 && digits > 0).then(|| Self::new(parts[0], parts[1], parts[2]))
    }

    /// Tells whether this is a prerelease.
    pub fn is_prerelease(&self) -> bool {
        !self.pre.is_empty()
    }

    /// Returns the same version without build metadata.
    pub fn without_build(&self) -> Self {
        Self { build: Vec::new(), ..self.clone() }
    }

    /// Returns the version `level` leads to, with npm `semver.inc` semantics.
    ///
    /// `pre` is the prerelease identifier (`--pre rc`). Build metadata is
    /// always dropped. Fails only for `release` on a version that is not a
    /// prerelease, and for an invalid identifier.
    pub fn bump(&self, level: Level, pre: Option<&str>) -> Result<Self, VersionError> {
        if let Some(id) = pre {
            let valid = Identifier::parse(id).is_ok() && !id.contains('.');
            if !valid {
                return Err(VersionError {
                    input: id.to_owned(),
                    reason: "not a valid prerelease identifier (letters, digits and `-`)".into(),
                });
            }
        }
        let mut v = self.without_build();
        match level {
            Level::Premajor => {
                v.pre.clear();
                v.patch = 0;
                v.minor = 0;
                v.major = checked_inc(v.major, &v)?;
                v.inc_pre(pre)?;
            }
            Level::Preminor => {
                v.pre.clear();
                v.patch = 0;
                v.minor = checked_inc(v.minor, &v)?;
                v.inc_pre(pre)?;
            }
            Level::Prepatch => {
                v.pre.clear();
                v.patch = checked_inc(v.patch, &v)?;
                v.inc_pre(pre)?;
            }
            Level::Prerelease => {
                if v.pre.is_empty() {
                    v.patch = checked_inc(v.patch, &v)?;
                }
                v.inc_pre(pre)?;
            }
            Level::Release => {
                if v.pre.is_empty() {
                    return Err(VersionError {
                        input: self.to_string(),
                        reason: "not a prerelease, so `release` has nothing to drop".into(),
                    });
                }
                v.pre.clear();
            }
            Level::Major => {
                if v.minor != 0 || v.patch != 0 || v.pre.is_empty() {
                    v.major = checked_inc(v.major, &v)?;
                }
                v.minor = 0;
                v.patch = 0;
                v.pre.clear();
            }
            Level::Minor => {
                if v.patch != 0 || v.pre.is_empty() {
                    v.minor = checked_inc(v.minor, &v)?;
                }
                v.patch = 0;
                v.pre.clear();
            }
            Level::Patch => {
                if v.pre.is_empty() {
                    v.patch = checked_inc(v.patch, &v)?;
                }
                v.pre.clear();
            }
        }
        Ok(v)
    }

    /// npm's internal `inc('pre', identifier)`.
    fn inc_pre(&mut self, identifier: Option<&str>) -> Result<(), VersionError> {
        if self.pre.is_empty() {
            self.pre = vec![Identifier::Numeric(0)];
        } else if let Some(last) =
            self.pre.iter_mut().rev().find(|id| matches!(id, Identifier::Numeric(_)))
        {
            if let Identifier::Numeric(n) = last {
                *n = n.checked_add(1).ok_or_else(|| VersionError {
                    input: String::new(),
                    reason: "prerelease number overflows".into(),
                })?;
            }
        } else {
            self.pre.push(Identifier::Numeric(0));
        }
        if let Some(id) = identifier {
            let id = Identifier::parse(id)
                .map_err(|reason| VersionError { input: id.to_owned(), reason })?;
            let fresh = vec![id.clone(), Identifier::Numeric(0)];
            if self.pre[0] == id {
                if !matches!(self.pre.get(1), Some(Identifier::Numeric(_))) {
                    self.pre = fresh;
                }
            } else {
                self.pre = fresh;
            }
        }
        Ok(())
    }
}

fn checked_inc(n: u64, v: &Version) -> Result<u64, VersionError> {
    n.checked_add(1)
        .ok_or_else(|| VersionError { input: v.to_string(), reason: "number overflows".into() })
}

/// Parses one numeric part of a version: digits, no leading zero, at most 2^53-1.
pub fn parse_number(text: &str) -> Result<u64, String> {
    if text.is_empty() {
        return Err("is empty".into());
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{text}` is not a number"));
    }
    if text.len() > 1 && text.starts_with('0') {
        return Err(format!("`{text}` has a leading zero"));
    }
    // npm refuses numbers above Number.MAX_SAFE_INTEGER; so do we, so that a
    // version relman writes is one every other tool can read back.
    const MAX_SAFE: u64 = (1 << 53) - 1;
    match text.parse::<u64>() {
        Ok(n) if n <= MAX_SAFE => Ok(n),
        _ => Err(format!("`{text}` is too large")),
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

impl Ord for Version {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.major, self.minor, self.patch)
            .cmp(&(other.major, other.minor, other.patch))
            .then_with(|| match (self.pre.is_empty(), other.pre.is_empty()) {
                (true, true) => Ordering::Equal,
                (true, false) => Ordering::Greater,
                (false, true) => Ordering::Less,
                (false, false) => self.pre.cmp(&other.pre),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.major, self.minor, self.patch)?;
        for (i, id) in self.pre.iter().enumerate() {
            write!(f, "{}{id}", if i == 0 { '-' } else { '.' })?;
        }
        for (i, id) in self.build.iter().enumerate() {
            write!(f, "{}{id}", if i == 0 { '+' } else { '.' })?;
        }
        Ok(())
    }
}

impl serde::Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Read from its text (`"1.10.0"`), never from a number.
impl<'de> serde::Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(|e| serde::de::Error::custom(e.to_string()))
    }
}

impl From<VersionError> for crate::error::Error {
    fn from(e: VersionError) -> Self {
        Self::input(e.to_string())
    }
}

#[cfg(test)]
mod tests;
