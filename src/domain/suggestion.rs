//! "Did you mean ...?" for unknown names (SPEC §6.2).

/// Returns the edit distance between `a` and `b`, counting a swap of two
/// neighbouring characters as one edit (`stauts` is one edit from `status`).
pub fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

/// Returns the known name closest to `unknown`, if one is close enough to be
/// a likely typo (distance at most a third of the longer name, and at most 3).
pub fn closest<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (distance(unknown, k), k))
        .filter(|(d, k)| *d <= 3 && *d * 3 <= unknown.len().max(k.len()))
        .min_by_key(|(d, k)| (*d, *k))
        .map(|(_, k)| k)
}

/// Returns "did you mean `x`?" when `unknown` is a likely typo of a known name.
pub fn did_you_mean<'a>(unknown: &str, known: impl IntoIterator<Item = &'a str>) -> Option<String> {
    closest(unknown, known).map(|k| format!("did you mean `{k}`?"))
}

/// Returns the hint for an unknown name: "did you mean `x`?" for a likely
/// typo, else "LABEL: a, b, c" listing what is known (`None` when nothing is).
pub fn hint(unknown: &str, known: &[&str], label: &str) -> Option<String> {
    did_you_mean(unknown, known.iter().copied())
        .or_else(|| (!known.is_empty()).then(|| format!("{label}: {}", known.join(", "))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        assert_eq!(closest("backtest", ["curve", "backtesting"]), Some("backtesting"));
        assert_eq!(closest("stauts", ["status", "name"]), Some("status"));
        assert_eq!(closest("zzz", ["curve", "scenario"]), None);
        assert_eq!(closest("nmae", ["name", "tag"]), Some("name"));
        assert_eq!(hint("stauts", &["status"], "keys").as_deref(), Some("did you mean `status`?"));
        assert_eq!(hint("zzz", &["a", "b"], "keys").as_deref(), Some("keys: a, b"));
        assert_eq!(hint("zzz", &[], "keys"), None);
    }
}
