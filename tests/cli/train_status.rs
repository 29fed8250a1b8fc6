//! The `status:` edit on trains written in every shape YAML allows (issue
//! 18, item 26): only the value's bytes change, every later command reads
//! the file, and a shape relman cannot edit is refused before anything is
//! written or committed.

use crate::support::TestRepo;

const FILE: &str = "catalog/release-trains.yaml";

/// Two services and the trains file `trains`, committed.
fn repo_with_trains(trains: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "catalog/services.yaml",
        "services:\n  - name: api\n    path: services/api\n  - name: web\n    path: services/web\n    depends_on: [api]\n",
    )
    .write(FILE, trains)
    .write(".gitignore", ".relman/logs/\n");
    repo.commit("chore: catalog");
    repo
}

/// Starts train `T` in a file written as `before`: one commit, the file
/// exactly `after`, committed as such, and `train show` reads it back.
#[track_caller]
fn start_edits(before: &str, after: &str) {
    let repo = repo_with_trains(before);
    let head = repo.git(&["rev-parse", "HEAD"]);
    repo.relman(&["train", "start", "T"]).success();
    assert_eq!(repo.read(FILE), after);
    assert_eq!(repo.git(&["rev-list", "--count", &format!("{head}..HEAD")]), "1");
    assert_eq!(repo.git(&["show", &format!("HEAD:{FILE}")]), after.trim_end());
    let show = repo.relman(&["train", "show", "T", "--format", "json"]).success().json();
    assert_eq!(show["status"], "validating", "{show}");
    repo.relman(&["status"]).success();
}

#[test]
fn a_train_on_one_line_keeps_its_closing_brace() {
    start_edits(
        "trains:\n  - {name: T, participants: [api, web], status: planning}\n",
        "trains:\n  - {name: T, participants: [api, web], status: validating}\n",
    );
}

#[test]
fn a_train_on_one_line_keeps_the_keys_after_its_status() {
    start_edits(
        "trains:\n  - {name: T, status: planning, participants: [api, web]} # one line\n",
        "trains:\n  - {name: T, status: validating, participants: [api, web]} # one line\n",
    );
}

#[test]
fn a_train_on_one_line_without_status_gets_one_after_its_name() {
    start_edits(
        "trains:\n  - {name: T, participants: [api, web]}\n",
        "trains:\n  - {name: T, status: validating, participants: [api, web]}\n",
    );
}

#[test]
fn an_empty_status_is_filled_in_not_written_twice() {
    start_edits(
        "trains:\n  - name: T\n    status:\n    participants: [api, web]\n",
        "trains:\n  - name: T\n    status: validating\n    participants: [api, web]\n",
    );
    start_edits(
        "trains:\n  - name: T\n    participants: [api, web]\n    status:    # relman's\n",
        "trains:\n  - name: T\n    participants: [api, web]\n    status: validating    # relman's\n",
    );
    start_edits(
        "trains:\n  - {name: T, status: , participants: [api, web]}\n",
        "trains:\n  - {name: T, status: validating , participants: [api, web]}\n",
    );
}

#[test]
fn a_null_status_is_replaced_not_written_twice() {
    for null in ["~", "null"] {
        start_edits(
            &format!(
                "trains:\r\n  - name: T\r\n    status: {null} # new\r\n    participants: [api, web]\r\n"
            ),
            "trains:\r\n  - name: T\r\n    status: validating # new\r\n    participants: [api, web]\r\n",
        );
    }
}

#[test]
fn a_quoted_key_gets_the_new_line_at_its_own_indentation() {
    start_edits(
        "trains:\n  - \"name\": T\n    participants: [api, web]\n",
        "trains:\n  - \"name\": T\n    status: validating\n    participants: [api, web]\n",
    );
    start_edits(
        "trains:\n  - 'name': T\n    'status': \"planning\"\n    participants: [api, web]\n",
        "trains:\n  - 'name': T\n    'status': \"validating\"\n    participants: [api, web]\n",
    );
}

/// `train run` makes several transitions in one command, each editing the
/// value the one before wrote (the empty value was placed at its colon).
#[test]
fn a_train_with_an_empty_status_runs_to_the_end() {
    let repo = crate::lifecycle::platform();
    let trains = "trains:\n  - {name: t, participants: [api, web, worker], status: }\n";
    repo.write(FILE, trains);
    repo.commit("chore: one line");
    crate::lifecycle::relman(&repo, &["train", "run", "t"]).success();
    assert_eq!(
        repo.read(FILE),
        "trains:\n  - {name: t, participants: [api, web, worker], status: completed }\n"
    );
    let show = repo.relman(&["train", "show", "t", "--format", "json"]).success().json();
    assert_eq!(show["status"], "completed", "{show}");
}

#[test]
fn a_status_relman_cannot_edit_is_refused_naming_the_file_and_line() {
    let trains = "trains:\n  - name: T\n    description: &s planning\n    participants: [api, web]\n    status: *s\n";
    let repo = repo_with_trains(trains);
    let head = repo.git(&["rev-parse", "HEAD"]);
    let before = repo.snapshot();
    let run = repo.relman(&["train", "start", "T"]).code(2);
    assert!(run.stderr.contains(&format!("{FILE}:5:")), "{run}");
    assert!(run.stderr.contains("an alias"), "{run}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    repo.assert_unchanged(&before);
}

/// A flow mapping over lines without `status:` takes no line below its
/// name: the edit would not read back, so it is refused before anything is
/// written (the read-back check, whatever the shape).
#[test]
fn an_edit_that_would_not_read_back_is_refused_and_nothing_committed() {
    let trains = "trains:\n  - {\n      name: T,\n      participants: [api, web]\n    }\n";
    let repo = repo_with_trains(trains);
    repo.relman(&["train", "show", "T"]).success();
    let head = repo.git(&["rev-parse", "HEAD"]);
    let before = repo.snapshot();
    let run = repo.relman(&["train", "start", "T"]).code(2);
    assert!(run.stderr.contains(&format!("{FILE}:3:")), "{run}");
    assert!(run.stderr.contains("would not read back"), "{run}");
    assert_eq!(repo.git(&["rev-parse", "HEAD"]), head);
    repo.assert_unchanged(&before);
    repo.relman(&["train", "show", "T"]).success();
}
