//! Hooks against real output and real signals (SPEC 6.3, 6.4): bytes that
//! are not UTF-8, output without end, multi-line secrets, secrets typed on
//! the command line, and relman stopped while a hook runs.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::lifecycle::{platform, relman, staged};
use crate::support::{Run, TestRepo};

/// Where the platform's hooks look for their scripts (`$HOOK_LOG`).
fn hook_log(repo: &TestRepo) -> String {
    repo.root.with_file_name("hooks.log").display().to_string()
}

/// Writes an executable shell script.
fn script(path: &str, body: &str) {
    std::fs::write(path, format!("#!/bin/sh\n{body}\n")).unwrap();
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// `relman train show t` as JSON: the hooks `service` ran, with their results.
fn hook_results(repo: &TestRepo, service: &str) -> Vec<(String, String)> {
    let json = repo.relman(&["train", "show", "t", "--format", "json"]).success().json();
    let progress = json["progress"].as_array().unwrap();
    let p = progress.iter().find(|p| p["service"] == service).unwrap();
    p["hooks"]
        .as_array()
        .map(|hooks| {
            hooks
                .iter()
                .map(|h| {
                    (
                        h["hook"].as_str().unwrap().to_owned(),
                        h["result"].as_str().unwrap().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_hook_printing_bytes_that_are_not_utf8_runs_to_its_end() {
    let repo = staged();
    let log = hook_log(&repo);
    for hook in ["release", "health"] {
        script(
            &format!("{log}.{hook}-api.sh"),
            &format!(
                "printf 'caf\\351\\n'; sleep 0.2; echo after; echo done > '{log}.{hook}.marker'"
            ),
        );
    }
    let run = relman(&repo, &["train", "run", "t"]).success();
    for hook in ["release", "health"] {
        assert_eq!(
            std::fs::read_to_string(format!("{log}.{hook}.marker")).ok().as_deref(),
            Some("done\n"),
            "the {hook} hook did not run to its end:\n{run}"
        );
        let kept = repo.read(&format!(".relman/logs/t/api-{hook}.log"));
        assert_eq!(kept, "caf\u{fffd}\nafter\n", "{hook}");
    }
    assert!(
        run.stderr.contains("  | caf\u{fffd}\n") && run.stderr.contains("  | after\n"),
        "{run}"
    );
    // The health hook runs after the release and again while verifying.
    let results = hook_results(&repo, "api");
    let hooks: Vec<&str> = results.iter().map(|(hook, _)| hook.as_str()).collect();
    assert_eq!(hooks, ["release", "health", "health"]);
    assert!(results.iter().all(|(_, result)| result == "passed"), "{results:?}");
}

#[test]
fn a_command_gate_printing_bytes_that_are_not_utf8_passes_on_its_exit() {
    let repo = TestRepo::new();
    let marker = repo.root.with_file_name("gate.marker");
    let gate = repo.root.with_file_name("gate.sh").display().to_string();
    script(
        &gate,
        &format!("printf 'caf\\351\\n'; sleep 0.2; echo after; echo done > '{}'", marker.display()),
    );
    repo.write("catalog/services.yaml", "services:\n  - name: curve\n    path: services/curve\n");
    repo.write(
        "catalog/release-trains.yaml",
        &format!("trains:\n  - name: t1\n    participants: [curve]\n    gates:\n      - command: \"'{gate}'\"\n"),
    );
    repo.commit("chore: catalog");
    let run = repo.relman(&["train", "validate", "t1", "-v"]).success();
    assert_eq!(std::fs::read_to_string(&marker).ok().as_deref(), Some("done\n"), "{run}");
    assert!(
        run.stderr.contains("  | caf\u{fffd}\n") && run.stderr.contains("  | after\n"),
        "{run}"
    );
}

/// The highest resident set size of a running process, in KiB.
fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Kills a process group (a hook a failed test left behind).
fn kill_group(pid_file: &str) {
    if let Ok(pid) = std::fs::read_to_string(pid_file) {
        let _ = Command::new("kill").args(["-KILL", "--", &format!("-{}", pid.trim())]).status();
    }
}

#[test]
fn a_hook_printing_without_end_times_out_and_relman_memory_stays_small() {
    let repo = platform();
    repo.write(
        "catalog/upgrade-policies.yaml",
        "release_trains:\n  validation:\n    health_check_timeout: 2\n",
    );
    repo.commit("chore: hooks get 2 s");
    relman(&repo, &["approve", "t", "--role", "qa"]).success();
    relman(&repo, &["train", "start", "t"]).success();
    relman(&repo, &["train", "advance", "t"]).success();
    let log = hook_log(&repo);
    let pid_file = format!("{log}.pid");
    script(&format!("{log}.release-api.sh"), &format!("echo $$ > '{pid_file}'; exec yes"));
    let started = Instant::now();
    let mut child = repo
        .relman_command(&["train", "run", "t"])
        .env("HOOK_LOG", &log)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut peak = 0;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        peak = peak.max(peak_rss_kib(child.id()).unwrap_or(0));
        if peak > 200 * 1024 || started.elapsed() > Duration::from_secs(30) {
            let _ = child.kill();
            let _ = child.wait();
            kill_group(&pid_file);
            panic!("relman still ran after {:?} with {peak} KiB resident", started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let took = started.elapsed();
    assert_eq!(status.code(), Some(4), "{status:?}");
    assert!(took < Duration::from_secs(12), "a 2 s timeout took {took:?}");
    assert!(peak < 100 * 1024, "relman grew to {peak} KiB");
    assert_eq!(hook_results(&repo, "api"), [("release".to_owned(), "timed_out".to_owned())]);
    // The log has what came, in whole lines.
    let kept = std::fs::read(repo.root.join(".relman/logs/t/api-release.log")).unwrap();
    assert!(kept.len() > 1000 && kept.starts_with(b"y\ny\n"), "{} bytes", kept.len());
}

#[test]
fn a_multi_line_secret_reaches_neither_the_terminal_nor_the_hook_log() {
    let repo = staged();
    let log = hook_log(&repo);
    script(&format!("{log}.release-api.sh"), "echo \"$DEPLOY_KEY\"; echo done");
    let key = "-----BEGIN KEY-----\nAAAAsecretline1\nBBBBsecretline2\n-----END KEY-----";
    let run = repo
        .relman_env(&["train", "run", "t"], &[("HOOK_LOG", &log), ("DEPLOY_KEY", key)])
        .success();
    let kept = repo.read(".relman/logs/t/api-release.log");
    for secret in ["AAAAsecretline1", "BBBBsecretline2"] {
        assert!(!run.stdout.contains(secret) && !run.stderr.contains(secret), "{run}");
        assert!(!kept.contains(secret), "{kept}");
    }
    assert_eq!(kept, "[REDACTED]\n[REDACTED]\n[REDACTED]\n[REDACTED]\ndone\n");
    assert!(run.stderr.contains("  | [REDACTED]\n"), "{run}");
}

/// Everything git holds: every commit's patch and every tag's message.
fn history(repo: &TestRepo) -> String {
    let log = repo.git(&["log", "-p", "--all"]);
    let tags = repo.git(&["for-each-ref", "--format=%(contents)", "refs/tags"]);
    format!("{log}\n{tags}")
}

#[test]
fn a_secret_in_an_approval_note_is_committed_nowhere() {
    let repo = platform();
    let run = repo
        .relman_env(
            &["approve", "t", "--role", "qa", "--note", "token ghp_supersecret1234"],
            &[("GITHUB_TOKEN", "ghp_supersecret1234")],
        )
        .success();
    let history = history(&repo);
    assert!(!history.contains("ghp_supersecret1234"), "{history}");
    assert!(!run.stdout.contains("ghp_supersecret1234"), "{run}");
    let show = repo.relman(&["train", "show", "t", "--format", "json"]).success().json();
    assert_eq!(show["approvals"][0]["note"], "token [REDACTED]", "{show}");
}

#[test]
fn a_secret_in_a_rollback_reason_is_committed_nowhere_and_hooks_get_it_redacted() {
    let repo = staged();
    relman(&repo, &["train", "run", "t"]).success();
    let log = hook_log(&repo);
    let run = repo
        .relman_env(
            &[
                "rollback",
                "--train",
                "t",
                "--reason",
                "leaked ghp_supersecret1234",
                "--tag",
                "--yes",
            ],
            &[("HOOK_LOG", &log), ("GITHUB_TOKEN", "ghp_supersecret1234")],
        )
        .success();
    let history = history(&repo);
    assert!(!history.contains("ghp_supersecret1234"), "{history}");
    assert!(history.contains("leaked [REDACTED]"), "{history}");
    assert!(!run.stdout.contains("ghp_supersecret1234"), "{run}");
    let hooks = std::fs::read_to_string(&log).unwrap();
    assert!(!hooks.contains("ghp_supersecret1234"), "{hooks}");
    assert!(
        hooks
            .lines()
            .any(|l| l.starts_with("rollback api ") && l.ends_with(" t leaked [REDACTED]")),
        "{hooks}"
    );
}

/// Pids of the live processes whose command line contains `marker`.
fn processes_with(marker: &str) -> Vec<String> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let cmdline = std::fs::read(entry.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).replace('\0', " ").contains(marker) {
            found.push(name);
        }
    }
    found
}

/// Tells whether `pid` is a running process (not gone, not a zombie).
fn alive(pid: &str) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rsplit_once(") ").map(|(_, rest)| !rest.starts_with('Z')))
        .unwrap_or(false)
}

/// Waits for `child` at most `limit`; kills it and fails past that.
fn wait_at_most(child: &mut Child, limit: Duration, leftover: &str) -> std::process::ExitStatus {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            kill_group(leftover);
            panic!("relman had not exited {limit:?} after the signal");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// relman gets `signal` while web's release hook sleeps: the hook and its
/// `sleep` end with it, relman exits `code`, and a resume finishes the train.
fn stopped_while_a_hook_runs(signal: &str, code: i32, sleep: &str) {
    let repo = staged();
    let log = hook_log(&repo);
    let pid_file = format!("{log}.pid");
    let done = format!("{log}.done");
    script(
        &format!("{log}.release-web.sh"),
        &format!(
            "[ -e '{pid_file}' ] && exit 0\necho $$ > '{pid_file}'\nsleep {sleep}\ntouch '{done}'"
        ),
    );
    let mut child = repo
        .relman_command(&["train", "run", "t"])
        .env("HOOK_LOG", &log)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !Path::new(&pid_file).exists() || processes_with(&format!("sleep {sleep}")).is_empty() {
        assert!(Instant::now() < deadline, "the hook never started");
        std::thread::sleep(Duration::from_millis(10));
    }
    let hook_pid = std::fs::read_to_string(&pid_file).unwrap().trim().to_owned();
    let signalled = Instant::now();
    let sent = Command::new("kill").args([signal, &child.id().to_string()]).status().unwrap();
    assert!(sent.success());
    let status = wait_at_most(&mut child, Duration::from_secs(8), &pid_file);
    let took = signalled.elapsed();
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let leftover = processes_with(&format!("sleep {sleep}"));
    let hook_alive = alive(&hook_pid);
    kill_group(&pid_file);
    assert!(!hook_alive, "the hook (pid {hook_pid}) outlived relman");
    assert!(leftover.is_empty(), "the hook's sleep outlived relman: {leftover:?}");
    assert_eq!(status.code(), Some(code), "{status:?}\n{stderr}");
    assert!(took < Duration::from_secs(5), "relman took {took:?} to stop");
    assert!(stderr.contains(&format!("stopped by SIG{}", &signal[1..])), "{stderr}");
    // The sleep would have ended by now: nothing of the hook goes on.
    std::thread::sleep(
        Duration::from_secs(5).saturating_sub(signalled.elapsed()) + Duration::from_millis(500),
    );
    assert!(!Path::new(&done).exists(), "the hook went on after relman stopped");
    // Nothing is left half done: a resume finishes the train.
    let resumed: Run = relman(&repo, &["train", "run", "t", "--resume"]);
    assert_eq!(resumed.code, 0, "{resumed}");
}

#[test]
fn sigterm_while_a_hook_runs_ends_the_hook_and_relman_exits_143() {
    stopped_while_a_hook_runs("-TERM", 143, "4.173");
}

#[test]
fn sigint_while_a_hook_runs_ends_the_hook_and_relman_exits_130() {
    stopped_while_a_hook_runs("-INT", 130, "4.291");
}
