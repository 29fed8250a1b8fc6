//! The CI systems' own outputs (SPEC 2, docs/ci.md): with `--ci`,
//! `RELMAN_CI=1` or `ci: true`, GitHub Actions' step outputs and summary,
//! GitLab's dotenv report; never without being asked.

use std::collections::BTreeMap;
use std::path::Path;

use crate::lifecycle::{platform, relman};
use crate::support::version_project;

/// Reads GitHub's output file: `key=value` and `key<<DELIMITER` blocks.
fn github_outputs(path: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = BTreeMap::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if let Some((key, delimiter)) = line.split_once("<<") {
            let mut value = Vec::new();
            for l in lines.by_ref() {
                if l == delimiter {
                    break;
                }
                value.push(l);
            }
            out.insert(key.to_owned(), value.join("\n"));
        } else if let Some((key, value)) = line.split_once('=') {
            out.insert(key.to_owned(), value.to_owned());
        } else {
            panic!("not an output line: {line:?} in\n{text}");
        }
    }
    out
}

struct Files {
    dir: tempfile::TempDir,
}

impl Files {
    fn new() -> Self {
        Self { dir: tempfile::tempdir().unwrap() }
    }
    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }
}

#[test]
fn next_and_create_write_github_step_outputs_and_a_summary() {
    let repo = version_project();
    let f = Files::new();
    let (output, summary) = (f.path("output"), f.path("summary"));
    let github = [("GITHUB_OUTPUT", output.as_str()), ("GITHUB_STEP_SUMMARY", summary.as_str())];
    repo.relman_env(&["next", "--ci"], &github).success();
    let keys = github_outputs(Path::new(&output));
    assert_eq!(keys["version"], "1.3.0");
    assert_eq!(keys["previous_version"], "1.2.3");
    assert_eq!(keys["bump"], "minor");
    assert_eq!(keys["released"], "false");
    assert_eq!(keys["releasable"], "true");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### relman next"), "{text}");
    assert!(text.contains("add tenor lookup"), "{text}");

    // RELMAN_CI=1 asks as `--ci` does; the files are appended to.
    std::fs::remove_file(&output).unwrap();
    let vars = [github[0], github[1], ("RELMAN_CI", "1")];
    repo.relman_env(&["create", "auto"], &vars).success();
    let keys = github_outputs(Path::new(&output));
    assert_eq!(keys["version"], "1.3.0");
    assert_eq!(keys["previous_version"], "1.2.3");
    assert_eq!(keys["tag"], "v1.3.0");
    assert_eq!(keys["released"], "true");
    assert_eq!(keys["commit"], repo.git(&["rev-parse", "HEAD"]));
    // The notes span lines: GitHub's `key<<DELIMITER` form, whole.
    assert!(std::fs::read_to_string(&output).unwrap().contains("notes<<RELMAN_EOF_"));
    assert!(keys["notes"].contains("add tenor lookup"), "{keys:?}");
    assert!(keys["notes"].contains('\n'), "{keys:?}");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### relman next"), "the summary is appended to: {text}");
    assert!(text.contains("### relman create `repo`: `1.2.3` → **1.3.0**"), "{text}");
    assert!(text.contains("| tag | `v1.3.0` |"), "{text}");
}

#[test]
fn a_value_holding_a_would_be_delimiter_or_markup_cannot_forge_outputs() {
    let repo = version_project();
    repo.change("src/x.rs", "feat: evil\n\nreleased=forged\nEOF\n<script>x</script>");
    repo.change("src/y.rs", "feat: <img src=x onerror=alert(1)>");
    let f = Files::new();
    let (output, summary) = (f.path("output"), f.path("summary"));
    let vars = [("GITHUB_OUTPUT", output.as_str()), ("GITHUB_STEP_SUMMARY", summary.as_str())];
    repo.relman_env(&["create", "auto", "--ci"], &vars).success();
    let keys = github_outputs(Path::new(&output));
    assert_eq!(keys["released"], "true");
    assert!(!std::fs::read_to_string(&summary).unwrap().contains("<img"));
}

