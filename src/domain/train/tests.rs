//! The train lifecycle's rules, move by move.

use super::*;

#[test]
fn advance_walks_the_main_line_and_names_the_moves_it_refuses() {
    let mut s = Status::Planning;
    let mut seen = vec![s];
    while let Ok(next) = transition(s, Move::Advance, None) {
        s = next;
        seen.push(s);
    }
    assert_eq!(seen, MAIN_LINE);
    let refused = transition(Status::Completed, Move::Advance, None).unwrap_err();
    assert_eq!(refused.allowed, [(Move::RollBack, Status::RolledBack)]);
    assert_eq!(
        refused.to_string(),
        "a train that is completed cannot advance; allowed: rollback (→ rolled_back)"
    );
}

#[test]
fn pause_and_resume_return_where_the_train_was() {
    for from in ALL.into_iter().filter(|s| s.is_active()) {
        assert_eq!(transition(from, Move::Pause, None), Ok(Status::Paused));
        assert_eq!(transition(Status::Paused, Move::Resume, Some(from)), Ok(from));
    }
    let refused = transition(Status::Paused, Move::Advance, Some(Status::Staging)).unwrap_err();
    assert_eq!(refused.allowed, [(Move::Resume, Status::Staging)]);
    assert!(transition(Status::Completed, Move::Pause, None).is_err());
    assert!(transition(Status::Staging, Move::Resume, None).is_err());
}

#[test]
fn every_pair_of_statuses_is_either_a_listed_move_or_refused() {
    for from in ALL {
        for asked in [Move::Advance, Move::Pause, Move::Resume, Move::Fail, Move::RollBack] {
            let listed = TRANSITIONS.iter().any(|(m, f)| *m == asked && f.contains(&from));
            let paused_from = (from == Status::Paused).then_some(Status::Executing);
            assert_eq!(transition(from, asked, paused_from).is_ok(), listed, "{from} {asked:?}");
        }
    }
    assert_eq!(transition(Status::Failed, Move::RollBack, None), Ok(Status::RolledBack));
    assert!(transition(Status::Planning, Move::RollBack, None).is_err());
    assert!(transition(Status::RolledBack, Move::Fail, None).is_err());
}

#[test]
fn resume_compares_the_intent_with_the_repository() {
    let seen = |tag: Option<&str>, parent: Option<&str>, release: Option<&str>| Observed {
        tag_commit: tag.map(str::to_owned),
        tag_parent: parent.map(str::to_owned),
        release_commit: release.map(str::to_owned),
    };
    assert_eq!(resume_point("s", &seen(None, None, None)), Resume::Redo);
    assert_eq!(
        resume_point("s", &seen(None, None, Some("r"))),
        Resume::TagOnly { commit: "r".into() }
    );
    assert_eq!(
        resume_point("s", &seen(Some("r"), Some("s"), Some("r"))),
        Resume::Finished { commit: "r".into() }
    );
    // A tag alone is no proof: on another commit it is a conflict.
    assert_eq!(
        resume_point("s", &seen(Some("x"), Some("y"), None)),
        Resume::Conflict { found: "x".into(), expected: "s".into() }
    );
    assert_eq!(
        resume_point("s", &seen(Some("x"), Some("s"), Some("r"))),
        Resume::Conflict { found: "x".into(), expected: "r".into() }
    );
}
