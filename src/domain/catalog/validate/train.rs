//! A train: its participants and their version rules, its target
//! version, dependencies, schedule and rollback settings.

use std::collections::BTreeSet;

use serde_saphyr::Spanned;

use super::gates::{gate_list, status};
use super::{Issues, pos};
use crate::domain::catalog::raw::RawTrain;
use crate::domain::catalog::{Dependency, NameMap, Participant, Train, VersionRule};
use crate::domain::range::Range;
use crate::domain::suggestion::{did_you_mean, hint};
use crate::domain::version::{Level, Version};
use crate::error::Location;

/// One train: its participants and their version rules, target version,
/// dependencies, gates, status, schedule and rollback settings.
pub(super) fn train(
    trains_file: &str,
    at_train: Location,
    r: RawTrain,
    names: &NameMap<String>,
    issues: &mut Issues,
) -> Train {
    let mut participants = participants(trains_file, &r, names, issues);
    if r.participants.is_empty() {
        issues.add(at_train, format!("train `{}` has no participants", r.name.value), None);
    }
    target_version(trains_file, &r, names, &mut participants, issues);
    let dependencies = dependencies(trains_file, &r, issues);
    let gate_list = gate_list(trains_file, &r, issues);
    let status = status(trains_file, &r, issues);
    let mut duration = |d: &Spanned<String>| {
        let secs = parse_duration(&d.value);
        if secs.is_none() {
            issues.add(
                pos(trains_file, d),
                format!("bad duration `{}`", d.value),
                Some("write it like 90s, 10m, 2h or 1h30m".into()),
            );
        }
        secs
    };
    let estimated_duration =
        r.schedule.as_ref().and_then(|s| s.estimated_duration.as_ref()).and_then(&mut duration);
    let timeout = r.rollback.as_ref().and_then(|rb| rb.timeout.as_ref());
    let rollback_timeout = timeout.and_then(&mut duration);
    // A timeout is bounded where it is read: no clock is asked to wait longer.
    let rollback_timeout = match (timeout, rollback_timeout) {
        (Some(t), Some(secs)) if secs > crate::domain::timeout::MAX_SECONDS => {
            issues.add(
                pos(trains_file, t),
                format!("`rollback.timeout` `{}` is more than 7 days", t.value),
                Some("a timeout is at most 7d (604800 seconds)".into()),
            );
            None
        }
        (_, secs) => secs,
    };
    let start_time = r.schedule.as_ref().and_then(|s| s.start_time.as_ref());
    if let Some(t) = start_time
        && chrono::DateTime::parse_from_rfc3339(&t.value).is_err()
    {
        issues.add(
            pos(trains_file, t),
            format!("start_time `{}` is not an RFC 3339 time", t.value),
            Some("e.g. 2026-12-01T09:00:00Z".into()),
        );
    }
    let start_time = start_time.map(|t| t.value.clone());
    let rollback_enabled = r.rollback.as_ref().and_then(|rb| rb.enabled).unwrap_or(true);
    let threshold =
        r.rollback.as_ref().and_then(|rb| rb.health_check_threshold.as_ref()).and_then(|p| {
            let v = parse_percent(&p.value);
            if v.is_none() {
                issues.add(
                    pos(trains_file, p),
                    format!("bad percentage `{}`", p.value),
                    Some("write a number from 0 to 100, e.g. 90%".into()),
                );
            }
            v
        });
    Train {
        name: r.name.value.clone(),
        status_pos: r.status.as_ref().map(|s| pos(trains_file, s)),
        name_pos: pos(trains_file, &r.name),
        description: r.description,
        participants,
        dependencies,
        gates: gate_list,
        status,
        start_time,
        estimated_duration,
        rollback_enabled,
        rollback_timeout,
        health_check_threshold: threshold,
    }
}

