//! `relman demo [DIR]`: build a scratch repository from the reference
//! catalog (services with their own commit histories and tags) and walk
//! relman through it, printing every command it runs.
//!
//! Each step runs the relman binary itself in the scratch repository, so the
//! demo shows exactly what a user would see.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use super::Context;
use crate::cli::{DemoArgs, Format};
use crate::error::{Error, Result};
use crate::files;
use crate::output::{Report, Style};
use crate::repo::git::Git;

/// One step of the demo.
#[derive(Debug, Serialize)]
pub struct DemoStep {
    /// What the step shows.
    pub title: String,
    /// The command, as a user would type it.
    pub command: String,
    /// Its exit code (`null` in `--dry-run`).
    pub exit_code: Option<i32>,
    /// What it printed on stdout.
    pub stdout: String,
    /// What it printed on stderr.
    pub stderr: String,
}

/// `relman demo` result (schema `relman.demo/1`).
#[derive(Debug, Serialize)]
pub struct DemoReport {
    /// The scratch repository.
    pub dir: String,
    /// Every step.
    pub steps: Vec<DemoStep>,
}

impl Report for DemoReport {
    const SCHEMA: &'static str = "relman.demo/1";

    fn human(&self, w: &mut dyn Write, st: &Style) -> io::Result<()> {
        writeln!(w, "{}", st.dim(&format!("# scratch repository: {}", self.dir)))?;
        for s in &self.steps {
            writeln!(w, "\n{}", st.dim(&format!("# {}", s.title)))?;
            writeln!(w, "{} {}", st.bold("$"), st.bold(&s.command))?;
            w.write_all(s.stdout.as_bytes())?;
            for line in s.stderr.lines() {
                writeln!(w, "{line}")?;
            }
            if let Some(code) = s.exit_code.filter(|c| *c != 0) {
                writeln!(w, "{}", st.dim(&format!("[exit status: {code}]")))?;
            }
        }
        Ok(())
    }
}

/// Service files of the sample platform: path, content.
const SERVICE_FILES: &[(&str, &str)] = &[
    (
        "services/market-data/Cargo.toml",
        "[package]\nname = \"market-data\"\nversion = \"3.1.0\"\nedition = \"2021\"\n",
    ),
    (
        "services/curve/Cargo.toml",
        "# Curve building service\n[package]\nname = \"curve\"\nversion = \"1.4.2\" # bumped by relman\nedition = \"2021\"\n",
    ),
    (
        "services/curve/CHANGELOG.md",
        "# Changelog\n\n## 1.4.2 (2026-10-01)\n\n### Bug Fixes\n\n- **curve:** holiday calendar for TARGET2 (0000000)\n",
    ),
    (
        "services/backtesting/package.json",
        "{\n  \"name\": \"backtesting\",\n  \"version\": \"0.9.0\",\n  \"private\": true\n}\n",
    ),
    ("services/scenario/pyproject.toml", "[project]\nname = \"scenario\"\nversion = \"1.2.0\"\n"),
    (
        "services/pricing/Cargo.toml",
        "[package]\nname = \"pricing\"\nversion = \"2.3.1\"\nedition = \"2021\"\n",
    ),
    ("services/risk/VERSION", "1.0.4\n"),
    (
        "services/reporting/package.json",
        "{\n  \"name\": \"reporting\",\n  \"version\": \"0.4.0\"\n}\n",
    ),
    (
        "services/gateway/Cargo.toml",
        "[package]\nname = \"gateway\"\nversion = \"1.8.0\"\nedition = \"2021\"\n",
    ),
];

/// Each service's first tag.
const TAGS: &[&str] = &[
    "market-data-v3.1.0",
    "curve-v1.4.2",
    "backtesting-v0.9.0",
    "scenario-v1.2.0",
    "pricing-v2.3.1",
    "risk-v1.0.4",
    "reporting-v0.4.0",
    "gateway-v1.8.0",
];

