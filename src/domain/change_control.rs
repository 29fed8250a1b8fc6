//! Change control for `relman create` (SPEC §2.1): the roles a hotfix of
//! an urgency and a major release must be approved by, the approvals given
//! as `ROLE=WHO`, and the "Approved by" section of the tag's notes.

use super::policy::{Policies, Urgency};
use super::train::Approval;
use super::version::Version;

/// The release type whose approvals a major release needs.
pub const MAJOR: &str = "major";

/// Reads `ROLE=WHO`: both sides trimmed and non-empty, no control
/// characters (a newline would forge lines in the notes and the audit
/// trail's human view).
pub fn parse_approval(text: &str) -> Result<(String, String), String> {
    let Some((role, who)) = text.split_once('=') else {
        return Err(format!("`--approved-by {text}` is not ROLE=WHO"));
    };
    let (role, who) = (role.trim(), who.trim());
    if role.is_empty() || who.is_empty() {
        return Err(format!("`--approved-by {text}` needs both a role and a name: ROLE=WHO"));
    }
    if role.chars().chain(who.chars()).any(char::is_control) {
        return Err(format!(
            "`--approved-by {}` holds a control character (a newline?)",
            text.escape_debug()
        ));
    }
    Ok((role.to_owned(), who.to_owned()))
}

/// Tells whether going from `previous` to `version` is a major release: the
/// major number goes up (a premajor too), or a major's prerelease becomes
/// that major (`2.0.0-rc.1` → `2.0.0`).
pub fn is_major(previous: &Version, version: &Version) -> bool {
    version.major > previous.major
        || (version.pre.is_empty()
            && !previous.pre.is_empty()
            && version.major == previous.major
            && (version.minor, version.patch) == (0, 0)
            && (previous.minor, previous.patch) == (0, 0)
            && version.major > 0)
}

/// The roles a release must be approved by: the urgency's, then the major
/// release type's, each once, in the policy's order.
pub fn required_roles(policies: &Policies, urgency: Option<Urgency>, major: bool) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    let urgency_roles = urgency.and_then(|u| policies.hotfix_approvals.get(&u));
    let major_roles = major.then(|| policies.release_type_approvals.get(MAJOR)).flatten();
    for role in urgency_roles.into_iter().chain(major_roles).flatten() {
        if !roles.contains(role) {
            roles.push(role.clone());
        }
    }
    roles
}

/// The roles of `required` that no approval in `given` gives.
pub fn missing_roles(required: &[String], given: &[Approval]) -> Vec<String> {
    required.iter().filter(|r| !given.iter().any(|a| &a.role == *r)).cloned().collect()
}

/// The tag notes' section naming the approvals and the urgency; empty when
/// there is neither.
pub fn approved_by_section(approvals: &[Approval], urgency: Option<Urgency>) -> String {
    let mut out = String::new();
    if let Some(u) = urgency {
        out.push_str(&format!("Urgency: {}\n\n", urgency_name(u)));
    }
    if !approvals.is_empty() {
        out.push_str("### Approved by\n\n");
        for a in approvals {
            out.push_str(&format!("- {}: {} ({})\n", a.role, a.by, a.at));
        }
    }
    out
}

/// The urgency as written in the policy and on the command line.
pub fn urgency_name(u: Urgency) -> &'static str {
    match u {
        Urgency::Critical => "critical",
        Urgency::High => "high",
        Urgency::Medium => "medium",
        Urgency::Low => "low",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Version {
        Version::parse(text).unwrap()
    }

    #[test]
    fn approvals_are_role_equals_who() {
        assert_eq!(
            parse_approval(" on_call = Ann <a@x> ").unwrap(),
            ("on_call".to_owned(), "Ann <a@x>".to_owned())
        );
        assert_eq!(parse_approval("a=b=c").unwrap(), ("a".to_owned(), "b=c".to_owned()));
        assert!(parse_approval("nobody").is_err());
        assert!(parse_approval("=Ann").is_err());
        assert!(parse_approval("role=").is_err());
        assert!(parse_approval("role=Ann\n### forged").unwrap_err().contains("control"));
    }

    #[test]
    fn majors() {
        assert!(is_major(&v("1.4.2"), &v("2.0.0")));
        assert!(is_major(&v("0.9.0"), &v("1.0.0")));
        assert!(is_major(&v("1.4.2"), &v("2.0.0-rc.0")));
        assert!(is_major(&v("2.0.0-rc.1"), &v("2.0.0")));
        assert!(!is_major(&v("1.4.2"), &v("1.5.0")));
        assert!(!is_major(&v("1.4.2"), &v("1.4.3")));
        assert!(!is_major(&v("1.5.0-rc.0"), &v("1.5.0")));
        assert!(!is_major(&v("1.0.0"), &v("1.0.0")));
    }

    #[test]
    fn roles_come_from_the_urgency_and_the_major_type() {
        let mut p = Policies::default();
        p.hotfix_approvals.insert(Urgency::High, vec!["team_lead".into(), "owner".into()]);
        p.release_type_approvals.insert(MAJOR.into(), vec!["ccb".into(), "owner".into()]);
        assert_eq!(required_roles(&p, Some(Urgency::High), false), ["team_lead", "owner"]);
        assert_eq!(required_roles(&p, Some(Urgency::High), true), ["team_lead", "owner", "ccb"]);
        assert_eq!(required_roles(&p, None, true), ["ccb", "owner"]);
        assert!(required_roles(&p, Some(Urgency::Low), false).is_empty());
        let given = [Approval { role: "owner".into(), by: "O".into(), at: "t".into(), note: None }];
        assert_eq!(missing_roles(&required_roles(&p, None, true), &given), ["ccb"]);
    }

    #[test]
    fn the_section_names_each_approval() {
        let given =
            [Approval { role: "ccb".into(), by: "Board".into(), at: "t".into(), note: None }];
        assert_eq!(
            approved_by_section(&given, Some(Urgency::Critical)),
            "Urgency: critical\n\n### Approved by\n\n- ccb: Board (t)\n"
        );
        assert_eq!(approved_by_section(&[], None), "");
    }
}
