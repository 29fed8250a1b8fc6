
use builtin;
use str;

set edit:completion:arg-completer[relman] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'relman'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'relman'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write commented starter files (never overwrites)'
            cand demo 'Build a scratch repository from the reference catalog and walk relman through it'
            cand status 'Show current versions, commits since, next versions and trains'
            cand next 'Show the next version and why: bump level, release type, commits behind it'
            cand create 'Cut a release: version files, changelog, audit line, commit and annotated tag'
            cand notes 'Print release notes in markdown for a range of commits'
            cand semver 'Version arithmetic for shell scripts'
            cand train 'Manage release trains'
            cand approve 'Record an approval for a train, or for a deployment to an environment'
            cand rollback 'Roll back a train in reverse order, one service, or an environment'
            cand deploy 'Deploy a released version to an environment: checks, approvals, strategy, health'
            cand audit 'Read the audit trail, or verify its hash chain'
            cand metrics 'Show release KPIs with their DORA bands: frequency, lead time, failure and rollback rates'
            cand calendar 'List the bi-weekly train calendar: versions, phase dates, scheduled trains'
            cand report 'Write one self-contained HTML page: trains, releases, metrics, calendar'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;init'= {
            cand --example 'Write a complete sample instead of starter files'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;demo'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;status'= {
            cand --env 'Show one environment''s deployment history'
            cand --tag-pattern 'Use this tag pattern instead of the configured one (`{version}` required)'
            cand --path 'Count only commits that change something under this path'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --show-settings 'Print the effective settings and where each came from'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;next'= {
            cand --tag-pattern 'Use this tag pattern instead of the configured one (`{version}` required)'
            cand --path 'Count only commits that change something under this path'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --calendar 'Show this two-week train''s calendar version (`YYYY.N.0`) as the next one'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;create'= {
            cand --version 'Set the new version outright instead of bumping'
            cand --pre 'Prerelease identifier (`rc` gives 1.2.4-rc.0)'
            cand --urgency 'A hotfix''s urgency: the approvals and gates of the policy''s `hotfix.urgency.<level>`'
            cand --approved-by 'An approval the release needs, given in this call (repeatable)'
            cand --tag-pattern 'Use this tag pattern instead of the configured one (`{version}` required)'
            cand --path 'Count only commits that change something under this path'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --calendar 'Set the new version to this two-week train''s calendar version (`YYYY.N.0`)'
            cand --sign 'Sign the tag with your git signing setup, as `git tag -s` does'
            cand --no-commit 'Leave the changes in the work tree: no commit and no tag'
            cand --no-tag 'Commit but do not tag'
            cand --no-verify 'Skip the repository''s `commit-msg` hook, as `git commit --no-verify` does'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;notes'= {
            cand --service 'The service whose tags and path to use (default: the single project)'
            cand --template 'Render with a template: changelog, release-notes, announcement, or a minijinja file'
            cand --tag-pattern 'Use this tag pattern instead of the configured one (`{version}` required)'
            cand --path 'Count only commits that change something under this path'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --all 'The whole history, one section per release tag'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;semver'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand bump 'Print the version LEVEL leads to, with npm `semver.inc` rules'
            cand compare 'Print -1, 0 or 1 as A is lower than, equal to or greater than B'
            cand satisfies 'Exit 0 when VERSION satisfies RANGE, 1 when it does not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;semver;bump'= {
            cand --pre 'Prerelease identifier'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;semver;compare'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;semver;satisfies'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;semver;help'= {
            cand bump 'Print the version LEVEL leads to, with npm `semver.inc` rules'
            cand compare 'Print -1, 0 or 1 as A is lower than, equal to or greater than B'
            cand satisfies 'Exit 0 when VERSION satisfies RANGE, 1 when it does not'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;semver;help;bump'= {
        }
        &'relman;semver;help;compare'= {
        }
        &'relman;semver;help;satisfies'= {
        }
        &'relman;semver;help;help'= {
        }
        &'relman;train'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand list 'List every train with status, participants and progress'
            cand show 'Show one train: status, participants, gates, dependencies'
            cand plan 'Print the dependency-ordered plan: waves, versions, actions'
            cand validate 'Evaluate every gate and dependency; exit 1 if a blocking one fails'
            cand start 'Start a train: planning → validating (every gate evaluated)'
            cand advance 'Make the train''s next transition'
            cand run 'Make every transition that remains, releasing each participant'
            cand pause 'Pause an active train'
            cand resume 'Resume a paused train where it was'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;train;list'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;show'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;plan'= {
            cand --out 'Save the plan, with a digest of every input, to FILE'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;validate'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;start'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;advance'= {
            cand --plan 'Stage exactly this saved plan (`train plan --out`); refused if an input changed'
            cand --jobs 'Run up to N hooks of a wave at once (tags are still made in plan order)'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;run'= {
            cand --plan 'Stage exactly this saved plan (`train plan --out`); refused if an input changed'
            cand --jobs 'Run up to N hooks of a wave at once (tags are still made in plan order)'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --resume 'Continue an interrupted run from the first participant not finished'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;pause'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;resume'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;train;help'= {
            cand list 'List every train with status, participants and progress'
            cand show 'Show one train: status, participants, gates, dependencies'
            cand plan 'Print the dependency-ordered plan: waves, versions, actions'
            cand validate 'Evaluate every gate and dependency; exit 1 if a blocking one fails'
            cand start 'Start a train: planning → validating (every gate evaluated)'
            cand advance 'Make the train''s next transition'
            cand run 'Make every transition that remains, releasing each participant'
            cand pause 'Pause an active train'
            cand resume 'Resume a paused train where it was'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;train;help;list'= {
        }
        &'relman;train;help;show'= {
        }
        &'relman;train;help;plan'= {
        }
        &'relman;train;help;validate'= {
        }
        &'relman;train;help;start'= {
        }
        &'relman;train;help;advance'= {
        }
        &'relman;train;help;run'= {
        }
        &'relman;train;help;pause'= {
        }
        &'relman;train;help;resume'= {
        }
        &'relman;train;help;help'= {
        }
        &'relman;approve'= {
            cand --env 'Approve a deployment to this environment (with `--version`)'
            cand --version 'The version approved for `--env`'
            cand --service 'The service approved for `--env` (default: the single project)'
            cand --role 'The role approving (one the train''s `approvals:` gate, or the environment''s policy, requires)'
            cand --by 'Who approves (default: git''s author, `Name <email>`)'
            cand --note 'A note recorded with the approval'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;rollback'= {
            cand --train 'Roll back every released participant of this train, in reverse order'
            cand --env 'Put an environment back to the version it ran before (through the ledger)'
            cand --to 'The version to restore (default: the one before)'
            cand --reason 'Why (recorded, and passed to hooks as RELMAN_REASON)'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --tag 'Also tag the restored version''s commit `<tag>-rollback.<n>`'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;deploy'= {
            cand --service 'The service (default: the single project)'
            cand --strategy 'rolling, blue-green or canary (default: the environment''s policy)'
            cand --initial-traffic 'A canary''s first traffic step, in percent'
            cand --approved-by 'Record an approval in the same commit: ROLE=WHO (repeatable)'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;audit'= {
            cand --train 'Only entries about this train'
            cand --since 'Only entries at or after this date (YYYY-MM-DD or RFC 3339)'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand verify 'Verify the hash chain; name the first line altered or removed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;audit;verify'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;audit;help'= {
            cand verify 'Verify the hash chain; name the first line altered or removed'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;audit;help;verify'= {
        }
        &'relman;audit;help;help'= {
        }
        &'relman;metrics'= {
            cand --since 'Start of the window (YYYY-MM-DD or RFC 3339; default: 90 days before --until)'
            cand --until 'End of the window (YYYY-MM-DD or RFC 3339; default: now)'
            cand --service 'Only this service''s releases, rollbacks and trains'
            cand --env 'Deployments to this environment (default: the last of `environments.order`)'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;calendar'= {
            cand --from 'A day in the first train listed (YYYY-MM-DD or RFC 3339; default: today)'
            cand --count 'How many trains to list'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;report'= {
            cand --out 'Where to write the page (`-` for stdout)'
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;completions'= {
            cand -C 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --repo 'Run as if started in DIR (default: the repository containing the current directory)'
            cand --format 'Output format: tables and lines for people, or one JSON document for scripts'
            cand --color 'When to color output (`NO_COLOR` is respected by `auto`)'
            cand --push 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone'
            cand --dry-run 'Show what would change and change nothing: no file, ref, index entry, lock or log'
            cand -y 'Answer yes to every confirmation (needed without a terminal)'
            cand --yes 'Answer yes to every confirmation (needed without a terminal)'
            cand -q 'Print only data and errors'
            cand --quiet 'Print only data and errors'
            cand -v 'Print more detail (can be repeated)'
            cand --verbose 'Print more detail (can be repeated)'
            cand --ci 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'relman;help'= {
            cand init 'Write commented starter files (never overwrites)'
            cand demo 'Build a scratch repository from the reference catalog and walk relman through it'
            cand status 'Show current versions, commits since, next versions and trains'
            cand next 'Show the next version and why: bump level, release type, commits behind it'
            cand create 'Cut a release: version files, changelog, audit line, commit and annotated tag'
            cand notes 'Print release notes in markdown for a range of commits'
            cand semver 'Version arithmetic for shell scripts'
            cand train 'Manage release trains'
            cand approve 'Record an approval for a train, or for a deployment to an environment'
            cand rollback 'Roll back a train in reverse order, one service, or an environment'
            cand deploy 'Deploy a released version to an environment: checks, approvals, strategy, health'
            cand audit 'Read the audit trail, or verify its hash chain'
            cand metrics 'Show release KPIs with their DORA bands: frequency, lead time, failure and rollback rates'
            cand calendar 'List the bi-weekly train calendar: versions, phase dates, scheduled trains'
            cand report 'Write one self-contained HTML page: trains, releases, metrics, calendar'
            cand completions 'Print shell completions'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'relman;help;init'= {
        }
        &'relman;help;demo'= {
        }
        &'relman;help;status'= {
        }
        &'relman;help;next'= {
        }
        &'relman;help;create'= {
        }
        &'relman;help;notes'= {
        }
        &'relman;help;semver'= {
            cand bump 'Print the version LEVEL leads to, with npm `semver.inc` rules'
            cand compare 'Print -1, 0 or 1 as A is lower than, equal to or greater than B'
            cand satisfies 'Exit 0 when VERSION satisfies RANGE, 1 when it does not'
        }
        &'relman;help;semver;bump'= {
        }
        &'relman;help;semver;compare'= {
        }
        &'relman;help;semver;satisfies'= {
        }
        &'relman;help;train'= {
            cand list 'List every train with status, participants and progress'
            cand show 'Show one train: status, participants, gates, dependencies'
            cand plan 'Print the dependency-ordered plan: waves, versions, actions'
            cand validate 'Evaluate every gate and dependency; exit 1 if a blocking one fails'
            cand start 'Start a train: planning → validating (every gate evaluated)'
            cand advance 'Make the train''s next transition'
            cand run 'Make every transition that remains, releasing each participant'
            cand pause 'Pause an active train'
            cand resume 'Resume a paused train where it was'
        }
        &'relman;help;train;list'= {
        }
        &'relman;help;train;show'= {
        }
        &'relman;help;train;plan'= {
        }
        &'relman;help;train;validate'= {
        }
        &'relman;help;train;start'= {
        }
        &'relman;help;train;advance'= {
        }
        &'relman;help;train;run'= {
        }
        &'relman;help;train;pause'= {
        }
        &'relman;help;train;resume'= {
        }
        &'relman;help;approve'= {
        }
        &'relman;help;rollback'= {
        }
        &'relman;help;deploy'= {
        }
        &'relman;help;audit'= {
            cand verify 'Verify the hash chain; name the first line altered or removed'
        }
        &'relman;help;audit;verify'= {
        }
        &'relman;help;metrics'= {
        }
        &'relman;help;calendar'= {
        }
        &'relman;help;report'= {
        }
        &'relman;help;completions'= {
        }
        &'relman;help;help'= {
        }
    ]
    $completions[$command]
}
