//! Quality gates: the grammar of SPEC §4 and their evaluation.
//!
//! Every gate is evaluated and reported, with each failing participant, the
//! value seen and the value required. A gate that needs a number that is
//! missing fails with "no data": it never passes silently (SPEC §1.3).

use std::collections::BTreeMap;

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use super::policy::QualityGates;
use super::suggestion::hint;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Op {
    /// `>=`
    #[serde(rename = ">=")]
    Ge,
    /// `>`
    #[serde(rename = ">")]
    Gt,
    /// `<=`
    #[serde(rename = "<=")]
    Le,
    /// `<`
    #[serde(rename = "<")]
    Lt,
    /// `==`
    #[serde(rename = "==")]
    Eq,
    /// `!=`
    #[serde(rename = "!=")]
    Ne,
}

impl Op {
    /// Returns the operator as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ge => ">=",
            Self::Gt => ">",
            Self::Le => "<=",
            Self::Lt => "<",
            Self::Eq => "==",
            Self::Ne => "!=",
        }
    }

    /// Applies the operator.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Self::Ge => value >= threshold,
            Self::Gt => value > threshold,
            Self::Le => value <= threshold,
            Self::Lt => value < threshold,
            Self::Eq => (value - threshold).abs() < f64::EPSILON,
            Self::Ne => (value - threshold).abs() >= f64::EPSILON,
        }
    }
}

/// Thresholds that come from the policy when a gate does not write one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PolicyGate {
    /// `coverage >= min_coverage`.
    MinCoverage,
    /// `quality_score >= min_quality_score`.
    MinQualityScore,
    /// `failure_rate <= max_failure_rate`.
    MaxFailureRate,
    /// `critical_vulns <= max_critical_vulns`.
    NoOpenCriticalVulns,
}

/// What a gate checks.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum GateKind {
    /// `metric OP N` for every participant.
    Metric {
        /// The key in the metrics file.
        metric: String,
        /// The comparison.
        op: Op,
        /// The number on the right.
        threshold: f64,
    },
    /// A policy threshold (`min_coverage`, `no_open_critical_vulns`, ...).
    Policy {
        /// Which one.
        which: PolicyGate,
    },
    /// `all_services_healthy`: `healthy` is true for every participant.
    Healthy,
    /// `custom: "<bool metric>"`: true for every participant.
    Flag {
        /// The key in the metrics file.
        metric: String,
    },
    /// `command: "..."`: passes on exit 0.
    Command {
        /// The command, run with `sh -c` exactly as written.
        command: String,
    },
    /// `approvals: [roles]`: each role recorded in the train's state.
    Approvals {
        /// The roles that must approve.
        roles: Vec<String>,
    },
}

/// A validated gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Gate {
    /// The gate as written.
    pub text: String,
    /// What it checks.
    pub kind: GateKind,
    /// A failing non-blocking gate is a warning.
    pub blocking: bool,
    /// Re-evaluated when the train verifies.
    pub critical: bool,
}

/// Names of the gates written as a bare word.
pub const NAMED_GATES: [&str; 5] = [
    "no_open_critical_vulns",
    "all_services_healthy",
    "min_coverage",
    "min_quality_score",
    "max_failure_rate",
];

type ParseResult = Result<GateKind, (String, Option<String>)>;

/// Returns the metrics-file key a gate's metric name reads.
///
/// `quality` reads `quality_score` (the seed's `all_participants_quality >=80`).
pub fn metric_key(name: &str) -> String {
    if name == "quality" { "quality_score".to_owned() } else { name.to_owned() }
}

fn split_comparison(text: &str) -> Option<(&str, Op, &str)> {
    for (sym, op) in [
        (">=", Op::Ge),
        ("<=", Op::Le),
        ("==", Op::Eq),
        ("!=", Op::Ne),
        (">", Op::Gt),
        ("<", Op::Lt),
    ] {
        if let Some(i) = text.find(sym) {
            return Some((text[..i].trim(), op, text[i + sym.len()..].trim()));
        }
    }
    None
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-' || c == '.')
}

fn comparison(text: &str, allow_named: bool) -> ParseResult {
    let Some((left, op, right)) = split_comparison(text) else {
        return Err((format!("gate `{text}` is not `METRIC OP NUMBER`"), None));
    };
    if !is_identifier(left) {
        return Err((format!("gate `{text}`: `{left}` is not a metric name"), None));
    }
    let number = right.strip_suffix('%').unwrap_or(right).trim();
    let threshold: f64 = number.parse().map_err(|_| {
        (
            format!("gate `{text}`: `{right}` is not a number"),
            Some("write a number, optionally with %".to_owned()),
        )
    })?;
    if !threshold.is_finite() {
        return Err((format!("gate `{text}`: `{right}` is not a finite number"), None));
    }
    let metric = left.strip_prefix("all_participants_").unwrap_or(left);
    if allow_named && NAMED_GATES.contains(&metric) {
        return Err((
            format!("gate `{text}`: `{metric}` takes its threshold from the policy"),
            Some(format!("write `{metric}` alone, or compare the metric itself")),
        ));
    }
    Ok(GateKind::Metric { metric: metric_key(metric), op, threshold })
}

