//! The test environment: a hermetic git repository in a temp folder, and
//! the real `relman` binary run in it with a cleared environment.
//!
//! Git runs with no global or system config, a fixed identity and dates
//! that grow by one second per commit, so commit ids are stable.

#![allow(dead_code, reason = "each test file uses a different part of the helpers")]

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};

/// The binary under test.
pub(crate) const RELMAN: &str = env!("CARGO_BIN_EXE_relman");

/// A fixed time for every relman run.
pub(crate) const NOW: &str = "2026-11-22T10:00:00Z";

/// What a command printed and how it exited.
pub(crate) struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: i32,
}

impl fmt::Display for Run {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}----- stderr -----\n{}[exit status: {}]", self.stdout, self.stderr, self.code)
    }
}

impl Run {
    fn from(out: Output) -> Self {
        Self {
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
            code: out.status.code().unwrap_or(-1),
        }
    }

    /// Asserts exit 0 and returns self.
    #[track_caller]
    pub(crate) fn success(self) -> Self {
        assert_eq!(self.code, 0, "expected success:\n{self}");
        self
    }

    /// Asserts the exit code and returns self.
    #[track_caller]
    pub(crate) fn code(self, code: i32) -> Self {
        assert_eq!(self.code, code, "expected exit {code}:\n{self}");
        self
    }

    /// Parses stdout as JSON.
    #[track_caller]
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{self}"))
    }
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A git repository in a temp folder.
pub(crate) struct TestRepo {
    _tmp: tempfile::TempDir,
    pub root: PathBuf,
    home: PathBuf,
    clock: std::cell::Cell<u64>,
    frozen: std::cell::Cell<bool>,
}

