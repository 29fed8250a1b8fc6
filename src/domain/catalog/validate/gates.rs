//! A train's gates, each in its form, and its status.

use super::{Issues, pos};
use crate::domain::catalog::raw::{RawGateValue, RawTrain};
use crate::domain::gates::{self, Gate};
use crate::domain::suggestion::hint;
use crate::domain::train::Status;

/// Every gate in its form: an expression, `custom:`, `command:`, `approvals:`.
pub(super) fn gate_list(trains_file: &str, r: &RawTrain, issues: &mut Issues) -> Vec<Gate> {
    let mut gate_list = Vec::new();
    for g in &r.gates {
        let at = pos(trains_file, g);
        let parsed = match (&g.value.form[..], &g.value.value) {
            ("approvals", RawGateValue::Roles(roles)) => {
                if roles.is_empty() {
                    Err(("an `approvals` gate lists no roles".to_owned(), None))
                } else {
                    Ok(gates::GateKind::Approvals { roles: roles.clone() })
                }
            }
            ("command", RawGateValue::Text(text)) => {
                if text.trim().is_empty() {
                    Err(("a `command` gate is empty".to_owned(), None))
                } else {
                    Ok(gates::GateKind::Command { command: text.clone() })
                }
            }
            ("custom", RawGateValue::Text(text)) => gates::parse_custom(text),
            (_, RawGateValue::Text(text)) => gates::parse_expression(text),
            _ => Err(("malformed gate".to_owned(), None)),
        };
        match parsed {
            Ok(kind) => gate_list.push(Gate {
                text: match &g.value.value {
                    RawGateValue::Text(t) if g.value.form == "gate" => t.clone(),
                    RawGateValue::Text(t) => format!("{}: {t}", g.value.form),
                    RawGateValue::Roles(roles) => format!("approvals: [{}]", roles.join(", ")),
                },
                kind,
                blocking: g.value.blocking.unwrap_or(true),
                critical: g.value.critical.unwrap_or(false),
            }),
            Err((message, hint)) => issues.add(at, message, hint),
        }
    }
    gate_list
}

/// The status written, `planning` when none.
pub(super) fn status(trains_file: &str, r: &RawTrain, issues: &mut Issues) -> Status {
    // No `status:`, or one left empty or null, is planning.
    let Some(s) = &r.status else { return Status::Planning };
    let Some(value) = &s.value else { return Status::Planning };
    Status::parse(value).unwrap_or_else(|| {
        let names = crate::domain::train::ALL.map(Status::as_str);
        issues.add(
            pos(trains_file, s),
            format!("unknown status `{value}`"),
            hint(value, &names, "statuses"),
        );
        Status::Planning
    })
}

#[cfg(test)]
mod tests {
    use super::super::testing::{messages, raw_train};
    use super::*;
    #[test]
    fn gates_keep_their_form_and_flags() {
        let r = raw_train(
            "name: t\nparticipants: [curve]\ngates:\n  - coverage >= 70\n  - command: \"make check\"\n  - approvals: [qa]\n  - gate: min_coverage\n    blocking: false\n  - approvals: []\n",
        );
        let mut issues = Issues::default();
        let list = gate_list("t.yaml", &r, &mut issues);
        let text: Vec<&str> = list.iter().map(|g| g.text.as_str()).collect();
        assert_eq!(
            text,
            ["coverage >= 70", "command: make check", "approvals: [qa]", "min_coverage"]
        );
        assert!(!list[3].blocking);
        assert_eq!(messages(&issues), ["9:5 an `approvals` gate lists no roles"]);
    }
    #[test]
    fn a_status_is_one_of_the_lifecycles() {
        let mut issues = Issues::default();
        let r = raw_train("name: t\nparticipants: [curve]\nstatus: executing\n");
        assert_eq!(status("t.yaml", &r, &mut issues), Status::Executing);
        let r = raw_train("name: t\nparticipants: [curve]\n");
        assert_eq!(status("t.yaml", &r, &mut issues), Status::Planning);
        let r = raw_train("name: t\nparticipants: [curve]\nstatus: planing\n");
        assert_eq!(status("t.yaml", &r, &mut issues), Status::Planning);
        assert_eq!(issues.0[0].hint.as_deref(), Some("did you mean `planning`?"));
    }
}
