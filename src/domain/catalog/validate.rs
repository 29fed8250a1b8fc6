//! From the catalog files as written to the model, every problem reported
//! with its file, line and column.

use std::collections::{BTreeSet, HashMap};

use serde_saphyr::Spanned;

use super::raw::{RawGateValue, RawService, RawSpecs, RawTrain};
use super::{
    Catalog, DEFAULT_TAG, Dependency, Issue, NameMap, Parsed, Participant, Pos, Service, Specs,
    Train, VersionRule,
};
use crate::domain::gates::{self, Gate};
use crate::domain::range::Range;
use crate::domain::repo_path;
use crate::domain::suggestion::{did_you_mean, hint};
use crate::domain::tag::TagPattern;
use crate::domain::train::Status;
use crate::domain::version::{Level, Version};

fn pos<T>(file: &str, s: &Spanned<T>) -> Pos {
    Pos { file: file.to_owned(), line: s.referenced.line(), column: s.referenced.column() }
}

/// The problems found so far.
#[derive(Debug, Default)]
struct Issues(Vec<Issue>);

impl Issues {
    fn add(&mut self, pos: Pos, message: String, hint: Option<String>) {
        self.0.push(Issue { pos, message, hint });
    }
}

/// Validates parsed catalog files into the model, returning every problem.
pub fn validate(parsed: Parsed) -> Result<Catalog, Vec<Issue>> {
    let (services_file, raw_services) = split(parsed.services, "catalog/services.yaml");
    let (trains_file, raw_trains) = split(parsed.trains, "catalog/release-trains.yaml");
    let (specs_file, raw_specs) = split(parsed.specs, "catalog/specs.yaml");
    let mut issues = Issues::default();
    let raw_services: Vec<RawService> = raw_services.map(|r| r.services).unwrap_or_default();
    let names = names(&services_file, &raw_services, &mut issues);
    let services = services(&services_file, &raw_services, &names, &mut issues);
    cycle(&services_file, &raw_services, &services, &names, &mut issues);
    let specs = specs(&specs_file, raw_specs, &mut issues);
    let mut trains = Vec::new();
    let mut train_names = BTreeSet::new();
    for t in raw_trains.map(|r| r.trains).unwrap_or_default() {
        let at = pos(&trains_file, &t);
        if !train_names.insert(t.value.name.value.clone()) {
            let name = &t.value.name;
            issues.add(pos(&trains_file, name), format!("duplicate train `{}`", name.value), None);
        }
        trains.push(train(&trains_file, at, t.value, &names, &mut issues));
    }
    if !issues.0.is_empty() {
        return Err(issues.0);
    }
    let index: HashMap<&str, usize> =
        services.iter().enumerate().map(|(i, s)| (s.name.as_str(), i)).collect();
    let names =
        names.into_iter().filter_map(|(n, c)| index.get(c.as_str()).map(|i| (n, *i))).collect();
    Ok(Catalog { services, trains, specs, names })
}

fn split<T>(file: Option<(String, T)>, default: &str) -> (String, Option<T>) {
    match file {
        Some((f, t)) => (f, Some(t)),
        None => (default.to_owned(), None),
    }
}

/// Every service name and alias, mapped to the service's name: names must
/// be valid in refs and unique, aliases must not take a name.
fn names(services_file: &str, raw_services: &[RawService], issues: &mut Issues) -> NameMap<String> {
    let mut names: NameMap<String> = NameMap::default();
    for s in raw_services {
        let name = &s.name;
        if name.value.trim().is_empty() {
            issues.add(pos(services_file, name), "a service name is empty".into(), None);
        } else if let Err(e) = crate::domain::tag::check_ref_name(&name.value) {
            issues.add(pos(services_file, name), format!("service name: {}", e.0), None);
        }
        if names.insert(name.value.clone(), name.value.clone()).is_some() {
            issues.add(
                pos(services_file, name),
                format!("duplicate service `{}`", name.value),
                None,
            );
        }
    }
    for s in raw_services {
        for alias in &s.aliases {
            if let Some(owner) = names.get(&alias.value) {
                let what = if owner == &alias.value {
                    "a service name"
                } else {
                    "an alias of another service"
                };
                issues.add(
                    pos(services_file, alias),
                    format!(
                        "alias `{}` of `{}` is already {what} (`{owner}`)",
                        alias.value, s.name.value
                    ),
                    None,
                );
            } else {
                names.insert(alias.value.clone(), s.name.value.clone());
            }
        }
    }
    names
}