/// Parses a gate written as a string (or under `gate:`).
pub fn parse_expression(text: &str) -> ParseResult {
    let t = text.trim();
    match t {
        "no_open_critical_vulns" => {
            return Ok(GateKind::Policy { which: PolicyGate::NoOpenCriticalVulns });
        }
        "all_services_healthy" => return Ok(GateKind::Healthy),
        "min_coverage" => return Ok(GateKind::Policy { which: PolicyGate::MinCoverage }),
        "min_quality_score" => return Ok(GateKind::Policy { which: PolicyGate::MinQualityScore }),
        "max_failure_rate" => return Ok(GateKind::Policy { which: PolicyGate::MaxFailureRate }),
        _ => {}
    }
    if split_comparison(t).is_none() {
        let forms =
            [&NAMED_GATES[..], &["METRIC OP NUMBER", "custom:", "command:", "approvals:"]].concat();
        let hint = hint(t, &forms, "gates");
        return Err((format!("unknown gate `{t}`"), hint));
    }
    comparison(t, true)
}

/// Parses a `custom:` gate: `METRIC OP N[%]` or a boolean metric name.
pub fn parse_custom(text: &str) -> ParseResult {
    let t = text.trim();
    if split_comparison(t).is_some() {
        return comparison(t, false);
    }
    if is_identifier(t) {
        return Ok(GateKind::Flag { metric: metric_key(t) });
    }
    Err((format!("custom gate `{t}` is neither `METRIC OP NUMBER` nor a metric name"), None))
}

/// One participant failing a gate.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    /// The participant (`null` for train-wide gates such as approvals or commands).
    pub service: Option<String>,
    /// The value seen; `null` when there is no data.
    pub value: Option<String>,
    /// The value required.
    pub required: String,
}

/// A gate's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GateResult {
    /// The gate as written.
    pub gate: String,
    /// Whether it passed.
    pub passed: bool,
    /// Whether a failure blocks the train.
    pub blocking: bool,
    /// Every failing participant.
    pub failures: Vec<Failure>,
    /// A one-line summary.
    pub message: String,
}

/// A metric value: a number or a boolean.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum MetricValue {
    /// A number.
    Number(f64),
    /// A boolean.
    Bool(bool),
}

impl fmt::Display for MetricValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Number(n) => write!(f, "{n}"),
            Self::Bool(b) => write!(f, "{b}"),
        }
    }
}

