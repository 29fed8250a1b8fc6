//! Properties over generated catalogs (issue 3, acceptance 2 and 3):
//! plans are valid topological orders in independent waves, as many waves
//! as the longest dependency chain; no mutated catalog makes the loader panic.
//! And over generated histories: `status`, `train plan` and `next` agree
//! with git, in both history modes (issue 18, item 27).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use relman::domain::catalog::{self, Catalog, Parsed, RawServices, RawTrains};
use relman::domain::plan;
use relman::yaml;

/// A random DAG: service `i` may depend on services with a lower index.
fn dag() -> impl Strategy<Value = (Vec<Vec<usize>>, Vec<bool>)> {
    (50usize..=500).prop_flat_map(|n| {
        let deps = (0..n)
            .map(|i| {
                if i == 0 {
                    Just(Vec::new()).boxed()
                } else {
                    proptest::collection::vec(0..i, 0..=3.min(i)).boxed()
                }
            })
            .collect::<Vec<_>>();
        (deps, proptest::collection::vec(proptest::bool::weighted(0.4), n))
    })
}

fn load(services: &str, trains: &str) -> Catalog {
    let raw_services: RawServices = yaml::parse(services, "catalog/services.yaml").unwrap();
    let raw_trains: RawTrains = yaml::parse(trains, "catalog/release-trains.yaml").unwrap();
    catalog::validate(Parsed {
        services: Some(("catalog/services.yaml".into(), raw_services)),
        trains: Some(("catalog/release-trains.yaml".into(), raw_trains)),
        specs: None,
    })
    .unwrap_or_else(|issues| panic!("{issues:?}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn plans_are_topological_independent_and_minimal((deps, in_train) in dag()) {
        let name = |i: usize| format!("s{i:03}");
        let mut services = String::from("services:\n");
        for (i, d) in deps.iter().enumerate() {
            let list: BTreeSet<String> = d.iter().map(|&j| name(j)).collect();
            services.push_str(&format!(
                "  - name: {}\n    path: services/{}\n    depends_on: [{}]\n",
                name(i), name(i), list.into_iter().collect::<Vec<_>>().join(", ")
            ));
        }
        let mut members: Vec<usize> = (0..deps.len()).filter(|&i| in_train[i]).collect();
        if members.is_empty() {
            members.push(deps.len() - 1);
        }
        let trains = format!(
            "trains:\n  - name: t\n    participants: [{}]\n",
            members.iter().rev().map(|&i| name(i)).collect::<Vec<_>>().join(", ")
        );
        let catalog = load(&services, &trains);
        let train = catalog.train("t").unwrap();
        let names: Vec<&str> = train.participants.iter().map(|p| p.service.as_str()).collect();
        let waves = plan::waves(&names, |s| catalog.service(s).map(|x| x.depends_on.as_slice()).unwrap_or_default());

        // Every participant exactly once.
        let mut wave_of = BTreeMap::new();
        for (w, wave) in waves.iter().enumerate() {
            for s in wave {
                prop_assert!(wave_of.insert(*s, w).is_none(), "{} twice", s);
            }
        }
        prop_assert_eq!(wave_of.len(), names.len());
        // Dependencies inside the train come in strictly earlier waves, so
        // no wave holds a dependency among its members.
        for s in &names {
            for d in &catalog.service(s).unwrap().depends_on {
                if let Some(dw) = wave_of.get(d.as_str()) {
                    prop_assert!(dw < &wave_of[s], "{} in wave {} depends on {} in wave {}", s, wave_of[s], d, dw);
                }
            }
        }
        // As many waves as the longest chain among participants.
        let member: BTreeSet<&str> = names.iter().copied().collect();
        let mut longest: BTreeMap<&str, usize> = BTreeMap::new();
        for (i, d) in deps.iter().enumerate() {
            let n = name(i);
            if let Some(s) = member.get(n.as_str()) {
                let l = d.iter().filter_map(|&j| longest.get(name(j).as_str())).max().map_or(1, |m| m + 1);
                longest.insert(s, l);
            }
        }
        prop_assert_eq!(waves.len(), longest.values().copied().max().unwrap_or(0));
    }

    #[test]
    fn mutated_catalogs_never_panic(
        edits in proptest::collection::vec((any::<usize>(), 0u8..3, proptest::sample::select(b"\n\t :-[]{}&*!|>'\"%@#,?x0.".to_vec())), 1..6),
        which in 0usize..2,
    ) {
        let originals = [
            include_str!("../../catalog/services.yaml"),
            include_str!("../../catalog/release-trains.yaml"),
        ];
        let mut text = originals[which].as_bytes().to_vec();
        for (at, op, byte) in edits {
            let at = at % text.len();
            match op {
                0 => text[at] = byte,
                1 => text.insert(at, byte),
                _ => { text.remove(at); }
            }
        }
        let Ok(text) = String::from_utf8(text) else { return Ok(()) };
        let services = if which == 0 { text.as_str() } else { originals[0] };
        let trains = if which == 1 { text.as_str() } else { originals[1] };
        let raw_services: Result<RawServices, _> = yaml::parse(services, "catalog/services.yaml");
        let raw_trains: Result<RawTrains, _> = yaml::parse(trains, "catalog/release-trains.yaml");
        if let (Ok(s), Ok(t)) = (raw_services, raw_trains) {
            let _ = catalog::validate(Parsed {
                services: Some(("catalog/services.yaml".into(), s)),
                trains: Some(("catalog/release-trains.yaml".into(), t)),
                specs: None,
            });
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, max_shrink_iters: 8, ..ProptestConfig::default() })]

    /// On a random monorepo history, with `release.history` full and then
    /// first-parent, every service's last release, commits since it and
    /// next version are git's, in `status`, `train plan` and `next` alike.
    #[test]
    fn status_plan_and_next_agree_with_git_in_both_history_modes(seed in any::<u64>()) {
        let repo = crate::oracle::random_services_history(seed);
        for first_parent in [false, true] {
            crate::oracle::status_plan_and_next_agree_with_git(&repo, first_parent);
        }
    }
}