/// The services, their dependencies resolved through `names`, their paths
/// inside the repository and their tag patterns valid.
fn services(
    services_file: &str,
    raw_services: &[RawService],
    names: &NameMap<String>,
    issues: &mut Issues,
) -> Vec<Service> {
    let mut services = Vec::new();
    for r in raw_services {
        let mut depends_on = Vec::new();
        for d in &r.depends_on {
            match names.get(&d.value) {
                Some(c) if c == &r.name.value => {
                    issues.add(
                        pos(services_file, d),
                        format!("service `{}` depends on itself", r.name.value),
                        None,
                    );
                }
                Some(c) => depends_on.push(c.clone()),
                None => issues.add(
                    pos(services_file, d),
                    format!("`{}` depends on unknown service `{}`", r.name.value, d.value),
                    did_you_mean(&d.value, names.keys().map(String::as_str)),
                ),
            }
        }
        if r.path.value.trim().is_empty() {
            issues.add(
                pos(services_file, &r.path),
                format!("path of `{}` is empty", r.name.value),
                Some("write `.` for a service that owns the whole repository".into()),
            );
        } else if repo_path::escapes(&r.path.value) {
            issues.add(
                pos(services_file, &r.path),
                format!("path `{}` of `{}` is outside the repository", r.path.value, r.name.value),
                Some(repo_path::HINT.into()),
            );
        }
        for f in r.version_files.iter().chain(r.changelog.iter()) {
            if f.value.is_empty() || repo_path::escapes(&f.value) {
                issues.add(
                    pos(services_file, f),
                    format!("path `{}` is outside the repository", f.value),
                    Some(repo_path::HINT.into()),
                );
            }
        }
        let tag = r.tag.as_ref().map_or_else(|| DEFAULT_TAG.to_owned(), |t| t.value.clone());
        // The default pattern is valid for any name that passed the checks above.
        if let Some(t) = &r.tag
            && let Err(e) = TagPattern::new(&t.value, &r.name.value)
        {
            issues.add(pos(services_file, t), e.0, Some("for example `{name}-v{version}`".into()));
        }
        services.push(Service {
            name: r.name.value.clone(),
            aliases: r.aliases.iter().map(|a| a.value.clone()).collect(),
            path: r.path.value.trim_end_matches('/').to_owned(),
            depends_on,
            tag,
            version_files: r.version_files.iter().map(|f| f.value.clone()).collect(),
            changelog: r.changelog.as_ref().map(|c| c.value.clone()),
            hooks: r.hooks.clone(),
        });
    }
    services
}

/// Reports one dependency cycle, printed in order, at the `depends_on`
/// entry that closes it.
fn cycle(
    services_file: &str,
    raw_services: &[RawService],
    services: &[Service],
    names: &NameMap<String>,
    issues: &mut Issues,
) {
    let graph: Vec<(&str, &[String])> =
        services.iter().map(|s| (s.name.as_str(), s.depends_on.as_slice())).collect();
    if let Some(cycle) = crate::domain::graph::find_cycle(&graph) {
        let first = raw_services.iter().find(|s| s.name.value == cycle[0]);
        let at = first
            .and_then(|s| s.depends_on.iter().find(|d| names.get(&d.value) == Some(&cycle[1])))
            .map_or_else(
                || Pos { file: services_file.into(), line: 1, column: 1 },
                |d| pos(services_file, d),
            );
        issues.add(
            at,
            format!("dependency cycle: {}", cycle.join(" → ")),
            Some("remove one of these `depends_on` entries".into()),
        );
    }
}

/// The versions listed per spec and library, each a full version.
fn specs(specs_file: &str, raw_specs: Option<RawSpecs>, issues: &mut Issues) -> Specs {
    let mut specs = Specs::default();
    if let Some(raw) = raw_specs {
        for (kind, table, out) in [
            ("spec", raw.specs, &mut specs.specs),
            ("library", raw.libraries, &mut specs.libraries),
        ] {
            for (name, versions) in table {
                let mut list = Vec::new();
                for v in versions {
                    match Version::parse(&v.value) {
                        Ok(ver) => list.push(ver),
                        Err(e) => issues.add(
                            pos(specs_file, &v),
                            format!("{kind} `{name}`: {e}"),
                            Some("write versions as MAJOR.MINOR.PATCH, quoted".into()),
                        ),
                    }
                }
                out.insert(name, list);
            }
        }
    }

    specs
}