#[test]
fn gitlab_gets_the_keys_upper_cased_in_a_dotenv_report() {
    let repo = version_project();
    // `ci: true` in relman.yaml asks for it.
    repo.write("relman.yaml", "ci: true\n");
    repo.commit("chore: ci outputs");
    let f = Files::new();
    let dotenv = f.path("build.env");
    std::fs::write(&dotenv, "OTHER=kept\nVERSION=0.0.1\n").unwrap();
    let vars = [("GITLAB_CI", "true"), ("RELMAN_CI_DOTENV", dotenv.as_str())];
    repo.relman_env(&["create", "minor"], &vars).success();
    let text = std::fs::read_to_string(&dotenv).unwrap();
    assert!(text.starts_with("OTHER=kept\n"), "{text}");
    assert!(text.contains("\nVERSION=1.3.0\n"), "{text}");
    assert!(text.contains("\nPREVIOUS_VERSION=1.2.3\n"), "{text}");
    assert!(text.contains("\nTAG=v1.3.0\n"), "{text}");
    assert!(text.contains("\nRELEASED=true\n"), "{text}");
    assert!(!text.contains("0.0.1"), "{text}");
    assert!(text.lines().all(|l| l.contains('=')), "one value a line: {text}");

    // The default file: relman.env in the current directory.
    repo.change("src/z.rs", "fix: z");
    let cwd = tempfile::tempdir().unwrap();
    let mut cmd = repo.relman_command(&["-C", &repo.root.display().to_string(), "next"]);
    let out = cmd.current_dir(cwd.path()).env("GITLAB_CI", "true").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(cwd.path().join("relman.env")).unwrap();
    assert!(text.contains("VERSION=1.3.1\n"), "{text}");
}

#[test]
fn nothing_is_written_unless_asked_nor_in_a_dry_run() {
    let repo = version_project();
    let f = Files::new();
    let (output, summary, dotenv) = (f.path("output"), f.path("summary"), f.path("x.env"));
    let vars = [
        ("GITHUB_OUTPUT", output.as_str()),
        ("GITHUB_STEP_SUMMARY", summary.as_str()),
        ("GITLAB_CI", "true"),
        ("RELMAN_CI_DOTENV", dotenv.as_str()),
    ];
    repo.relman_env(&["next"], &vars).success();
    repo.relman_env(&["create", "auto", "--dry-run", "--ci"], &vars).success();
    for file in [&output, &summary, &dotenv] {
        assert!(!Path::new(file).exists(), "{file} was written");
    }
    // Asked, but no CI system: a warning, and no file in the work tree.
    let run = repo.relman(&["next", "--ci"]).success();
    assert!(run.stderr.contains("no CI system found"), "{run}");
    assert!(!repo.exists("relman.env"));
    assert_eq!(repo.git(&["status", "--porcelain"]), "");
}

#[test]
fn train_run_and_rollback_write_their_keys() {
    let repo = platform();
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    let f = Files::new();
    let (output, summary) = (f.path("output"), f.path("summary"));
    let log = crate::lifecycle::hook_log(&repo);
    let vars = [
        ("GITHUB_OUTPUT", output.as_str()),
        ("GITHUB_STEP_SUMMARY", summary.as_str()),
        ("HOOK_LOG", log.to_str().unwrap()),
    ];
    repo.relman_env(&["train", "run", "t", "--ci"], &vars).success();
    let keys = github_outputs(Path::new(&output));
    assert_eq!(keys["train"], "t");
    assert_eq!(keys["status"], "completed");
    assert_eq!(keys["released"], "true");
    assert_eq!(keys["tags"], "api-v1.1.0\nweb-v1.1.0\nworker-v1.1.0");
    assert_eq!(keys["services"], "api@1.1.0\nweb@1.1.0\nworker@1.1.0");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### relman train `t`: completed"), "{text}");
    assert!(text.contains("| api | 1.0.0 | 1.1.0 |"), "{text}");

    std::fs::remove_file(&output).unwrap();
    repo.relman_env(&["rollback", "--train", "t", "--reason", "bad", "--yes", "--ci"], &vars)
        .success();
    let keys = github_outputs(Path::new(&output));
    assert_eq!(keys["train"], "t");
    assert_eq!(keys["reason"], "bad");
    assert_eq!(keys["rolled_back"], "worker\nweb\napi");
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### relman rollback `t`"), "{text}");
}

