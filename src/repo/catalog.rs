//! Reading the catalog, metrics, policies and train state from disk.
//!
//! Every file is parsed before anything is validated, and the problems of
//! all files are reported together, each with its file, line and column.

use std::collections::BTreeMap;

use super::Repo;
use crate::domain::catalog::{self, Catalog, Parsed, RawServices, RawTrains};
use crate::domain::gates::MetricValue;
use crate::domain::gates::Metrics;
use crate::domain::policy::{Policies, RawPolicies};
use crate::error::{Error, ErrorKind, Location, Result};

/// Tells whether a YAML text holds nothing but comments and blank lines.
pub(super) fn is_blank_yaml(text: &str) -> bool {
    text.lines().all(|l| {
        let t = l.trim();
        t.is_empty() || t.starts_with('#') || t == "---"
    })
}

impl Repo {
    /// Returns the path of a file of the catalog folder.
    pub fn catalog_file(&self, name: &str) -> String {
        format!("{}/{name}", self.config.catalog.value.trim_end_matches('/'))
    }

    /// Loads and validates the catalog; `None` when there is no services file
    /// (or it lists nothing), which means a single project.
    pub fn catalog_optional(&self) -> Result<Option<Catalog>> {
        self.catalog_reading(None)
    }

    /// Loads the catalog as it would read with `trains_text` in the trains
    /// file: an edit read back before it is written.
    pub fn catalog_with_trains(&self, trains_text: &str) -> Result<Option<Catalog>> {
        self.catalog_reading(Some(trains_text.to_owned()))
    }

    /// `catalog_optional`, with the trains file's text `trains` when given.
    fn catalog_reading(&self, trains: Option<String>) -> Result<Option<Catalog>> {
        let services_file = self.catalog_file("services.yaml");
        let Some(services_text) = self.read(&services_file)?.filter(|t| !is_blank_yaml(t)) else {
            return Ok(None);
        };
        let trains_file = self.trains_file();
        let specs_file = self.catalog_file("specs.yaml");
        let trains_text = match trains {
            Some(text) => Some(text),
            None => self.read(&trains_file)?,
        }
        .filter(|t| !is_blank_yaml(t));
        let specs_text = self.read(&specs_file)?.filter(|t| !is_blank_yaml(t));
        let mut problems = Vec::new();
        let mut parsed = Parsed::default();
        match crate::yaml::parse::<RawServices>(&services_text, &services_file) {
            Ok(raw) => parsed.services = Some((services_file, raw)),
            Err(e) => problems.extend(e.problems),
        }
        match trains_text.as_deref().map(|t| crate::yaml::parse::<RawTrains>(t, &trains_file)) {
            Some(Ok(raw)) => parsed.trains = Some((trains_file, raw)),
            Some(Err(e)) => problems.extend(e.problems),
            None => {}
        }
        if let Some(text) = &specs_text {
            match crate::yaml::parse(text, &specs_file) {
                Ok(raw) => parsed.specs = Some((specs_file, raw)),
                Err(e) => problems.extend(e.problems),
            }
        }
        if !problems.is_empty() {
            return Err(Error::many(ErrorKind::Input, problems));
        }
        let catalog =
            catalog::validate(parsed).map_err(|issues| Error::many(ErrorKind::Input, issues))?;
        Ok(Some(catalog))
    }

    /// Loads the catalog, refusing a repository that has none.
    pub fn catalog(&self) -> Result<Catalog> {
        self.catalog_optional()?.ok_or_else(|| self.no_catalog())
    }

    /// The error of a command that needs a catalog in a repository without one.
    pub fn no_catalog(&self) -> Error {
        Error::input(format!(
            "no catalog: `{}` does not exist or lists no services",
            self.catalog_file("services.yaml")
        ))
        .hint("`relman init --example platform` writes a sample catalog")
    }

    /// Reads `catalog/metrics/<service>.yaml`; `None` when absent.
    pub fn metrics(&self, service: &str) -> Result<Option<Metrics>> {
        let file = self.catalog_file(&format!("metrics/{service}.yaml"));
        let Some(text) = self.read(&file)? else { return Ok(None) };
        if is_blank_yaml(&text) {
            return Ok(Some(Metrics::new()));
        }
        let raw: BTreeMap<String, serde_saphyr::Spanned<MetricValue>> =
            crate::yaml::parse(&text, &file)?;
        // Each value's own line and column, as the parser read it.
        let at = |key: &str| {
            raw.get(key).map_or_else(
                || Location::file(file.clone()),
                |v| Location::new(file.clone(), v.referenced.line(), v.referenced.column()),
            )
        };
        for (key, kind) in
            [("quality_score", "0 to 100"), ("coverage", "0 to 100"), ("failure_rate", "0 to 100")]
        {
            if let Some(MetricValue::Number(n)) = raw.get(key).map(|v| v.value)
                && !(0.0..=100.0).contains(&n)
            {
                return Err(Error::input(format!("`{key}` is {n}, expected {kind}")).at(at(key)));
            }
        }
        for (key, want_bool) in [
            ("quality_score", false),
            ("coverage", false),
            ("failure_rate", false),
            ("critical_vulns", false),
            ("healthy", true),
        ] {
            match raw.get(key).map(|v| v.value) {
                Some(MetricValue::Bool(_)) if !want_bool => {
                    return Err(Error::input(format!("`{key}` must be a number")).at(at(key)));
                }
                Some(MetricValue::Number(_)) if want_bool => {
                    return Err(Error::input(format!("`{key}` must be true or false")).at(at(key)));
                }
                _ => {}
            }
        }
        Ok(Some(raw.into_iter().map(|(k, v)| (k, v.value)).collect()))
    }

    /// Returns the policies file in use: `relman.yaml`'s `paths.policies`,
    /// else `catalog/upgrade-policies.yaml`, else `config/upgrade-policies.yaml`.
    pub fn policies_file(&self) -> Result<Option<String>> {
        if !self.config.policies.value.is_empty() {
            return Ok(Some(self.config.policies.value.clone()));
        }
        let primary = self.catalog_file("upgrade-policies.yaml");
        let fallback = "config/upgrade-policies.yaml".to_owned();
        let has = |f: &str| self.path(f, "policies").map(|p| p.is_file());
        match (has(&primary)?, has(&fallback)?) {
            (true, true) => Err(Error::input(format!(
                "both `{primary}` and `{fallback}` exist; relman would not know which to obey"
            ))
            .hint("keep one of them")),
            (true, false) => Ok(Some(primary)),
            (false, true) => Ok(Some(fallback)),
            (false, false) => Ok(None),
        }
    }

    /// Loads the policies (defaults when there is no file), read once
    /// per run: a file edited while a command runs is not half seen (a
    /// train checks its inputs' digests at each step).
    pub fn policies(&self) -> Result<Policies> {
        if let Some(policies) = self.policies.get() {
            return Ok(policies.clone());
        }
        let policies = self.read_policies()?;
        Ok(self.policies.get_or_init(|| policies).clone())
    }

    fn read_policies(&self) -> Result<Policies> {
        let Some(file) = self.policies_file()? else { return Ok(Policies::default()) };
        let Some(text) = self.read(&file)?.filter(|t| !is_blank_yaml(t)) else {
            return Ok(Policies::default());
        };
        let raw: RawPolicies = crate::yaml::parse(&text, &file)?;
        Policies::from_raw(raw).map_err(|e| {
            let at = match e.at {
                Some((line, column)) => Location::new(file, line, column),
                None => Location::file(file),
            };
            Error::input(e.message).at(at)
        })
    }
}