/// One train: its participants and their version rules, target version,
/// dependencies, gates, status, schedule and rollback settings.
fn train(
    trains_file: &str,
    at_train: Pos,
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
    let rollback_timeout =
        r.rollback.as_ref().and_then(|rb| rb.timeout.as_ref()).and_then(&mut duration);
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

/// `target_version: VERSION` (everyone) or `SERVICE:VERSION`: the rule of
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
        match Version::parse(version) {
            Err(e) => issues.add(
                pos(trains_file, tv),
                format!("target_version: {e}"),
                Some("write it as \"VERSION\" or \"SERVICE:VERSION\", quoted".into()),
            ),
            Ok(v) => {
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
                        participants[i].rule = VersionRule::TrainTarget(v.clone());
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

/// Every gate in its form: an expression, `custom:`, `command:`, `approvals:`.
fn gate_list(trains_file: &str, r: &RawTrain, issues: &mut Issues) -> Vec<Gate> {
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
fn status(trains_file: &str, r: &RawTrain, issues: &mut Issues) -> Status {
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

/// Parses `90s`, `10m`, `2h`, `1h30m`, `1d` into seconds.
pub fn parse_duration(text: &str) -> Option<u64> {
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
pub fn parse_percent(text: &str) -> Option<f64> {
    let n: f64 = text.trim().trim_end_matches('%').trim().parse().ok()?;
    (0.0..=100.0).contains(&n).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::super::raw::RawServices;
    use super::*;

    fn raw_services(yaml: &str) -> Vec<RawService> {
        serde_saphyr::from_str::<RawServices>(yaml).unwrap().services
    }

    fn raw_train(yaml: &str) -> RawTrain {
        serde_saphyr::from_str(yaml).unwrap()
    }

    fn messages(issues: &Issues) -> Vec<String> {
        issues.0.iter().map(|i| format!("{}:{} {}", i.pos.line, i.pos.column, i.message)).collect()
    }

    const SERVICES: &str = "services:\n  - name: curve\n    aliases: [curve-service]\n    path: services/curve\n  - name: risk\n    path: services/risk\n    depends_on: [curve-service]\n";

    fn known() -> NameMap<String> {
        names("s.yaml", &raw_services(SERVICES), &mut Issues::default())
    }

    #[test]
    fn names_are_unique_and_aliases_take_no_name() {
        let mut issues = Issues::default();
        let raw = raw_services(
            "services:\n  - name: a\n    path: a\n    aliases: [b]\n  - name: b\n    path: b\n  - name: a\n    path: c\n",
        );
        let names = names("s.yaml", &raw, &mut issues);
        assert_eq!(names.get("a").map(String::as_str), Some("a"));
        assert_eq!(
            messages(&issues),
            ["7:11 duplicate service `a`", "4:15 alias `b` of `a` is already a service name (`b`)"]
        );
    }

    #[test]
    fn services_resolve_aliases_and_stay_inside() {
        let mut issues = Issues::default();
        let raw = raw_services(SERVICES);
        let list = services("s.yaml", &raw, &known(), &mut issues);
        assert_eq!(list[1].depends_on, ["curve"]);
        assert_eq!(list[0].tag, DEFAULT_TAG);
        let raw =
            raw_services("services:\n  - name: x\n    path: ../x\n    depends_on: [x, nope]\n");
        let names = names("s.yaml", &raw, &mut Issues::default());
        services("s.yaml", &raw, &names, &mut issues);
        assert_eq!(
            messages(&issues),
            [
                "4:18 service `x` depends on itself",
                "4:21 `x` depends on unknown service `nope`",
                "3:11 path `../x` of `x` is outside the repository"
            ]
        );
    }

    #[test]
    fn a_cycle_is_reported_in_order_where_it_closes() {
        let raw = raw_services(
            "services:\n  - name: a\n    path: a\n    depends_on: [b]\n  - name: b\n    path: b\n    depends_on: [a]\n",
        );
        let mut issues = Issues::default();
        let names = names("s.yaml", &raw, &mut issues);
        let list = services("s.yaml", &raw, &names, &mut issues);
        cycle("s.yaml", &raw, &list, &names, &mut issues);
        assert_eq!(messages(&issues), ["4:18 dependency cycle: a → b → a"]);
    }

    #[test]
    fn specs_are_full_versions_read_as_text() {
        let raw: RawSpecs =
            serde_saphyr::from_str("specs:\n  api: [\"2.10.0\", \"2.1\"]\n").unwrap();
        let mut issues = Issues::default();
        let specs = specs("p.yaml", Some(raw), &mut issues);
        assert_eq!(specs.specs["api"], [Version::new(2, 10, 0)]);
        assert_eq!(issues.0.len(), 1);
        assert!(issues.0[0].message.starts_with("spec `api`:"), "{:?}", issues.0);
    }

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

    #[test]
    fn schedules_and_rollbacks_are_read_with_their_units() {
        let r = raw_train(
            "name: t\nparticipants: [curve]\nschedule:\n  start_time: tomorrow\n  estimated_duration: 1h30m\nrollback:\n  enabled: false\n  timeout: 10x\n  health_check_threshold: 90%\n",
        );
        let mut issues = Issues::default();
        let at = Pos { file: "t.yaml".into(), line: 1, column: 1 };
        let t = train("t.yaml", at, r, &known(), &mut issues);
        assert_eq!((t.estimated_duration, t.rollback_enabled), (Some(5400), false));
        assert_eq!(t.health_check_threshold, Some(90.0));
        assert_eq!(
            messages(&issues),
            ["8:12 bad duration `10x`", "4:15 start_time `tomorrow` is not an RFC 3339 time"]
        );
    }
}