/// The example workflows name only keys relman writes (docs/ci.md).
#[test]
fn the_example_workflows_read_documented_keys() {
    let doc = std::fs::read_to_string(crate::support::source_path("docs/ci.md")).unwrap();
    for file in ["examples/github-actions.yml", "examples/gitlab-ci.yml"] {
        let text = std::fs::read_to_string(crate::support::source_path(file)).unwrap();
        assert!(text.contains("--ci"), "{file}");
        let keys: Vec<&str> = text
            .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .filter_map(|w| w.split_once("outputs.").map(|(_, k)| k))
            .chain(text.split('$').skip(1).filter_map(|w| {
                let key: &str = w.split(|c: char| !(c.is_ascii_uppercase() || c == '_')).next()?;
                (!key.is_empty() && !["CI_COMMIT_BRANCH", "GITHUB_TOKEN"].contains(&key))
                    .then_some(key)
            }))
            .collect();
        assert!(!keys.is_empty(), "{file}");
        for key in keys {
            assert!(
                doc.contains(&format!("`{}`", key.to_ascii_lowercase())),
                "{file}: `{key}` is not in docs/ci.md"
            );
        }
    }
}

/// The dotenv report a `--ci` command wrote into the work tree (a GitLab
/// job's current directory is the repository's root) is relman's own
/// output: untracked, it does not make the next command of the job refuse
/// "the work tree is not clean", and it stays out of the release commit.
#[test]
fn the_dotenv_report_in_the_work_tree_does_not_make_it_dirty() {
    let repo = version_project();
    let gitlab = [("GITLAB_CI", "true")];
    repo.relman_env(&["next", "--ci"], &gitlab).success();
    assert_eq!(repo.git(&["status", "--porcelain"]), "?? relman.env");
    let run = repo.relman_env(&["create", "auto", "--ci"], &gitlab).success();
    assert!(repo.read("relman.env").contains("RELEASED=true"), "{run}");
    assert_eq!(repo.git(&["status", "--porcelain"]), "?? relman.env");
    assert!(!repo.git(&["show", "--name-only", "HEAD"]).contains("relman.env"));

    // `$RELMAN_CI_DOTENV` names it; any other untracked file still refuses.
    std::fs::remove_file(repo.root.join("relman.env")).unwrap();
    repo.change("src/z.rs", "fix: z");
    repo.write("out.env", "X=1\n").write("stray.txt", "x\n");
    let vars = [("GITLAB_CI", "true"), ("RELMAN_CI_DOTENV", "out.env")];
    let run = repo.relman_env(&["create", "auto", "--ci"], &vars).code(3);
    assert!(run.stderr.contains("the work tree is not clean: stray.txt"), "{run}");
    std::fs::remove_file(repo.root.join("stray.txt")).unwrap();
    repo.relman_env(&["create", "auto", "--ci"], &vars).success();
    assert!(repo.read("out.env").starts_with("X=1\n"));
    // Another name is not relman's.
    let run = repo.relman_env(&["create", "patch"], &gitlab).code(3);
    assert!(run.stderr.contains("the work tree is not clean: out.env"), "{run}");

    // A train's run checks the same way.
    let repo = platform();
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    repo.write("relman.env", "OTHER=kept\n");
    let log = crate::lifecycle::hook_log(&repo);
    let vars = [("GITLAB_CI", "true"), ("HOOK_LOG", log.to_str().unwrap())];
    repo.relman_env(&["train", "run", "t", "--ci"], &vars).success();
    assert!(repo.read("relman.env").contains("OTHER=kept\nTRAIN=t\n"));
}