impl TestRepo {
    /// An empty repository on branch `main`.
    pub(crate) fn new() -> Self {
        let tmp = temp_dir();
        let root = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::create_dir_all(&home).unwrap();
        let repo = Self {
            _tmp: tmp,
            root,
            home,
            clock: std::cell::Cell::new(1_700_000_000),
            frozen: std::cell::Cell::new(false),
        };
        repo.git(&["init", "-q", "-b", "main"]);
        repo.git(&["config", "user.name", "Test User"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        repo.git(&["config", "commit.gpgsign", "false"]);
        repo.git(&["config", "tag.gpgsign", "false"]);
        repo
    }

    /// A clone of `src` made with `git clone ARGS file://SRC` (a shallow or
    /// partial clone, a separate git dir), with the same identity.
    pub(crate) fn clone_of(src: &Self, args: &[&str]) -> Self {
        let tmp = temp_dir();
        let root = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let args: Vec<String> =
            args.iter().map(|a| a.replace("$TMP", &tmp.path().display().to_string())).collect();
        let mut cmd = Command::new("git");
        src.env(&mut cmd);
        let out = cmd
            .arg("clone")
            .arg("-q")
            .args(&args)
            .arg(format!("file://{}", src.root.display()))
            .arg(&root)
            .output()
            .expect("run git clone");
        assert!(out.status.success(), "git clone failed: {}", String::from_utf8_lossy(&out.stderr));
        let repo = Self {
            _tmp: tmp,
            root,
            home,
            clock: std::cell::Cell::new(src.clock.get()),
            frozen: std::cell::Cell::new(false),
        };
        repo.git(&["config", "user.name", "Test User"]);
        repo.git(&["config", "user.email", "test@example.com"]);
        repo
    }

    /// An exact copy of this repository (work tree and `.git`) in a new
    /// temp folder: a prepared state reused by many runs.
    pub(crate) fn duplicate(&self) -> Self {
        let tmp = temp_dir();
        let root = tmp.path().join("repo");
        let home = tmp.path().join("home");
        std::fs::create_dir_all(&home).unwrap();
        let out = Command::new("cp").arg("-a").arg(&self.root).arg(&root).output().unwrap();
        assert!(out.status.success(), "cp failed: {}", String::from_utf8_lossy(&out.stderr));
        Self {
            _tmp: tmp,
            root,
            home,
            clock: std::cell::Cell::new(self.clock.get()),
            frozen: std::cell::Cell::new(false),
        }
    }

    /// Runs git in `dir` (another worktree, say) like `git` does here.
    #[track_caller]
    pub(crate) fn git_in(&self, dir: &Path, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        self.env(&mut cmd);
        let out = cmd.current_dir(dir).args(args).output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    fn env(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("LANG", "C");
    }

    /// Stops (or with `false` restarts) the clock: every commit made while it
    /// is stopped has the same time, as in a scripted import.
    pub(crate) fn freeze_clock(&self, frozen: bool) {
        self.frozen.set(frozen);
    }

    /// Runs git in the repository and returns stdout; panics on failure.
    #[track_caller]
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let mut cmd = Command::new("git");
        self.env(&mut cmd);
        let t = self.clock.get() + u64::from(!self.frozen.get());
        self.clock.set(t);
        let date = format!("@{t} +0000");
        cmd.current_dir(&self.root)
            .args(args)
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date);
        let out = cmd.output().expect("run git");
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }

    /// Writes a file (creating folders).
    pub(crate) fn write(&self, path: &str, text: &str) -> &Self {
        let p = self.root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Reads a file.
    pub(crate) fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.root.join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
    }

    /// Tells whether a file exists.
    pub(crate) fn exists(&self, path: &str) -> bool {
        self.root.join(path).exists()
    }

    /// Stages everything and commits; returns the commit id.
    pub(crate) fn commit(&self, message: &str) -> String {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "--allow-empty", "-m", message]);
        self.git(&["rev-parse", "HEAD"])
    }

    /// Writes `path` with a line naming the message, then commits.
    pub(crate) fn change(&self, path: &str, message: &str) -> String {
        let old = std::fs::read_to_string(self.root.join(path)).unwrap_or_default();
        self.write(path, &format!("{old}{message}\n"));
        self.commit(message)
    }

    /// Creates an annotated tag on HEAD.
    pub(crate) fn tag(&self, name: &str) {
        self.git(&["tag", "-a", "-m", name, name]);
    }

    /// Runs relman in the repository with a cleared environment, no terminal.
    #[must_use = "assert on the output or the exit code"]
    pub(crate) fn relman(&self, args: &[&str]) -> Run {
        self.relman_env(args, &[])
    }

    /// Runs relman with extra environment variables.
    #[must_use = "assert on the output or the exit code"]
    pub(crate) fn relman_env(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut cmd = self.relman_command(args);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run relman"))
    }

    /// The command `relman(args)` would run, for tests that spawn it themselves.
    pub(crate) fn relman_command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(RELMAN);
        self.env(&mut cmd);
        cmd.current_dir(&self.root).env("RELMAN_NOW", NOW).args(args).stdin(Stdio::null());
        cmd
    }

    /// Runs relman on a pseudo-terminal (util-linux `script`), as a person
    /// at a terminal would; stdout and stderr come back together.
    #[cfg(unix)]
    pub(crate) fn relman_on_terminal(&self, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new("script");
        self.env(&mut cmd);
        let line = std::iter::once(RELMAN.to_owned())
            .chain(args.iter().map(|a| format!("'{a}'")))
            .collect::<Vec<_>>()
            .join(" ");
        cmd.current_dir(&self.root)
            .env("RELMAN_NOW", NOW)
            .env("COLUMNS", "100")
            .env("TERM", "xterm")
            .args(["-qec", &line, "/dev/null"])
            .stdin(Stdio::null());
        for (k, v) in vars {
            cmd.env(k, v);
        }
        Run::from(cmd.output().expect("run script"))
    }

    /// Every file under the root (including `.git`) with its bytes.
    pub(crate) fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let entry = entry.unwrap();
                let path = entry.path();
                let rel = path.strip_prefix(root).unwrap().to_string_lossy().into_owned();
                let kind = entry.file_type().unwrap();
                if kind.is_symlink() {
                    let target = std::fs::read_link(&path).unwrap();
                    out.insert(format!("{rel} ->"), target.to_string_lossy().as_bytes().to_vec());
                } else if kind.is_dir() {
                    out.insert(format!("{rel}/"), Vec::new());
                    walk(&path, root, out);
                } else {
                    out.insert(rel, std::fs::read(&path).unwrap());
                }
            }
        }
        let mut out = BTreeMap::new();
        walk(&self.root, &self.root, &mut out);
        out
    }

    /// Asserts that nothing changed since `before` (a `snapshot`), naming
    /// the paths that differ.
    #[track_caller]
    pub(crate) fn assert_unchanged(&self, before: &BTreeMap<String, Vec<u8>>) {
        let after = self.snapshot();
        let differ: Vec<&String> =
            before.keys().chain(after.keys()).filter(|k| before.get(*k) != after.get(*k)).collect();
        assert!(differ.is_empty(), "these changed: {differ:?}");
    }

    /// Copies the reference catalog into the repository.
    pub(crate) fn reference_catalog(&self) -> &Self {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("catalog");
        copy_dir(&src, &self.root.join("catalog"));
        self
    }
}

/// A fresh temp folder for one repository and its home.
fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix(&format!("relman-test-{}-", COUNTER.fetch_add(1, Ordering::Relaxed)))
        .tempdir()
        .expect("temp dir")
}

/// A project with a `VERSION` file and a changelog, tagged `v1.2.3`, and one
/// `feat` commit since.
pub(crate) fn version_project() -> TestRepo {
    let repo = TestRepo::new();
    repo.write("VERSION", "1.2.3\n").write("CHANGELOG.md", "# Changelog\n");
    repo.commit("chore: start");
    repo.tag("v1.2.3");
    repo.change("src/lib.rs", "feat(api): add tenor lookup");
    repo
}

/// Makes an ed25519 SSH key (no passphrase) in the test's home; returns the
/// private key's path (`.pub` beside it).
pub(crate) fn ssh_key(repo: &TestRepo) -> PathBuf {
    let key = repo.home.join("id_ed25519");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "test", "-f"])
        .arg(&key)
        .status()
        .expect("ssh-keygen is installed");
    assert!(made.success());
    key
}

/// Copies a folder recursively.
pub(crate) fn copy_dir(src: &Path, dst: &Path) {
    std::fs::create_dir_all(dst).unwrap();
    for entry in std::fs::read_dir(src).unwrap() {
        let entry = entry.unwrap();
        let to = dst.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to);
        } else {
            std::fs::copy(entry.path(), to).unwrap();
        }
    }
}

/// The path of a file in the source tree.
pub(crate) fn source_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}
