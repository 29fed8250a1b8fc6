//! `relman report` (issue 21, acceptance 3 and 5): one self-contained,
//! well-formed HTML page holding every train, participant and metric, with
//! everything from the repository escaped; opened by headless Chromium
//! when it is installed.

use std::path::Path;
use std::process::Command;

use crate::metrics::{at, commit_at, git_at, scripted};
use crate::support::TestRepo;

/// Elements without an end tag.
const VOID: [&str; 6] = ["meta", "br", "link", "img", "hr", "input"];

/// A small well-formedness check: every start tag is closed in order
/// (void elements and `<x/>` aside), attributes are quoted, no `<` is
/// left unescaped in text.
fn check_well_formed(page: &str) {
    let mut stack: Vec<String> = Vec::new();
    let mut rest = page;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<!--") {
            let end = after.find("-->").expect("an unclosed comment");
            rest = &after[end + 3..];
            continue;
        }
        let end = rest
            .find('>')
            .unwrap_or_else(|| panic!("an unclosed tag at {:?}", &rest[..40.min(rest.len())]));
        let tag = &rest[1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            assert!(tag.eq_ignore_ascii_case("!DOCTYPE html"), "{tag}");
            continue;
        }
        assert_eq!(tag.matches('"').count() % 2, 0, "unbalanced quotes in <{tag}>");
        assert!(!tag.contains(" src=") && !tag.contains("href="), "a fetch: <{tag}>");
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
            continue;
        }
        let name: String =
            tag.chars().take_while(|c| c.is_ascii_alphanumeric()).collect::<String>();
        assert!(!name.is_empty(), "a `<` that starts no tag: <{tag}>");
        if tag.ends_with('/') || VOID.contains(&name.as_str()) {
            continue;
        }
        if name == "style" {
            let close = rest.find("</style>").expect("an unclosed <style>");
            assert!(!rest[..close].contains('<'), "markup inside <style>");
            rest = &rest[close..];
        }
        stack.push(name);
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

/// The scripted repository of the metrics test, with hostile text in a
/// train's description, a commit subject, an approval note and a reason.
fn hostile() -> TestRepo {
    let repo = scripted();
    let hostile = "$(touch pwned1) `touch pwned2`; touch pwned3 <b>bold</b> & \"q\"";
    let trains = format!(
        "{}\n  - name: t2\n    description: \"<img src=x onerror=alert(2)> {}\"\n    participants: [api]\n    gates:\n      - approvals: [qa]\n",
        repo.read("catalog/release-trains.yaml").trim_end(),
        hostile.replace('"', "\\\"")
    );
    repo.write("catalog/release-trains.yaml", &trains);
    git_at(&repo, "2026-10-21T12:00:00Z", &["add", "-A"]);
    commit_at(
        &repo,
        "2026-10-22T00:00:00Z",
        "services/api/x",
        "fix(api): <script>alert(1)</script>",
    );
    at(
        &repo,
        "2026-10-22T10:00:00Z",
        &[
            "approve",
            "t2",
            "--role",
            "qa",
            "--by",
            "<i>QA</i> $(touch pwned4)",
            "--note",
            &format!("{hostile}\nsecond line `id`"),
        ],
    )
    .success();
    at(&repo, "2026-10-22T11:00:00Z", &["train", "start", "t2"]).success();
    at(&repo, "2026-10-22T12:00:00Z", &["train", "run", "t2", "--yes"]).success();
    at(
        &repo,
        "2026-10-23T10:00:00Z",
        &[
            "rollback",
            "--train",
            "t2",
            "--reason",
            &format!("{hostile}\n<script>alert(3)</script>"),
            "--yes",
        ],
    )
    .success();
    git_at(&repo, "2026-10-23T11:00:00Z", &["status", "--short"]);
    repo
}

