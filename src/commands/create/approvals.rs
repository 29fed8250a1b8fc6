//! Change control (SPEC §2.1): the approvals a hotfix of `--urgency` and a
//! major release need, and the urgency's gates evaluated for the service.

use super::super::Context;
use super::super::target::Target;
use crate::cli::{CreateArgs, CreateLevel, CreateUrgency};
use crate::domain::change_control;
use crate::domain::gates::{self, Gate, GateResult, Inputs};
use crate::domain::policy::Urgency;
use crate::domain::redact::Secrets;
use crate::domain::train::Approval;
use crate::domain::version::Version;
use crate::error::{Error, Location, Problem, Result};
use crate::repo::Repo;

/// What change control decided for a release (SPEC §2.1).
pub(super) struct Control {
    pub(super) urgency: Option<Urgency>,
    pub(super) approvals: Vec<Approval>,
    pub(super) gates: Option<Vec<GateResult>>,
    /// Missing approvals and failing blocking gates (exit 1).
    pub(super) problems: Vec<Problem>,
}

/// Checks the approvals a hotfix of `--urgency` and a major release need
/// and evaluates the urgency's gates for the service. Bad flags, a role
/// the policy does not ask for and a gate the policy misspells are input
/// errors (exit 2); what is missing or failing is returned as problems.
pub(super) fn change_control(
    cx: &Context,
    repo: &Repo,
    target: &Target,
    args: &CreateArgs,
    previous: &Version,
    version: &Version,
) -> Result<Control> {
    let urgency = args.urgency.map(|u| match u {
        CreateUrgency::Critical => Urgency::Critical,
        CreateUrgency::High => Urgency::High,
        CreateUrgency::Medium => Urgency::Medium,
        CreateUrgency::Low => Urgency::Low,
    });
    let hotfix = args.level == CreateLevel::Hotfix;
    if urgency.is_some() && !hotfix {
        return Err(Error::input("`--urgency` is the urgency of a hotfix")
            .hint("run `relman create hotfix --urgency LEVEL`, or leave `--urgency` out"));
    }
    let policies = repo.policies()?;
    let policy_file = || {
        repo.policies_file()
            .ok()
            .flatten()
            .unwrap_or_else(|| repo.catalog_file("upgrade-policies.yaml"))
    };
    if hotfix && urgency.is_none() && !policies.hotfix_approvals.is_empty() {
        let levels: Vec<&str> =
            policies.hotfix_approvals.keys().map(|u| change_control::urgency_name(*u)).collect();
        return Err(Error::input(format!(
            "a hotfix needs `--urgency`: `{}` sets approvals for {}",
            policy_file(),
            levels.join(", ")
        ))
        .hint(format!("run `relman create hotfix --urgency {}`", levels.join("|"))));
    }
    let major = change_control::is_major(previous, version);
    let required = change_control::required_roles(&policies, urgency, major);
    let secrets = Secrets::from_env(&cx.global.env);
    let at = cx.global.time();
    let mut approvals: Vec<Approval> = Vec::new();
    for text in &args.approved_by {
        let (role, who) = change_control::parse_approval(text)
            .map_err(|m| Error::input(m).hint("write `--approved-by ROLE=WHO`"))?;
        if !required.contains(&role) {
            let asks = if required.is_empty() {
                "this release asks for no approval".to_owned()
            } else {
                format!("this release asks for: {}", required.join(", "))
            };
            return Err(Error::input(format!(
                "`--approved-by {role}=...`: the policy does not ask for the role `{role}` here"
            ))
            .hint(asks));
        }
        if approvals.iter().any(|a| a.role == role) {
            return Err(Error::input(format!("`--approved-by {role}=...` is given twice"))
                .hint("one approval per role"));
        }
        approvals.push(Approval { role, by: secrets.redact(&who), at: at.clone(), note: None });
    }
    let mut problems = Vec::new();
    let urgency_roles = urgency.and_then(|u| policies.hotfix_approvals.get(&u));
    for role in change_control::missing_roles(&required, &approvals) {
        let why = match urgency {
            Some(u) if urgency_roles.is_some_and(|r| r.contains(&role)) => {
                format!("a hotfix of urgency {}", change_control::urgency_name(u))
            }
            _ => format!("a major release ({previous} → {version})"),
        };
        problems.push(
            Problem::new(format!("missing approval from `{role}`: {why} needs it"))
                .hint(format!("give it with `--approved-by {role}=WHO`")),
        );
    }
    let gate_texts = urgency.and_then(|u| policies.hotfix_gates.get(&u)).filter(|g| !g.is_empty());
    let gates = match (urgency, gate_texts) {
        (Some(u), Some(texts)) => {
            let mut parsed = Vec::new();
            for text in texts {
                let kind = gates::parse_expression(text).map_err(|(message, hint)| {
                    let e = Error::input(format!(
                        "`hotfix.urgency.{}.gates`: {message}",
                        change_control::urgency_name(u)
                    ))
                    .at(Location::file(policy_file()));
                    match hint {
                        Some(h) => e.hint(h),
                        None => e,
                    }
                })?;
                parsed.push(Gate { text: text.clone(), kind, blocking: true, critical: false });
            }
            let participants = vec![(target.name.clone(), repo.metrics(&target.name)?)];
            let inputs = Inputs {
                participants: &participants,
                policy: &policies.quality_gates,
                approved_roles: &[],
            };
            let results: Vec<GateResult> =
                parsed.iter().map(|g| gates::evaluate(g, &inputs, None)).collect();
            for g in results.iter().filter(|g| !g.passed && g.blocking) {
                problems.push(
                    Problem::new(format!(
                        "gate `{}` of urgency {} failed: {}",
                        g.gate,
                        change_control::urgency_name(u),
                        g.message
                    ))
                    .hint(format!(
                        "the metrics are read from `{}`",
                        repo.catalog_file(&format!("metrics/{}.yaml", target.name))
                    )),
                );
            }
            Some(results)
        }
        _ => None,
    };
    Ok(Control { urgency, approvals, gates, problems })
}