/// GitLab refuses a dotenv report over 5 KiB ("Dotenv Artifact Too big")
/// and reads no value over lines: the notes of a large release are left
/// out of it (they are in `--format json` and `relman notes`), every other
/// key stays, one line each.
#[test]
fn the_dotenv_report_of_a_large_release_stays_within_gitlabs_limits() {
    let repo = version_project();
    for i in 0..80 {
        repo.change(
            &format!("src/f{i}.rs"),
            &format!("fix(parser): handle the corner case number {i} in the tokenizer"),
        );
    }
    let f = Files::new();
    let dotenv = f.path("relman.env");
    let vars = [("GITLAB_CI", "true"), ("RELMAN_CI_DOTENV", dotenv.as_str())];
    let run = repo.relman_env(&["create", "auto", "--ci", "--format", "json"], &vars).success();
    assert!(run.json()["notes"].as_str().unwrap().contains("corner case number 79"));
    let text = std::fs::read_to_string(&dotenv).unwrap();
    assert!(text.len() <= 5120, "{} bytes:\n{text}", text.len());
    assert!(!text.contains("NOTES="), "{text}");
    assert!(text.contains("\nTAG=v1.3.0\n") && text.contains("\nRELEASED=true\n"), "{text}");
    assert!(text.lines().all(|l| l.split_once('=').is_some_and(|(k, _)| !k.is_empty())));
}

/// Runs the `job`'s script lines of examples/gitlab-ci.yml as a GitLab
/// runner does: `sh -e`, in a fresh clone of `remote` at its `main` on a
/// detached HEAD, `relman` on the PATH, `GITLAB_CI` set, the dotenv
/// report's keys of an earlier job (`vars`) in the environment. Returns
/// whether it passed, what it printed and the clone.
fn gitlab_job(
    remote: &Path,
    job: &str,
    vars: &[(String, String)],
) -> (bool, String, tempfile::TempDir) {
    let text = std::fs::read_to_string(crate::support::source_path("examples/gitlab-ci.yml"));
    let doc: serde_json::Value = serde_saphyr::from_str(&text.unwrap()).unwrap();
    let lines: Vec<&str> =
        doc[job]["script"].as_array().unwrap().iter().map(|l| l.as_str().unwrap()).collect();
    let dir = tempfile::tempdir().unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
    };
    git(&["clone", "-q", &format!("file://{}", remote.display()), "."]);
    git(&["checkout", "-q", "--detach", "origin/main"]);
    git(&["branch", "-q", "-D", "main"]);
    let bin = Path::new(crate::support::RELMAN).parent().unwrap().display().to_string();
    let path = format!("{bin}:{}", std::env::var("PATH").unwrap_or_default());
    let out = std::process::Command::new("sh")
        .arg("-ec")
        .arg(lines.join("\n"))
        .current_dir(dir.path())
        .env_clear()
        .envs(vars.iter().cloned())
        .env("PATH", path)
        .env("HOME", dir.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GITLAB_CI", "true")
        .env("CI_COMMIT_BRANCH", "main")
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let printed =
        format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.success(), printed, dir)
}

/// The dotenv report as the variables GitLab hands a later job.
fn dotenv_vars(dir: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dir.join("relman.env")).unwrap();
    text.lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