#[test]
fn the_page_is_self_contained_well_formed_complete_and_escaped() {
    let repo = hostile();
    // --dry-run writes nothing.
    let before = repo.snapshot();
    let r = repo.relman(&["report", "--dry-run"]).success();
    assert!(r.stdout.starts_with("would write relman-report.html"), "{r}");
    repo.assert_unchanged(&before);
    let r = repo.relman(&["report"]).success();
    assert!(r.stdout.starts_with("wrote relman-report.html"), "{r}");
    let page = repo.read("relman-report.html");
    check_well_formed(&page);
    // Nothing fetched: no script, no link, no image, no url() (and no
    // tag with a `src` or `href`: see `check_well_formed`).
    for banned in ["<script", "<link", "<img", "<iframe", "url(", "@import", "@font-face"] {
        assert!(!page.contains(banned), "the page holds `{banned}`");
    }
    // Every train, participant and metric.
    for text in [
        "t1",
        "t2",
        "api",
        "web",
        "release frequency",
        "deployment frequency",
        "lead time for changes",
        "change failure rate",
        "rollback rate: trains",
        "rollback rate: services",
        "deployment success rate",
        "time to recovery",
        "gate pass rate",
        "Releases per week",
        "<svg",
        "2026.24.0",
        "t1 <span class=\"status\">(rolled_back)",
        "api-v1.1.1",
        "no data",
    ] {
        assert!(page.contains(text), "the page lacks `{text}`");
    }
    // Lead time over the default window (08-24 to 11-22) is a day to a week.
    assert!(page.contains("<span class=\"band high\">high</span>"), "{page}");
    // Escaped, everything from the repository.
    assert!(page.contains("&lt;script&gt;alert(1)&lt;"), "the commit subject is not shown escaped");
    assert!(page.contains("&lt;script&gt;alert(3)&lt;"), "the reason is not shown escaped");
    assert!(page.contains("&lt;img src=x onerror=alert(2)&gt;"), "the description is not escaped");
    assert!(page.contains("&lt;i&gt;QA&lt;&#x2f;i&gt;"), "the approver is not escaped");
    assert!(
        page.contains("&lt;b&gt;bold&lt;&#x2f;b&gt; &amp; &quot;q&quot;"),
        "the note is not escaped"
    );
    assert!(page.contains("$(touch pwned1) `touch pwned2`; touch pwned3"));
    // Nothing reached a shell.
    for n in 1..=4 {
        assert!(!repo.exists(&format!("pwned{n}")), "pwned{n} was created");
    }
    // `--out -`: the page on stdout; JSON: the model.
    let r = repo.relman(&["report", "--out", "-"]).success();
    assert!(r.stdout.starts_with("<!DOCTYPE html>"), "{r}");
    assert_eq!(r.stdout, page);
    let json = repo.relman(&["report", "--out", "-", "--format", "json"]).success().json();
    assert_eq!(json["schema"], "relman.report/1");
    assert_eq!(json["model"]["trains"][1]["name"], "t2");
    assert_eq!(json["model"]["metrics"]["lead_time"]["band"], "high");
    // The policy's environments, in its order, nothing deployed to any.
    let envs = json["model"]["environments"].as_array().unwrap();
    let names: Vec<&str> = envs.iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["dev", "qa", "staging", "production"]);
    assert!(envs.iter().all(|e| e["live"] == serde_json::json!([])), "{envs:?}");
    assert_eq!(page.matches("nothing deployed yet").count(), 4, "{page}");
    // Each participant's last recorded gate verdicts: t1's gates were last
    // recorded entering verifying; the warning failed for every participant.
    let t1 = &json["model"]["trains"][0];
    assert_eq!(t1["gates_recorded"]["transition"], "executing → verifying", "{t1}");
    // `RELMAN_NOW` fixes where the run starts; its clock then runs, so a
    // run slowed by a loaded machine records its move a second or two on.
    let at = t1["gates_recorded"]["at"].as_str().unwrap_or_default();
    assert!(at.starts_with("2026-10-20T11:00:0"), "{t1}");
    for p in t1["participants"].as_array().unwrap() {
        assert_eq!(
            p["gates"],
            serde_json::json!([
                {"gate": "approvals: [qa]", "passed": true},
                {"gate": "custom: coverage >= 90", "passed": false}
            ]),
            "{p}"
        );
    }
    assert!(page.contains("<th>last gate verdicts</th>"), "{page}");
    assert!(
        page.contains("<span class=\"fail\">1 of 2 pass</span><br><span class=\"fail\">fail</span> custom: coverage &gt;= 90</td>"),
        "{page}"
    );
    assert!(page.contains("(executing → verifying)"), "{page}");
    chromium(&repo.root.join("relman-report.html"));
}