/// Work after the tags: file to touch, commit message.
const HISTORY: &[(&str, &str)] = &[
    (
        "services/curve/src/tenor.rs",
        "feat(curve): interpolate between tenors\n\nBREAKING CHANGE: `Curve::at` takes a `Tenor`",
    ),
    ("services/curve/src/daycount.rs", "fix(curve): ACT/365 day count in leap years"),
    ("services/backtesting/src/engine.js", "feat(backtesting): replay curves from snapshots"),
    ("services/scenario/src/shocks.py", "fix(scenario): parallel shock sign"),
    ("services/market-data/src/feed.rs", "perf(market-data): batch quote updates"),
    ("services/gateway/src/routes.rs", "feat(gateway): expose curve snapshots"),
    ("services/gateway/README.md", "docs(gateway): describe the snapshot route"),
    ("services/reporting/src/pdf.js", "tidy up the PDF footer"),
];

fn build(dir: &Path) -> Result<()> {
    let git = Git::init(dir, "main")?;
    git.set_config("user.name", "relman demo")?;
    git.set_config("user.email", "demo@relman.invalid")?;
    git.set_config("commit.gpgsign", "false")?;
    let mut paths = Vec::new();
    for (path, text) in super::init::PLATFORM.iter().chain(SERVICE_FILES) {
        files::atomic_write(&dir.join(path), text.as_bytes())?;
        paths.push((*path).to_owned());
    }
    files::atomic_write(
        &dir.join(".gitignore"),
        format!("{}\n", super::init::GITIGNORE_LINE).as_bytes(),
    )?;
    paths.push(".gitignore".to_owned());
    let first = git.commit_paths(&paths, "chore: import the platform")?;
    for tag in TAGS {
        git.create_tag(tag, &first, &format!("{tag}\n\nImported release.\n"))?;
    }
    for (path, message) in HISTORY {
        files::atomic_write(&dir.join(path), format!("// {message}\n").as_bytes())?;
        git.commit_paths(&[(*path).to_owned()], message)?;
    }
    Ok(())
}

fn relman(dir: &Path, title: &str, args: &[&str], dry_run: bool) -> DemoStep {
    let command = format!(
        "relman {}",
        args.iter()
            .map(|a| if a.contains(' ') { format!("\"{a}\"") } else { (*a).to_owned() })
            .collect::<Vec<_>>()
            .join(" ")
    );
    if dry_run {
        return DemoStep {
            title: title.into(),
            command,
            exit_code: None,
            stdout: String::new(),
            stderr: String::new(),
        };
    }
    let exe = std::env::current_exe().unwrap_or_else(|_| PathBuf::from("relman"));
    let out = Command::new(exe)
        .arg("-C")
        .arg(dir)
        .arg("--color")
        .arg("never")
        .args(args)
        .env("NO_COLOR", "1")
        .output();
    match out {
        Ok(o) => DemoStep {
            title: title.into(),
            command,
            exit_code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        },
        Err(e) => DemoStep {
            title: title.into(),
            command,
            exit_code: Some(-1),
            stdout: String::new(),
            stderr: e.to_string(),
        },
    }
}

/// A shell step the demo takes itself (a commit, a file), shown as typed.
fn shell(title: &str, command: &str, dry: bool) -> DemoStep {
    DemoStep {
        title: title.into(),
        command: command.into(),
        exit_code: if dry { None } else { Some(0) },
        stdout: String::new(),
        stderr: String::new(),
    }
}

