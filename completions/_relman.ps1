
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'relman' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'relman'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'relman' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write commented starter files (never overwrites)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Build a scratch repository from the reference catalog and walk relman through it')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show current versions, commits since, next versions and trains')
            [CompletionResult]::new('next', 'next', [CompletionResultType]::ParameterValue, 'Show the next version and why: bump level, release type, commits behind it')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Cut a release: version files, changelog, audit line, commit and annotated tag')
            [CompletionResult]::new('notes', 'notes', [CompletionResultType]::ParameterValue, 'Print release notes in markdown for a range of commits')
            [CompletionResult]::new('semver', 'semver', [CompletionResultType]::ParameterValue, 'Version arithmetic for shell scripts')
            [CompletionResult]::new('train', 'train', [CompletionResultType]::ParameterValue, 'Manage release trains')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Record an approval for a train, or for a deployment to an environment')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Roll back a train in reverse order, one service, or an environment')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploy a released version to an environment: checks, approvals, strategy, health')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit trail, or verify its hash chain')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Show release KPIs with their DORA bands: frequency, lead time, failure and rollback rates')
            [CompletionResult]::new('calendar', 'calendar', [CompletionResultType]::ParameterValue, 'List the bi-weekly train calendar: versions, phase dates, scheduled trains')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Write one self-contained HTML page: trains, releases, metrics, calendar')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;init' {
            [CompletionResult]::new('--example', '--example', [CompletionResultType]::ParameterName, 'Write a complete sample instead of starter files')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;demo' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;status' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Show one environment''s deployment history')
            [CompletionResult]::new('--tag-pattern', '--tag-pattern', [CompletionResultType]::ParameterName, 'Use this tag pattern instead of the configured one (`{version}` required)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Count only commits that change something under this path')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--show-settings', '--show-settings', [CompletionResultType]::ParameterName, 'Print the effective settings and where each came from')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;next' {
            [CompletionResult]::new('--tag-pattern', '--tag-pattern', [CompletionResultType]::ParameterName, 'Use this tag pattern instead of the configured one (`{version}` required)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Count only commits that change something under this path')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--calendar', '--calendar', [CompletionResultType]::ParameterName, 'Show this two-week train''s calendar version (`YYYY.N.0`) as the next one')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;create' {
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Set the new version outright instead of bumping')
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Prerelease identifier (`rc` gives 1.2.4-rc.0)')
            [CompletionResult]::new('--urgency', '--urgency', [CompletionResultType]::ParameterName, 'A hotfix''s urgency: the approvals and gates of the policy''s `hotfix.urgency.<level>`')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'An approval the release needs, given in this call (repeatable)')
            [CompletionResult]::new('--tag-pattern', '--tag-pattern', [CompletionResultType]::ParameterName, 'Use this tag pattern instead of the configured one (`{version}` required)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Count only commits that change something under this path')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--calendar', '--calendar', [CompletionResultType]::ParameterName, 'Set the new version to this two-week train''s calendar version (`YYYY.N.0`)')
            [CompletionResult]::new('--sign', '--sign', [CompletionResultType]::ParameterName, 'Sign the tag with your git signing setup, as `git tag -s` does')
            [CompletionResult]::new('--no-commit', '--no-commit', [CompletionResultType]::ParameterName, 'Leave the changes in the work tree: no commit and no tag')
            [CompletionResult]::new('--no-tag', '--no-tag', [CompletionResultType]::ParameterName, 'Commit but do not tag')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Skip the repository''s `commit-msg` hook, as `git commit --no-verify` does')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;notes' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service whose tags and path to use (default: the single project)')
            [CompletionResult]::new('--template', '--template', [CompletionResultType]::ParameterName, 'Render with a template: changelog, release-notes, announcement, or a minijinja file')
            [CompletionResult]::new('--tag-pattern', '--tag-pattern', [CompletionResultType]::ParameterName, 'Use this tag pattern instead of the configured one (`{version}` required)')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'Count only commits that change something under this path')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'The whole history, one section per release tag')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;semver' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('bump', 'bump', [CompletionResultType]::ParameterValue, 'Print the version LEVEL leads to, with npm `semver.inc` rules')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Print -1, 0 or 1 as A is lower than, equal to or greater than B')
            [CompletionResult]::new('satisfies', 'satisfies', [CompletionResultType]::ParameterValue, 'Exit 0 when VERSION satisfies RANGE, 1 when it does not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;semver;bump' {
            [CompletionResult]::new('--pre', '--pre', [CompletionResultType]::ParameterName, 'Prerelease identifier')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;semver;compare' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;semver;satisfies' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;semver;help' {
            [CompletionResult]::new('bump', 'bump', [CompletionResultType]::ParameterValue, 'Print the version LEVEL leads to, with npm `semver.inc` rules')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Print -1, 0 or 1 as A is lower than, equal to or greater than B')
            [CompletionResult]::new('satisfies', 'satisfies', [CompletionResultType]::ParameterValue, 'Exit 0 when VERSION satisfies RANGE, 1 when it does not')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;semver;help;bump' {
            break
        }
        'relman;semver;help;compare' {
            break
        }
        'relman;semver;help;satisfies' {
            break
        }
        'relman;semver;help;help' {
            break
        }
        'relman;train' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every train with status, participants and progress')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one train: status, participants, gates, dependencies')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the dependency-ordered plan: waves, versions, actions')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Evaluate every gate and dependency; exit 1 if a blocking one fails')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a train: planning → validating (every gate evaluated)')
            [CompletionResult]::new('advance', 'advance', [CompletionResultType]::ParameterValue, 'Make the train''s next transition')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Make every transition that remains, releasing each participant')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause an active train')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused train where it was')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;train;list' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;show' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;plan' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Save the plan, with a digest of every input, to FILE')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;validate' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;start' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;advance' {
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Stage exactly this saved plan (`train plan --out`); refused if an input changed')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Run up to N hooks of a wave at once (tags are still made in plan order)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;run' {
            [CompletionResult]::new('--plan', '--plan', [CompletionResultType]::ParameterName, 'Stage exactly this saved plan (`train plan --out`); refused if an input changed')
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'Run up to N hooks of a wave at once (tags are still made in plan order)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted run from the first participant not finished')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;pause' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;resume' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;train;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every train with status, participants and progress')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one train: status, participants, gates, dependencies')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the dependency-ordered plan: waves, versions, actions')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Evaluate every gate and dependency; exit 1 if a blocking one fails')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a train: planning → validating (every gate evaluated)')
            [CompletionResult]::new('advance', 'advance', [CompletionResultType]::ParameterValue, 'Make the train''s next transition')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Make every transition that remains, releasing each participant')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause an active train')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused train where it was')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;train;help;list' {
            break
        }
        'relman;train;help;show' {
            break
        }
        'relman;train;help;plan' {
            break
        }
        'relman;train;help;validate' {
            break
        }
        'relman;train;help;start' {
            break
        }
        'relman;train;help;advance' {
            break
        }
        'relman;train;help;run' {
            break
        }
        'relman;train;help;pause' {
            break
        }
        'relman;train;help;resume' {
            break
        }
        'relman;train;help;help' {
            break
        }
        'relman;approve' {
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Approve a deployment to this environment (with `--version`)')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'The version approved for `--env`')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service approved for `--env` (default: the single project)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'The role approving (one the train''s `approvals:` gate, or the environment''s policy, requires)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Who approves (default: git''s author, `Name <email>`)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'A note recorded with the approval')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;rollback' {
            [CompletionResult]::new('--train', '--train', [CompletionResultType]::ParameterName, 'Roll back every released participant of this train, in reverse order')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Put an environment back to the version it ran before (through the ledger)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The version to restore (default: the one before)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (recorded, and passed to hooks as RELMAN_REASON)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Also tag the restored version''s commit `<tag>-rollback.<n>`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;deploy' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'The service (default: the single project)')
            [CompletionResult]::new('--strategy', '--strategy', [CompletionResultType]::ParameterName, 'rolling, blue-green or canary (default: the environment''s policy)')
            [CompletionResult]::new('--initial-traffic', '--initial-traffic', [CompletionResultType]::ParameterName, 'A canary''s first traffic step, in percent')
            [CompletionResult]::new('--approved-by', '--approved-by', [CompletionResultType]::ParameterName, 'Record an approval in the same commit: ROLE=WHO (repeatable)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;audit' {
            [CompletionResult]::new('--train', '--train', [CompletionResultType]::ParameterName, 'Only entries about this train')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries at or after this date (YYYY-MM-DD or RFC 3339)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify the hash chain; name the first line altered or removed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;audit;verify' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;audit;help' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify the hash chain; name the first line altered or removed')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;audit;help;verify' {
            break
        }
        'relman;audit;help;help' {
            break
        }
        'relman;metrics' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Start of the window (YYYY-MM-DD or RFC 3339; default: 90 days before --until)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'End of the window (YYYY-MM-DD or RFC 3339; default: now)')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only this service''s releases, rollbacks and trains')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Deployments to this environment (default: the last of `environments.order`)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;calendar' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'A day in the first train listed (YYYY-MM-DD or RFC 3339; default: today)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'How many trains to list')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;report' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write the page (`-` for stdout)')
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;completions' {
            [CompletionResult]::new('-C', '-C ', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--repo', '--repo', [CompletionResultType]::ParameterName, 'Run as if started in DIR (default: the repository containing the current directory)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format: tables and lines for people, or one JSON document for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to color output (`NO_COLOR` is respected by `auto`)')
            [CompletionResult]::new('--push', '--push', [CompletionResultType]::ParameterName, 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show what would change and change nothing: no file, ref, index entry, lock or log')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Answer yes to every confirmation (needed without a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only data and errors')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail (can be repeated)')
            [CompletionResult]::new('--ci', '--ci', [CompletionResultType]::ParameterName, 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab''s dotenv report (also `RELMAN_CI=1`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'relman;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write commented starter files (never overwrites)')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Build a scratch repository from the reference catalog and walk relman through it')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show current versions, commits since, next versions and trains')
            [CompletionResult]::new('next', 'next', [CompletionResultType]::ParameterValue, 'Show the next version and why: bump level, release type, commits behind it')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Cut a release: version files, changelog, audit line, commit and annotated tag')
            [CompletionResult]::new('notes', 'notes', [CompletionResultType]::ParameterValue, 'Print release notes in markdown for a range of commits')
            [CompletionResult]::new('semver', 'semver', [CompletionResultType]::ParameterValue, 'Version arithmetic for shell scripts')
            [CompletionResult]::new('train', 'train', [CompletionResultType]::ParameterValue, 'Manage release trains')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Record an approval for a train, or for a deployment to an environment')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Roll back a train in reverse order, one service, or an environment')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Deploy a released version to an environment: checks, approvals, strategy, health')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'Read the audit trail, or verify its hash chain')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'Show release KPIs with their DORA bands: frequency, lead time, failure and rollback rates')
            [CompletionResult]::new('calendar', 'calendar', [CompletionResultType]::ParameterValue, 'List the bi-weekly train calendar: versions, phase dates, scheduled trains')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Write one self-contained HTML page: trains, releases, metrics, calendar')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print shell completions')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'relman;help;init' {
            break
        }
        'relman;help;demo' {
            break
        }
        'relman;help;status' {
            break
        }
        'relman;help;next' {
            break
        }
        'relman;help;create' {
            break
        }
        'relman;help;notes' {
            break
        }
        'relman;help;semver' {
            [CompletionResult]::new('bump', 'bump', [CompletionResultType]::ParameterValue, 'Print the version LEVEL leads to, with npm `semver.inc` rules')
            [CompletionResult]::new('compare', 'compare', [CompletionResultType]::ParameterValue, 'Print -1, 0 or 1 as A is lower than, equal to or greater than B')
            [CompletionResult]::new('satisfies', 'satisfies', [CompletionResultType]::ParameterValue, 'Exit 0 when VERSION satisfies RANGE, 1 when it does not')
            break
        }
        'relman;help;semver;bump' {
            break
        }
        'relman;help;semver;compare' {
            break
        }
        'relman;help;semver;satisfies' {
            break
        }
        'relman;help;train' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List every train with status, participants and progress')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one train: status, participants, gates, dependencies')
            [CompletionResult]::new('plan', 'plan', [CompletionResultType]::ParameterValue, 'Print the dependency-ordered plan: waves, versions, actions')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Evaluate every gate and dependency; exit 1 if a blocking one fails')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Start a train: planning → validating (every gate evaluated)')
            [CompletionResult]::new('advance', 'advance', [CompletionResultType]::ParameterValue, 'Make the train''s next transition')
            [CompletionResult]::new('run', 'run', [CompletionResultType]::ParameterValue, 'Make every transition that remains, releasing each participant')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Pause an active train')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Resume a paused train where it was')
            break
        }
        'relman;help;train;list' {
            break
        }
        'relman;help;train;show' {
            break
        }
        'relman;help;train;plan' {
            break
        }
        'relman;help;train;validate' {
            break
        }
        'relman;help;train;start' {
            break
        }
        'relman;help;train;advance' {
            break
        }
        'relman;help;train;run' {
            break
        }
        'relman;help;train;pause' {
            break
        }
        'relman;help;train;resume' {
            break
        }
        'relman;help;approve' {
            break
        }
        'relman;help;rollback' {
            break
        }
        'relman;help;deploy' {
            break
        }
        'relman;help;audit' {
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify the hash chain; name the first line altered or removed')
            break
        }
        'relman;help;audit;verify' {
            break
        }
        'relman;help;metrics' {
            break
        }
        'relman;help;calendar' {
            break
        }
        'relman;help;report' {
            break
        }
        'relman;help;completions' {
            break
        }
        'relman;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