impl<'de> Deserialize<'de> for MetricValue {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = MetricValue;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number or true/false")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<MetricValue, E> {
                Ok(MetricValue::Bool(v))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<MetricValue, E> {
                Ok(MetricValue::Number(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Metrics of one participant: key → value.
pub type Metrics = BTreeMap<String, MetricValue>;

/// What a gate is evaluated against.
pub struct Inputs<'a> {
    /// Participants in plan order, with their metrics (`None`: no metrics file).
    pub participants: &'a [(String, Option<Metrics>)],
    /// Policy thresholds.
    pub policy: &'a QualityGates,
    /// Roles with a recorded approval.
    pub approved_roles: &'a [String],
}

fn fmt_num(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

/// Evaluates `gate`; `command` is the outcome of a `command:` gate
/// (`Some(exit code)`, `None` when it could not run), run by the caller.
pub fn evaluate(
    gate: &Gate,
    inputs: &Inputs<'_>,
    command: Option<Result<i32, String>>,
) -> GateResult {
    let mut failures = Vec::new();
    let numeric =
        |failures: &mut Vec<Failure>, metric: &str, op: Op, threshold: f64, unit: &str| {
            for (service, metrics) in inputs.participants {
                let required = format!("{metric} {} {}{unit}", op.as_str(), fmt_num(threshold));
                match metrics.as_ref().and_then(|m| m.get(metric)) {
                    Some(MetricValue::Number(v)) if op.holds(*v, threshold) => {}
                    Some(MetricValue::Number(v)) => {
                        failures.push(Failure {
                            service: Some(service.clone()),
                            value: Some(format!("{}{unit}", fmt_num(*v))),
                            required,
                        });
                    }
                    Some(MetricValue::Bool(b)) => failures.push(Failure {
                        service: Some(service.clone()),
                        value: Some(format!("{b} (not a number)")),
                        required,
                    }),
                    None => failures.push(Failure {
                        service: Some(service.clone()),
                        value: None,
                        required,
                    }),
                }
            }
        };
    match &gate.kind {
        GateKind::Metric { metric, op, threshold } => {
            let unit = if gate.text.contains('%') { "%" } else { "" };
            numeric(&mut failures, metric, *op, *threshold, unit);
        }
        GateKind::Policy { which } => {
            let p = inputs.policy;
            let (metric, op, threshold) = match which {
                PolicyGate::MinCoverage => ("coverage", Op::Ge, p.min_coverage),
                PolicyGate::MinQualityScore => ("quality_score", Op::Ge, p.min_quality_score),
                PolicyGate::MaxFailureRate => ("failure_rate", Op::Le, p.max_failure_rate),
                PolicyGate::NoOpenCriticalVulns => ("critical_vulns", Op::Le, p.max_critical_vulns),
            };
            numeric(&mut failures, metric, op, threshold, "");
        }
        GateKind::Healthy | GateKind::Flag { .. } => {
            let metric = match &gate.kind {
                GateKind::Flag { metric } => metric.as_str(),
                _ => "healthy",
            };
            for (service, metrics) in inputs.participants {
                let required = format!("{metric} = true");
                match metrics.as_ref().and_then(|m| m.get(metric)) {
                    Some(MetricValue::Bool(true)) => {}
                    Some(v) => failures.push(Failure {
                        service: Some(service.clone()),
                        value: Some(v.to_string()),
                        required,
                    }),
                    None => failures.push(Failure {
                        service: Some(service.clone()),
                        value: None,
                        required,
                    }),
                }
            }
        }
        GateKind::Command { .. } => match command {
            Some(Ok(0)) => {}
            Some(Ok(code)) => failures.push(Failure {
                service: None,
                value: Some(format!("exit {code}")),
                required: "exit 0".into(),
            }),
            Some(Err(why)) => failures.push(Failure {
                service: None,
                value: Some(why),
                required: "exit 0".into(),
            }),
            None => {
                failures.push(Failure { service: None, value: None, required: "exit 0".into() });
            }
        },
        GateKind::Approvals { roles } => {
            for role in roles {
                if !inputs.approved_roles.contains(role) {
                    failures.push(Failure {
                        service: None,
                        value: None,
                        required: format!("approval by {role}"),
                    });
                }
            }
        }
    }
    let passed = failures.is_empty();
    let message = if passed {
        "passed".to_owned()
    } else if let GateKind::Approvals { .. } = gate.kind {
        let missing: Vec<&str> =
            failures.iter().map(|f| f.required.trim_start_matches("approval by ")).collect();
        format!("missing approval from {}", missing.join(", "))
    } else {
        let parts: Vec<String> = failures
            .iter()
            .map(|f| {
                let who = f.service.as_deref().unwrap_or("train");
                match &f.value {
                    Some(v) => format!("{who}: {v} (needs {})", f.required),
                    None => format!("{who}: no data (needs {})", f.required),
                }
            })
            .collect();
        parts.join("; ")
    };
    GateResult { gate: gate.text.clone(), passed, blocking: gate.blocking, failures, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(text: &str) -> Gate {
        Gate {
            text: text.into(),
            kind: parse_expression(text).unwrap(),
            blocking: true,
            critical: false,
        }
    }

    #[test]
    fn grammar() {
        assert_eq!(
            parse_expression("all_participants_quality >=80").unwrap(),
            GateKind::Metric { metric: "quality_score".into(), op: Op::Ge, threshold: 80.0 }
        );
        assert_eq!(
            parse_custom("performance_regression < 10%").unwrap(),
            GateKind::Metric {
                metric: "performance_regression".into(),
                op: Op::Lt,
                threshold: 10.0
            }
        );
        assert_eq!(
            parse_custom("user_acceptance_tests_pass").unwrap(),
            GateKind::Flag { metric: "user_acceptance_tests_pass".into() }
        );
        let (msg, hint) = parse_expression("no_open_critical_vuln").unwrap_err();
        assert!(msg.contains("unknown gate"));
        assert_eq!(hint.as_deref(), Some("did you mean `no_open_critical_vulns`?"));
        assert!(parse_expression("coverage >= lots").is_err());
    }

    #[test]
    fn missing_metric_is_no_data() {
        let policy = QualityGates::default();
        let mut m = Metrics::new();
        m.insert("quality_score".into(), MetricValue::Number(92.0));
        let participants = vec![("curve".to_owned(), Some(m)), ("scenario".to_owned(), None)];
        let inputs = Inputs { participants: &participants, policy: &policy, approved_roles: &[] };
        let r = evaluate(&gate("all_participants_quality >=80"), &inputs, None);
        assert!(!r.passed);
        assert_eq!(
            r.failures,
            vec![Failure {
                service: Some("scenario".into()),
                value: None,
                required: "quality_score >= 80".into()
            }]
        );
        assert!(r.message.contains("no data"));
    }
}