/// The participants, named by service or alias, each with its version rule.
fn participants(
    trains_file: &str,
    r: &RawTrain,
    names: &NameMap<String>,
    issues: &mut Issues,
) -> Vec<Participant> {
    let mut participants: Vec<Participant> = Vec::new();
    let mut seen = BTreeSet::new();
    for p in &r.participants {
        let at = pos(trains_file, p);
        let Some(canonical) = names.get(&p.value.name) else {
            issues.add(
                at,
                format!("train `{}` names unknown participant `{}`", r.name.value, p.value.name),
                did_you_mean(&p.value.name, names.keys().map(String::as_str)),
            );
            continue;
        };
        if !seen.insert(canonical.clone()) {
            issues.add(
                at.clone(),
                format!(
                    "participant `{}` is listed twice in train `{}`",
                    p.value.name, r.name.value
                ),
                None,
            );
        }
        let rule = match (&p.value.version, &p.value.bump) {
            (Some(_), Some(_)) => {
                issues.add(
                    at.clone(),
                    format!("participant `{}` has both `version` and `bump`", p.value.name),
                    Some("keep one".into()),
                );
                VersionRule::Commits
            }
            (Some(v), None) => match Version::parse(v) {
                Ok(v) => VersionRule::Pinned(v),
                Err(e) => {
                    issues.add(at.clone(), e.to_string(), None);
                    VersionRule::Commits
                }
            },
            (None, Some(b)) => match Level::parse(b) {
                Some(l) if l != Level::Release => VersionRule::Bump(l),
                _ => {
                    let names: Vec<&str> =
                        Level::ALL.iter().map(|l| l.as_str()).filter(|l| *l != "release").collect();
                    issues.add(at.clone(), format!("unknown bump `{b}`"), hint(b, &names, "bumps"));
                    VersionRule::Commits
                }
            },
            (None, None) => VersionRule::Commits,
        };
        participants.push(Participant { service: canonical.clone(), rule, rule_at: at.clone() });
    }
    participants
}

/// `target_version` written for the calendar version (SPEC §9).
const CALENDAR: &str = "calendar";

/// `target_version: VERSION` (everyone) or `SERVICE:VERSION`, VERSION
/// being `calendar` for the train's calendar version: the rule of
/// participants whose version comes from their commits.
fn target_version(
    trains_file: &str,
    r: &RawTrain,
    names: &NameMap<String>,
    participants: &mut [Participant],
    issues: &mut Issues,
) {
    if let Some(tv) = &r.target_version {
        let (who, version) = match tv.value.rsplit_once(':') {
            Some((who, v)) => (Some(who.trim()), v.trim()),
            None => (None, tv.value.trim()),
        };
        let rule = if version == CALENDAR {
            Ok(VersionRule::Calendar)
        } else {
            Version::parse(version).map(VersionRule::TrainTarget)
        };
        match rule {
            Err(e) => issues.add(
                pos(trains_file, tv),
                format!("target_version: {e}"),
                Some(
                    "write it as \"VERSION\" or \"SERVICE:VERSION\", quoted, or `calendar`".into(),
                ),
            ),
            Ok(rule) => {
                let targets: Vec<usize> = match who {
                    None => (0..participants.len()).collect(),
                    Some(who) => {
                        let canonical = names.get(who);
                        let idx: Vec<usize> = participants
                            .iter()
                            .enumerate()
                            .filter(|(_, p)| Some(&p.service) == canonical)
                            .map(|(i, _)| i)
                            .collect();
                        if idx.is_empty() {
                            let parts: Vec<&str> =
                                participants.iter().map(|p| p.service.as_str()).collect();
                            issues.add(
                                pos(trains_file, tv),
                                format!(
                                    "target_version names `{who}`, which is not a participant of `{}`",
                                    r.name.value
                                ),
                                hint(who, &parts, "participants"),
                            );
                        }
                        idx
                    }
                };
                for i in targets {
                    if participants[i].rule == VersionRule::Commits {
                        participants[i].rule = rule.clone();
                        participants[i].rule_at = pos(trains_file, tv);
                    }
                }
            }
        }
    }
}

/// `spec: NAME RANGE` and `library: NAME RANGE`.
fn dependencies(trains_file: &str, r: &RawTrain, issues: &mut Issues) -> Vec<Dependency> {
    let mut dependencies = Vec::new();
    for d in &r.dependencies {
        let text = d.value.text.trim();
        let (name, range) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        if range.trim().is_empty() {
            issues.add(
                pos(trains_file, d),
                format!("dependency `{text}` has no range"),
                Some("write `NAME RANGE`, e.g. `curves-api >=2.0.0`".into()),
            );
            continue;
        }
        match Range::parse(range.trim()) {
            Ok(range) => {
                dependencies.push(Dependency { kind: d.value.kind, name: name.to_owned(), range });
            }
            Err(e) => issues.add(pos(trains_file, d), e.to_string(), None),
        }
    }
    dependencies
}