/// The gateway release promoted through the environments (SPEC §7): dev,
/// the order refused, qa, staging with an approval, production as a
/// canary; then a patch whose health check fails in dev, rolled back.
fn deployments(dir: &Path, dry: bool, steps: &mut Vec<DemoStep>) -> Result<()> {
    let mut step = |title: &str, a: &[&str]| steps.push(relman(dir, title, a, dry));
    let gw = ["--service", "gateway"];
    let with = |a: &[&'static str]| [a, &gw[..]].concat();
    step(
        "deploy the gateway release to dev (its deploy, then health hook)",
        &with(&["deploy", "1.9.0", "dev"]),
    );
    step(
        "production before staging is refused: environments are promoted in order (exit 1)",
        &with(&["deploy", "1.9.0", "production"]),
    );
    step("then qa", &with(&["deploy", "1.9.0", "qa"]));
    step(
        "staging asks for the QA lead's approval (recorded, with its audit line)",
        &with(&[
            "approve",
            "--env",
            "staging",
            "--version",
            "1.9.0",
            "--role",
            "qa_lead",
            "--by",
            "Quinn Ash <qa@example.com>",
        ]),
    );
    step("staging", &with(&["deploy", "1.9.0", "staging", "--yes"]));
    step(
        "production: a canary at 5, 25, 50 then 100% of traffic, approved in the same call",
        &with(&[
            "deploy",
            "1.9.0",
            "production",
            "--approved-by",
            "release_manager=Rita Chen <rm@example.com>",
            "--yes",
        ]),
    );
    if !dry {
        let fix = "services/gateway/src/timeout.rs";
        files::atomic_write(&dir.join(fix), b"// fix(gateway): shorter upstream timeout\n")?;
        Git::discover(dir)?
            .commit_paths(&[fix.to_owned()], "fix(gateway): shorter upstream timeout")?;
    }
    steps.push(shell(
        "a gateway fix lands",
        "git commit -m \"fix(gateway): shorter upstream timeout\"",
        dry,
    ));
    let mut step = |title: &str, a: &[&str]| steps.push(relman(dir, title, a, dry));
    step("cut the patch", &["create", "patch", "gateway"]);
    if !dry {
        files::create_dir_all(&dir.join(".relman/logs"))?;
        files::atomic_write(&dir.join(".relman/logs/gateway.down"), b"503\n")?;
    }
    steps.push(shell(
        "the patch will not answer its health probe",
        "touch .relman/logs/gateway.down",
        dry,
    ));
    let mut step = |title: &str, a: &[&str]| steps.push(relman(dir, title, a, dry));
    step(
        "its health check fails in dev: 1.9.0 is put back at once, both recorded (exit 4)",
        &with(&["deploy", "1.9.1", "dev"]),
    );
    step("every environment with what is live there", &["status"]);
    step("dev's history", &["status", "--env", "dev"]);
    Ok(())
}

/// Builds the scratch repository and walks through it.
pub fn run(cx: &Context, args: DemoArgs) -> Result<DemoReport> {
    let dir = match args.dir {
        Some(d) => d,
        None => std::env::temp_dir().join(format!(
            "relman-demo-{}-{}",
            std::process::id(),
            cx.global.now.timestamp()
        )),
    };
    if files::is_non_empty_dir(&dir) {
        return Err(Error::refused(format!("`{}` exists and is not empty", dir.display()))
            .hint("give `relman demo` a new or empty folder"));
    }
    let dry = cx.global.dry_run;
    if !dry {
        files::create_dir_all(&dir)?;
        build(&dir)?;
    }
    let mut steps = Vec::new();
    let mut step = |title: &str, a: &[&str]| steps.push(relman(&dir, title, a, dry));
    step("every service: current version, commits since its last tag, next version", &["status"]);
    step("why curve's next version is what it is", &["next", "curve"]);
    step("the trains in the catalog", &["train", "list"]);
    step("the order and versions of the Q4 train", &["train", "plan", "Q4-curve-upgrade"]);
    step(
        "may it go? (backtesting's quality is below the gate)",
        &["train", "validate", "Q4-curve-upgrade"],
    );
    if !dry {
        let metrics = dir.join("catalog/metrics/backtesting.yaml");
        let text = super::init::PLATFORM
            .iter()
            .find(|(p, _)| *p == "catalog/metrics/backtesting.yaml")
            .map(|(_, t)| t.replace("quality_score: 76", "quality_score: 84"))
            .unwrap_or_default();
        files::atomic_write(&metrics, text.as_bytes())?;
        let git = Git::discover(&dir)?;
        git.commit_paths(
            &["catalog/metrics/backtesting.yaml".to_owned()],
            "chore(metrics): backtesting quality 84",
        )?;
    }
    steps.push(DemoStep {
        title: "CI publishes a better quality score for backtesting".into(),
        command: "git commit -m \"chore(metrics): backtesting quality 84\" catalog/metrics/backtesting.yaml".into(),
        exit_code: if dry { None } else { Some(0) },
        stdout: String::new(),
        stderr: String::new(),
    });
    let mut step = |title: &str, a: &[&str]| steps.push(relman(&dir, title, a, dry));
    step(
        "the quality gate passes now; the approvals are still to be given",
        &["train", "validate", "Q4-curve-upgrade"],
    );
    step("what a release of gateway would do", &["create", "minor", "gateway", "--dry-run"]);
    step(
        "cut it: version file, audit line, one commit, an annotated tag",
        &["create", "minor", "gateway"],
    );
    step("the notes that went into the tag", &["notes", "--service", "gateway", "--all"]);
    let q4 = "Q4-curve-upgrade";
    step(
        "start the Q4 train: every gate evaluated (two approvals missing)",
        &["train", "start", q4],
    );
    step(
        "the team lead approves",
        &[
            "approve",
            q4,
            "--role",
            "team_lead",
            "--by",
            "Dana Lee <dana@example.com>",
            "--note",
            "curve 2.0 reviewed",
        ],
    );
    step(
        "the platform owner approves",
        &["approve", q4, "--role", "platform_owner", "--by", "Sam Roe <sam@example.com>"],
    );
    step(
        "curve goes to 2.0.0, a major release: the change control board approves (upgrade-policies.yaml `release_types.major`)",
        &["approve", q4, "--role", "change_control_board", "--by", "The Board <ccb@example.com>"],
    );
    step(
        "run it: staged, each participant released in order with its hooks, verified, completed",
        &["train", "run", q4],
    );
    step("the train and each participant's progress", &["train", "show", q4]);
    let january = "platform-2027.01";
    step("the January train, one transition at a time: validating", &["train", "start", january]);
    step("staging: the plan is recorded with its inputs' digests", &["train", "advance", january]);
    step("executing: market-data is released and healthy", &["train", "advance", january]);
    if !dry {
        files::create_dir_all(&dir.join(".relman/logs"))?;
        files::atomic_write(&dir.join(".relman/logs/market-data.down"), b"503\n")?;
    }
    steps.push(DemoStep {
        title: "market-data falls over after its release (the sample health probe reads this file)"
            .into(),
        command: "touch .relman/logs/market-data.down".into(),
        exit_code: if dry { None } else { Some(0) },
        stdout: String::new(),
        stderr: String::new(),
    });
    let mut step = |title: &str, a: &[&str]| steps.push(relman(&dir, title, a, dry));
    step(
        "verifying: the health check fails, so the train rolls itself back (exit 4)",
        &["train", "advance", january],
    );
    step(
        "what rolling back the Q4 train would do, last released first",
        &["rollback", "--train", q4, "--reason", "curve 2.0 breaks a client", "--dry-run"],
    );
    step(
        "roll it back (a script says --yes; a terminal would ask)",
        &["rollback", "--train", q4, "--reason", "curve 2.0 breaks a client", "--yes"],
    );
    deployments(&dir, dry, &mut steps)?;
    let mut step = |title: &str, a: &[&str]| steps.push(relman(&dir, title, a, dry));
    step("every step is in the audit trail, and it is intact", &["audit", "verify"]);
    step("release metrics from the tags and the audit trail, with their DORA bands", &["metrics"]);
    step(
        "the bi-weekly train calendar: versions, phases, scheduled trains",
        &["calendar", "--count", "3"],
    );
    step(
        "one self-contained HTML page: trains, releases, metrics, calendar",
        &["report", "--out", "relman-report.html"],
    );
    if cx.global.format == Format::Json {
        for s in &mut steps {
            s.stderr = s.stderr.trim_end().to_owned();
        }
    }
    Ok(DemoReport { dir: dir.display().to_string(), steps })
}
