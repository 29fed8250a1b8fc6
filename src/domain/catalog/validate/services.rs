//! The services: their names and aliases, paths, tags and dependencies
//! (and their cycle), and the versions of the specs they provide.

use super::{Issues, pos};
use crate::domain::catalog::raw::{RawService, RawSpecs};
use crate::domain::catalog::{DEFAULT_TAG, NameMap, Service, Specs};
use crate::domain::repo_path;
use crate::domain::suggestion::did_you_mean;
use crate::domain::tag::TagPattern;
use crate::domain::version::Version;
use crate::error::Location;

/// Every service name and alias, mapped to the service's name: names must
/// be valid in refs and unique, aliases must not take a name.
pub(super) fn names(
    services_file: &str,
    raw_services: &[RawService],
    issues: &mut Issues,
) -> NameMap<String> {
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
pub(super) fn services(
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
pub(super) fn cycle(
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
            .map_or_else(|| Location::new(services_file, 1, 1), |d| pos(services_file, d));
        issues.add(
            at,
            format!("dependency cycle: {}", cycle.join(" → ")),
            Some("remove one of these `depends_on` entries".into()),
        );
    }
}

/// The versions listed per spec and library, each a full version.
pub(super) fn specs(specs_file: &str, raw_specs: Option<RawSpecs>, issues: &mut Issues) -> Specs {
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

#[cfg(test)]
mod tests {
    use super::super::testing::{SERVICES, known, messages, raw_services};
    use super::*;
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
}
