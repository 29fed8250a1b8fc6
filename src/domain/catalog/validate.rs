//! From the catalog files as written to the model, every problem reported
//! with its file, line and column.
//!
//! One validator at a time: the services, their names and the specs
//! (`services.rs`); a train, its participants and their versions
//! (`train.rs`); a train's gates and status (`gates.rs`).

mod gates;
mod services;
mod train;

use std::collections::{BTreeSet, HashMap};

use serde_saphyr::Spanned;

use self::services::{cycle, names, services, specs};
use self::train::train;
use super::raw::RawService;
use super::{Catalog, Parsed};
use crate::error::{Location, Problem};

fn pos<T>(file: &str, s: &Spanned<T>) -> Location {
    Location::new(file, s.referenced.line(), s.referenced.column())
}

/// The problems found so far.
#[derive(Debug, Default)]
struct Issues(Vec<Problem>);

impl Issues {
    fn add(&mut self, pos: Location, message: String, hint: Option<String>) {
        self.0.push(Problem { message, location: Some(pos), hint });
    }
}

/// Validates parsed catalog files into the model, returning every problem.
pub fn validate(parsed: Parsed) -> Result<Catalog, Vec<Problem>> {
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

/// What the validators' unit tests share.
#[cfg(test)]
mod testing {
    use super::super::raw::{RawServices, RawTrain};
    use super::services::names;
    use super::*;
    use crate::domain::catalog::NameMap;

    pub(super) fn raw_services(yaml: &str) -> Vec<RawService> {
        serde_saphyr::from_str::<RawServices>(yaml).unwrap().services
    }

    pub(super) fn raw_train(yaml: &str) -> RawTrain {
        serde_saphyr::from_str(yaml).unwrap()
    }

    pub(super) fn messages(issues: &Issues) -> Vec<String> {
        issues
            .0
            .iter()
            .map(|i| {
                let at = i.location.as_ref().expect("validation problems have a place");
                format!("{}:{} {}", at.line, at.column, i.message)
            })
            .collect()
    }

    pub(super) const SERVICES: &str = "services:\n  - name: curve\n    aliases: [curve-service]\n    path: services/curve\n  - name: risk\n    path: services/risk\n    depends_on: [curve-service]\n";

    pub(super) fn known() -> NameMap<String> {
        names("s.yaml", &raw_services(SERVICES), &mut Issues::default())
    }
}