/// Parses `90s`, `10m`, `2h`, `1h30m`, `1d` into seconds.
fn parse_duration(text: &str) -> Option<u64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let mut total: u64 = 0;
    let mut number = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
        } else {
            let n: u64 = number.parse().ok()?;
            number.clear();
            let unit = match c {
                's' => 1,
                'm' => 60,
                'h' => 3600,
                'd' => 86_400,
                _ => return None,
            };
            total = total.checked_add(n.checked_mul(unit)?)?;
        }
    }
    if !number.is_empty() {
        return None;
    }
    Some(total)
}

/// Parses `90%` or `90` into a percentage from 0 to 100.
fn parse_percent(text: &str) -> Option<f64> {
    let n: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::super::testing::{known, messages, raw_train};
    use super::*;
    #[test]
    fn participants_take_a_pin_or_a_bump_never_both() {
        let r = raw_train(
            "name: t\nparticipants:\n  - curve-service\n  - {name: risk, bump: minor}\n  - {name: risk, version: 2.0.0}\n  - {name: nope}\n  - {name: x, version: 1.0.0, bump: major}\n",
        );
        let mut issues = Issues::default();
        let list = participants("t.yaml", &r, &known(), &mut issues);
        assert_eq!(list[0].service, "curve");
        assert_eq!(list[1].rule, VersionRule::Bump(Level::Minor));
        let text = messages(&issues).join("\n");
        assert!(text.contains("participant `risk` is listed twice"), "{text}");
        assert!(text.contains("unknown participant `nope`"), "{text}");
        assert!(text.contains("unknown participant `x`"), "{text}");
    }
    #[test]
    fn a_target_version_names_a_participant() {
        let r = raw_train(
            "name: t\ntarget_version: \"curve-service:2.0.0\"\nparticipants: [curve, risk]\n",
        );
        let mut issues = Issues::default();
        let mut list = participants("t.yaml", &r, &known(), &mut issues);
        target_version("t.yaml", &r, &known(), &mut list, &mut issues);
        assert_eq!(list[0].rule, VersionRule::TrainTarget(Version::new(2, 0, 0)));
        assert_eq!(list[1].rule, VersionRule::Commits);
        let r = raw_train("name: t\ntarget_version: \"pricing:2.0.0\"\nparticipants: [curve]\n");
        target_version("t.yaml", &r, &known(), &mut list, &mut issues);
        assert!(messages(&issues)[0].contains("target_version names `pricing`"), "{:?}", issues.0);
    }
    #[test]
    fn dependencies_need_a_range() {
        let r = raw_train(
            "name: t\nparticipants: [curve]\ndependencies:\n  - spec: api >=2.0.0\n  - library: lib\n",
        );
        let mut issues = Issues::default();
        let deps = dependencies("t.yaml", &r, &mut issues);
        assert_eq!((deps.len(), deps[0].name.as_str()), (1, "api"));
        assert_eq!(messages(&issues), ["5:5 dependency `lib` has no range"]);
    }
    #[test]
    fn schedules_and_rollbacks_are_read_with_their_units() {
        let r = raw_train(
            "name: t\nparticipants: [curve]\nschedule:\n  start_time: tomorrow\n  estimated_duration: 1h30m\nrollback:\n  enabled: false\n  timeout: 10x\n  health_check_threshold: 90%\n",
        );
        let mut issues = Issues::default();
        let at = Location::new("t.yaml", 1, 1);
        let t = train("t.yaml", at, r, &known(), &mut issues);
        assert_eq!((t.estimated_duration, t.rollback_enabled), (Some(5400), false));
        assert_eq!(t.health_check_threshold, Some(90.0));
        assert_eq!(
            messages(&issues),
            ["8:12 bad duration `10x`", "4:15 start_time `tomorrow` is not an RFC 3339 time"]
        );
    }
}
