use super::*;

fn commit(subject: &str, author: &str) -> Commit {
    let mut c = Commit::new("1234567890", subject);
    c.author = author.to_owned();
    c
}

#[test]
fn own_release_commits_follow_the_message_pattern() {
    let own = OwnReleases::new("chore(release): {tag}");
    assert!(own.matches("chore(release): v1.2.0"));
    assert!(!own.matches("chore(release): "));
    assert!(!own.matches("release: v1.2.0"));
    let own = OwnReleases::new("release {version} ({tag})");
    assert!(own.matches("release 1.2.0 (v1.2.0)"));
    assert!(!own.matches("release 1.2.0"));
}

#[test]
fn skip_needs_every_given_pattern() {
    let rules = Rules::new(
        "chore(release): {tag}",
        vec![
            Skip { subject: Some("release: v*".into()), author: None },
            Skip { subject: Some("fix(deps):*".into()), author: Some("*[bot]*".into()) },
        ],
        Vec::new(),
        InitialDevelopment::default(),
    );
    assert!(!rules.counts(&commit("release: v8.2.2", "A <a@x>")));
    assert!(!rules.counts(&commit("fix(deps): bump x", "dependabot[bot] <b@x>")));
    assert!(rules.counts(&commit("fix(deps): bump x", "A <a@x>")));
    assert!(rules.counts(&commit("fix: x", "dependabot[bot] <b@x>")));
    assert!(!rules.listed(&commit("chore(release): v1.0.0", "A <a@x>"), None));
}

#[test]
fn types_set_section_and_bump() {
    let rules = Rules::new(
        "chore(release): {tag}",
        Vec::new(),
        vec![
            TypeRule {
                name: "deps".into(),
                section: Some("Dependencies".into()),
                bump: Some(Bump::Patch),
            },
            TypeRule { name: "perf".into(), section: None, bump: Some(Bump::None) },
            TypeRule { name: "docs".into(), section: Some("Documentation".into()), bump: None },
        ],
        InitialDevelopment::default(),
    );
    let parse = |m| Conventional::parse(m).unwrap();
    assert_eq!(rules.bump(&parse("deps: bump x")), Some(Level::Patch));
    assert_eq!(rules.section(Some(&parse("deps: bump x"))), "Dependencies");
    assert_eq!(rules.bump(&parse("perf: faster")), None);
    assert_eq!(rules.section(Some(&parse("perf: faster"))), "Improvements");
    assert_eq!(rules.bump(&parse("docs: x")), None);
    // A breaking change is breaking whatever its type.
    assert_eq!(rules.bump(&parse("deps!: drop x")), Some(Level::Major));
    assert_eq!(rules.section(Some(&parse("deps!: drop x"))), "Breaking Changes");
    assert_eq!(
        rules.sections(),
        [
            "Breaking Changes",
            "New Features",
            "Improvements",
            "Bug Fixes",
            "Security Updates",
            "Dependencies",
            "Documentation",
            "Other"
        ]
    );
}

#[test]
fn default_bump_counts_unlisted_types_and_other_commits() {
    let parse = |m| Conventional::parse(m).unwrap();
    let rules = Rules::default();
    assert_eq!(rules.bump(&parse("rt: faster")), None);
    assert_eq!(rules.bump_of(None), None);
    let rules = Rules::default()
        .with_default_bump(DefaultBump { conventional: Bump::Patch, other: Bump::None });
    assert_eq!(rules.bump(&parse("rt: faster")), Some(Level::Patch));
    // Known types keep their own bump.
    assert_eq!(rules.bump(&parse("chore: tidy")), None);
    assert_eq!(rules.bump(&parse("feat: more")), Some(Level::Minor));
    assert_eq!(rules.bump_of(None), None);
    assert_eq!(rules.releasing(), "feat, fix, perf, security, any unlisted type or breaking");
    let rules = Rules::default()
        .with_default_bump(DefaultBump { conventional: Bump::None, other: Bump::Patch });
    assert_eq!(rules.bump_of(None), Some(Level::Patch));
    assert_eq!(Rules::default().releasing(), "feat, fix, perf, security or breaking");
}

#[test]
fn omit_from_notes_hides_but_never_a_breaking_change() {
    let rules = Rules::default().with_omit_from_notes(vec!["docs".into(), "*typo*".into()]);
    let listed = |m: &str| rules.listed(&commit(m, "A <a@x>"), Conventional::parse(m).as_ref());
    assert!(!listed("docs: guide"));
    assert!(!listed("fix: a typo in the help"));
    assert!(listed("docs!: the old guide is gone"));
    assert!(listed("fix: crash"));
    assert!(!listed("chore(release): v1.0.0"));
}

#[test]
fn nothing_released_names_what_was_seen_and_the_setting() {
    let parse = |m| Conventional::parse(m);
    let commits = [parse("rt: a"), parse("sync: b"), parse("sync: c"), parse("docs: d"), None];
    let text = Rules::default().nothing_released(commits.iter().map(Option::as_ref)).unwrap();
    assert!(text.starts_with("types seen that release nothing: `sync` (2), `docs` (1), `rt` (1); 1 commit not conventional\n"), "{text}");
    assert!(text.contains("default_bump: {conventional: patch, other: patch}"), "{text}");
    // Only known types: no default_bump, a type rule instead.
    let text = Rules::default().nothing_released([parse("docs: d").as_ref()]).unwrap();
    assert!(!text.contains("default_bump") && text.contains("`docs: {bump: patch}`"), "{text}");
    let text = Rules::default().nothing_released([None]).unwrap();
    assert!(text.contains("{other: patch}") && !text.contains("commits.types"), "{text}");
    assert_eq!(Rules::default().nothing_released([]), None);
}
