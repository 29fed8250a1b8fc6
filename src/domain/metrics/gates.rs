//! The gate pass rate: gates passed over gates evaluated at `validating`
//! transitions, from the verdicts the audit trail records.

/// One gate verdict given at a `validating` transition.
#[derive(Debug, Clone)]
pub struct GateVerdict {
    /// The train.
    pub train: String,
    /// The gate.
    pub gate: String,
    /// Whether it passed.
    pub passed: bool,
    /// When, unix seconds.
    pub at: i64,
}

/// Gates passed and evaluated in the window; `None` when no verdicts are
/// recorded at all.
pub fn gate_pass(
    verdicts: Option<&[GateVerdict]>,
    since: i64,
    until: i64,
) -> Option<(usize, usize)> {
    let v: Vec<&GateVerdict> =
        verdicts?.iter().filter(|g| g.at >= since && g.at <= until).collect();
    Some((v.iter().filter(|g| g.passed).count(), v.len()))
}