/// examples/gitlab-ci.yml's jobs, their script lines run as GitLab runs
/// them: a feat commit is released, pushed and published; the pipeline of
/// the release commit relman pushed (every push to main starts one, as a
/// docs commit does) has nothing to release, and passes.
#[test]
fn the_gitlab_example_releases_and_passes_when_there_is_nothing_to_release() {
    let seed = version_project();
    let remote_dir = tempfile::tempdir().unwrap();
    let remote = remote_dir.path().join("remote.git");
    let root = seed.root.display().to_string();
    seed.git(&["clone", "-q", "--bare", &root, remote.to_str().unwrap()]);

    let (passed, printed, dir) = gitlab_job(&remote, "release", &[]);
    assert!(passed, "{printed}");
    let vars = dotenv_vars(dir.path());
    assert!(vars.contains(&("RELEASED".into(), "true".into())), "{vars:?}");
    assert!(vars.contains(&("PUSHED".into(), "true".into())), "{vars:?}");
    let tags = std::process::Command::new("git")
        .args(["--git-dir", remote.to_str().unwrap(), "tag", "-l", "v1.3.0"])
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&tags.stdout), "v1.3.0\n");
    let (passed, printed, _) = gitlab_job(&remote, "publish", &vars);
    assert!(passed && printed.contains("publishing 1.3.0 from v1.3.0"), "{printed}");

    // The pipeline of the release commit: nothing to release, and green.
    let (passed, printed, dir) = gitlab_job(&remote, "release", &[]);
    assert!(passed, "the job fails when there is nothing to release: {printed}");
    let vars = dotenv_vars(dir.path());
    assert!(vars.contains(&("RELEASABLE".into(), "false".into())), "{vars:?}");
    assert!(vars.contains(&("RELEASED".into(), "false".into())), "{vars:?}");
    let (passed, printed, _) = gitlab_job(&remote, "publish", &vars);
    assert!(passed && !printed.contains("publishing"), "{printed}");
}

#[test]
fn deploy_writes_its_keys_and_a_summary_of_the_deployment() {
    let repo = crate::deploy::project();
    let f = Files::new();
    let (output, summary, dotenv) = (f.path("output"), f.path("summary"), f.path("deploy.env"));
    let github = [("GITHUB_OUTPUT", output.as_str()), ("GITHUB_STEP_SUMMARY", summary.as_str())];
    // Not asked: nothing written.
    repo.relman_env(&["deploy", "1.0.0", "dev"], &github).success();
    assert!(!Path::new(&output).exists() && !Path::new(&summary).exists());
    repo.relman_env(&["deploy", "1.1.0", "dev", "--ci"], &github).success();
    let keys = github_outputs(Path::new(&output));
    assert_eq!(keys["environment"], "dev");
    assert_eq!(keys["service"], "app");
    assert_eq!(keys["version"], "1.1.0");
    assert_eq!(keys["previous_version"], "1.0.0");
    assert_eq!(keys["strategy"], "rolling");
    assert_eq!(keys["result"], "succeeded");
    assert_eq!(keys["deployed"], "true");
    assert_eq!(keys["rolled_back"], "false");
    assert_eq!(keys["rolled_back_to"], "");
    assert_eq!(keys["commit"], repo.git(&["rev-parse", "HEAD"]));
    let text = std::fs::read_to_string(&summary).unwrap();
    assert!(text.contains("### relman deploy `app` 1.1.0 to `dev`: succeeded"), "{text}");
    assert!(text.contains("| previous version | 1.0.0 |"), "{text}");
    assert!(text.contains("| deploy | 100% |  | 1.1.0 | passed |"), "{text}");
    assert!(text.contains("| health | 100% |  | 1.1.0 | passed |"), "{text}");

    // A failing health check, rolled back (exit 4): the outputs say so,
    // here in GitLab's dotenv report.
    repo.relman(&["rollback", "--env", "dev", "--reason", "x", "--yes"]).success();
    repo.write("fail-health", "");
    let gitlab = [("GITLAB_CI", "true"), ("RELMAN_CI_DOTENV", dotenv.as_str())];
    repo.relman_env(&["deploy", "1.1.0", "dev", "--ci"], &gitlab).code(4);
    let text = std::fs::read_to_string(&dotenv).unwrap();
    for line in [
        "ENVIRONMENT=dev",
        "VERSION=1.1.0",
        "PREVIOUS_VERSION=1.0.0",
        "STRATEGY=rolling",
        "RESULT=rolled_back",
        "DEPLOYED=false",
        "ROLLED_BACK=true",
        "ROLLED_BACK_TO=1.0.0",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in {text}");
    }
    // A dry run writes nothing, even asked.
    std::fs::remove_file(&dotenv).unwrap();
    repo.relman_env(&["deploy", "1.0.0", "dev", "--dry-run", "--ci"], &gitlab).success();
    assert!(!Path::new(&dotenv).exists());
}