/// The environments of the policy's order, each with what is live per
/// service (as `relman status` lists it) and its newest deployments, in
/// the model and on the page; a reason from the ledger is escaped.
#[test]
fn the_page_shows_each_environment_with_its_live_versions_and_deployments() {
    let repo = crate::deploy::project();
    let model = |repo: &TestRepo| {
        let json = repo.relman(&["report", "--out", "-", "--format", "json"]).success().json();
        json["model"]["environments"].clone()
    };
    // Nothing deployed: each environment of the order, nothing live.
    let envs = model(&repo);
    let names: Vec<&str> =
        envs.as_array().unwrap().iter().map(|e| e["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["dev", "staging", "production"], "{envs}");
    for e in envs.as_array().unwrap() {
        assert_eq!(e["live"], serde_json::json!([]), "{e}");
        assert_eq!(e["recent"], serde_json::json!([]), "{e}");
        assert_eq!(e["deployments"], 0, "{e}");
    }
    let page = repo.relman(&["report", "--out", "-"]).success().stdout;
    assert_eq!(page.matches("nothing deployed yet").count(), 3, "{page}");

    repo.relman(&["deploy", "1.0.0", "dev"]).success();
    repo.relman(&["deploy", "1.1.0", "dev"]).success();
    repo.relman(&["deploy", "1.0.0", "staging", "--approved-by", "qa_lead=Q", "--yes"]).success();
    let reason = "<script>alert(5)</script> $(touch pwned) & \"q\"";
    repo.relman(&["rollback", "--env", "dev", "--reason", reason, "--yes"]).success();
    assert_eq!(repo.git(&["status", "--porcelain"]), "");

    let envs = model(&repo);
    let dev = &envs[0];
    let mut keys: Vec<&str> = dev.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["deployments", "live", "name", "recent"], "{dev}");
    assert_eq!(dev["name"], "dev");
    assert_eq!(dev["deployments"], 3, "{dev}");
    assert_eq!(dev["live"][0]["service"], "app", "{dev}");
    assert_eq!(dev["live"][0]["version"], "1.0.0", "{dev}");
    assert_eq!(dev["live"][0]["strategy"], "rolling", "{dev}");
    // Newest first: the rollback, then 1.1.0, then 1.0.0.
    let recent: Vec<(u64, &str, &str, &str)> = dev["recent"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let s = |k: &str| e[k].as_str().unwrap();
            (e["n"].as_u64().unwrap(), s("kind"), s("version"), s("result"))
        })
        .collect();
    assert_eq!(
        recent,
        [
            (3, "rollback", "1.0.0", "succeeded"),
            (2, "deploy", "1.1.0", "succeeded"),
            (1, "deploy", "1.0.0", "succeeded")
        ],
        "{dev}"
    );
    assert_eq!(dev["recent"][0]["reason"], reason, "{dev}");
    assert_eq!(envs[1]["live"][0]["version"], "1.0.0", "{envs}");
    assert_eq!(envs[1]["recent"][0]["approvals"][0]["by"], "Q", "{envs}");
    assert_eq!(envs[2]["live"], serde_json::json!([]), "{envs}");
    // The same as `relman status` lists.
    let status = repo.relman(&["status", "--format", "json"]).success().json();
    for (i, e) in status["environments"].as_array().unwrap().iter().enumerate() {
        assert_eq!(e["live"], envs[i]["live"], "{status}");
    }

    let r = repo.relman(&["report", "--out", "page.html"]).success();
    assert!(r.stdout.contains(", 3 environments, "), "{r}");
    let page = repo.read("page.html");
    check_well_formed(&page);
    assert!(!page.contains("<script"), "the reason is not escaped");
    for text in [
        "<h3>dev <span class=\"meta\">(3 recorded)</span></h3>",
        "<tr><td>app</td><td>1.0.0</td><td>1.1.0</td><td>rolling</td>",
        "<td>rollback</td><td>app</td><td>1.0.0</td><td>1.1.0</td><td>rolling</td><td><span class=\"pass\">succeeded</span>",
        "<td>deploy</td><td>app</td><td>1.1.0</td><td>1.0.0</td>",
        "<h3>staging <span class=\"meta\">(1 recorded)</span></h3>",
        "&lt;script&gt;alert(5)&lt;&#x2f;script&gt; $(touch pwned) &amp; &quot;q&quot;",
    ] {
        assert!(page.contains(text), "the page lacks `{text}`: {page}");
    }
    assert_eq!(page.matches("nothing deployed yet").count(), 1, "production only: {page}");
    assert!(!repo.exists("pwned"));
}

/// Opens the page in headless Chromium, if installed: a screenshot that
/// is no blank image, and a DOM dump with no console error.
#[expect(clippy::print_stdout, reason = "the test says it skipped, as cargo test shows it")]
fn chromium(page: &Path) {
    let bin = Path::new("/usr/bin/chromium");
    if !bin.exists() {
        println!("skipped: /usr/bin/chromium is not installed");
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let png = tmp.path().join("page.png");
    let common = |profile: &str| {
        let mut c = Command::new(bin);
        c.args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", tmp.path().join(profile).display()));
        c
    };
    let url = format!("file://{}", page.display());
    let out = common("shot")
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1200,2000")
        .arg(&url)
        .output()
        .unwrap();
    assert!(out.status.success(), "chromium: {}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "not a PNG");
    assert!(bytes.len() > 20_000, "a near-empty screenshot: {} bytes", bytes.len());
    if let Ok(keep) = std::env::var("RELMAN_KEEP_SCREENSHOT") {
        std::fs::copy(&png, keep).unwrap();
    }
    let out = common("dom")
        .args(["--enable-logging=stderr", "--v=0", "--dump-dom"])
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&out.stdout);
    let log = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "chromium: {log}");
    assert!(dom.contains("relman report"), "{dom}");
    for line in log.lines() {
        assert!(
            !(line.contains("CONSOLE") || line.contains("Uncaught") || line.contains("net::ERR")),
            "the page logged an error: {line}"
        );
    }
}
