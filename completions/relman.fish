# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_relman_global_optspecs
    string join \n C/repo= format= dry-run y/yes q/quiet v/verbose color= push= ci h/help V/version
end

function __fish_relman_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_relman_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_relman_using_subcommand
    set -l cmd (__fish_relman_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c relman -n "__fish_relman_needs_command" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_needs_command" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_needs_command" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_needs_command" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_needs_command" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_needs_command" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_needs_command" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_needs_command" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_needs_command" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_needs_command" -s V -l version -d 'Print version'
complete -c relman -n "__fish_relman_needs_command" -f -a "init" -d 'Write commented starter files (never overwrites)'
complete -c relman -n "__fish_relman_needs_command" -f -a "demo" -d 'Build a scratch repository from the reference catalog and walk relman through it'
complete -c relman -n "__fish_relman_needs_command" -f -a "status" -d 'Show current versions, commits since, next versions and trains'
complete -c relman -n "__fish_relman_needs_command" -f -a "next" -d 'Show the next version and why: bump level, release type, commits behind it'
complete -c relman -n "__fish_relman_needs_command" -f -a "create" -d 'Cut a release: version files, changelog, audit line, commit and annotated tag'
complete -c relman -n "__fish_relman_needs_command" -f -a "notes" -d 'Print release notes in markdown for a range of commits'
complete -c relman -n "__fish_relman_needs_command" -f -a "semver" -d 'Version arithmetic for shell scripts'
complete -c relman -n "__fish_relman_needs_command" -f -a "train" -d 'Manage release trains'
complete -c relman -n "__fish_relman_needs_command" -f -a "approve" -d 'Record an approval for a train, or for a deployment to an environment'
complete -c relman -n "__fish_relman_needs_command" -f -a "rollback" -d 'Roll back a train in reverse order, one service, or an environment'
complete -c relman -n "__fish_relman_needs_command" -f -a "deploy" -d 'Deploy a released version to an environment: checks, approvals, strategy, health'
complete -c relman -n "__fish_relman_needs_command" -f -a "audit" -d 'Read the audit trail, or verify its hash chain'
complete -c relman -n "__fish_relman_needs_command" -f -a "metrics" -d 'Show release KPIs with their DORA bands: frequency, lead time, failure and rollback rates'
complete -c relman -n "__fish_relman_needs_command" -f -a "calendar" -d 'List the bi-weekly train calendar: versions, phase dates, scheduled trains'
complete -c relman -n "__fish_relman_needs_command" -f -a "report" -d 'Write one self-contained HTML page: trains, releases, metrics, calendar'
complete -c relman -n "__fish_relman_needs_command" -f -a "completions" -d 'Print shell completions'
complete -c relman -n "__fish_relman_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand init" -l example -d 'Write a complete sample instead of starter files' -r -f -a "platform\t'The reference catalog: services, trains, metrics, specs and policies'"
complete -c relman -n "__fish_relman_using_subcommand init" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand init" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand init" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand init" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand init" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand init" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand init" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand init" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand init" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand demo" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand demo" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand demo" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand demo" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand demo" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand demo" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand demo" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand demo" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand demo" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand status" -l env -d 'Show one environment\'s deployment history' -r
complete -c relman -n "__fish_relman_using_subcommand status" -l tag-pattern -d 'Use this tag pattern instead of the configured one (`{version}` required)' -r
complete -c relman -n "__fish_relman_using_subcommand status" -l path -d 'Count only commits that change something under this path' -r
complete -c relman -n "__fish_relman_using_subcommand status" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand status" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand status" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand status" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand status" -l show-settings -d 'Print the effective settings and where each came from'
complete -c relman -n "__fish_relman_using_subcommand status" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand status" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand status" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand status" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand status" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand next" -l tag-pattern -d 'Use this tag pattern instead of the configured one (`{version}` required)' -r
complete -c relman -n "__fish_relman_using_subcommand next" -l path -d 'Count only commits that change something under this path' -r
complete -c relman -n "__fish_relman_using_subcommand next" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand next" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand next" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand next" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand next" -l calendar -d 'Show this two-week train\'s calendar version (`YYYY.N.0`) as the next one'
complete -c relman -n "__fish_relman_using_subcommand next" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand next" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand next" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand next" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand next" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand next" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand create" -l version -d 'Set the new version outright instead of bumping' -r
complete -c relman -n "__fish_relman_using_subcommand create" -l pre -d 'Prerelease identifier (`rc` gives 1.2.4-rc.0)' -r
complete -c relman -n "__fish_relman_using_subcommand create" -l urgency -d 'A hotfix\'s urgency: the approvals and gates of the policy\'s `hotfix.urgency.<level>`' -r -f -a "critical\t'The policy\'s `hotfix.urgency.critical`'
high\t'The policy\'s `hotfix.urgency.high`'
medium\t'The policy\'s `hotfix.urgency.medium`'
low\t'The policy\'s `hotfix.urgency.low`'"
complete -c relman -n "__fish_relman_using_subcommand create" -l approved-by -d 'An approval the release needs, given in this call (repeatable)' -r
complete -c relman -n "__fish_relman_using_subcommand create" -l tag-pattern -d 'Use this tag pattern instead of the configured one (`{version}` required)' -r
complete -c relman -n "__fish_relman_using_subcommand create" -l path -d 'Count only commits that change something under this path' -r
complete -c relman -n "__fish_relman_using_subcommand create" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand create" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand create" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand create" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand create" -l calendar -d 'Set the new version to this two-week train\'s calendar version (`YYYY.N.0`)'
complete -c relman -n "__fish_relman_using_subcommand create" -l sign -d 'Sign the tag with your git signing setup, as `git tag -s` does'
complete -c relman -n "__fish_relman_using_subcommand create" -l no-commit -d 'Leave the changes in the work tree: no commit and no tag'
complete -c relman -n "__fish_relman_using_subcommand create" -l no-tag -d 'Commit but do not tag'
complete -c relman -n "__fish_relman_using_subcommand create" -l no-verify -d 'Skip the repository\'s `commit-msg` hook, as `git commit --no-verify` does'
complete -c relman -n "__fish_relman_using_subcommand create" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand create" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand create" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand create" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand create" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand notes" -l service -d 'The service whose tags and path to use (default: the single project)' -r
complete -c relman -n "__fish_relman_using_subcommand notes" -l template -d 'Render with a template: changelog, release-notes, announcement, or a minijinja file' -r
complete -c relman -n "__fish_relman_using_subcommand notes" -l tag-pattern -d 'Use this tag pattern instead of the configured one (`{version}` required)' -r
complete -c relman -n "__fish_relman_using_subcommand notes" -l path -d 'Count only commits that change something under this path' -r
complete -c relman -n "__fish_relman_using_subcommand notes" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand notes" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand notes" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand notes" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand notes" -l all -d 'The whole history, one section per release tag'
complete -c relman -n "__fish_relman_using_subcommand notes" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand notes" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand notes" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand notes" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand notes" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand notes" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -f -a "bump" -d 'Print the version LEVEL leads to, with npm `semver.inc` rules'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -f -a "compare" -d 'Print -1, 0 or 1 as A is lower than, equal to or greater than B'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -f -a "satisfies" -d 'Exit 0 when VERSION satisfies RANGE, 1 when it does not'
complete -c relman -n "__fish_relman_using_subcommand semver; and not __fish_seen_subcommand_from bump compare satisfies help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -l pre -d 'Prerelease identifier' -r
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from bump" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from compare" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from satisfies" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from help" -f -a "bump" -d 'Print the version LEVEL leads to, with npm `semver.inc` rules'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from help" -f -a "compare" -d 'Print -1, 0 or 1 as A is lower than, equal to or greater than B'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from help" -f -a "satisfies" -d 'Exit 0 when VERSION satisfies RANGE, 1 when it does not'
complete -c relman -n "__fish_relman_using_subcommand semver; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "list" -d 'List every train with status, participants and progress'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "show" -d 'Show one train: status, participants, gates, dependencies'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "plan" -d 'Print the dependency-ordered plan: waves, versions, actions'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "validate" -d 'Evaluate every gate and dependency; exit 1 if a blocking one fails'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "start" -d 'Start a train: planning → validating (every gate evaluated)'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "advance" -d 'Make the train\'s next transition'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "run" -d 'Make every transition that remains, releasing each participant'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "pause" -d 'Pause an active train'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "resume" -d 'Resume a paused train where it was'
complete -c relman -n "__fish_relman_using_subcommand train; and not __fish_seen_subcommand_from list show plan validate start advance run pause resume help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -l out -d 'Save the plan, with a digest of every input, to FILE' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from plan" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -l plan -d 'Stage exactly this saved plan (`train plan --out`); refused if an input changed' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -l jobs -d 'Run up to N hooks of a wave at once (tags are still made in plan order)' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from advance" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l plan -d 'Stage exactly this saved plan (`train plan --out`); refused if an input changed' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l jobs -d 'Run up to N hooks of a wave at once (tags are still made in plan order)' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l resume -d 'Continue an interrupted run from the first participant not finished'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from run" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "list" -d 'List every train with status, participants and progress'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one train: status, participants, gates, dependencies'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "plan" -d 'Print the dependency-ordered plan: waves, versions, actions'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Evaluate every gate and dependency; exit 1 if a blocking one fails'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start a train: planning → validating (every gate evaluated)'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "advance" -d 'Make the train\'s next transition'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "run" -d 'Make every transition that remains, releasing each participant'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Pause an active train'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Resume a paused train where it was'
complete -c relman -n "__fish_relman_using_subcommand train; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand approve" -l env -d 'Approve a deployment to this environment (with `--version`)' -r
complete -c relman -n "__fish_relman_using_subcommand approve" -l version -d 'The version approved for `--env`' -r
complete -c relman -n "__fish_relman_using_subcommand approve" -l service -d 'The service approved for `--env` (default: the single project)' -r
complete -c relman -n "__fish_relman_using_subcommand approve" -l role -d 'The role approving (one the train\'s `approvals:` gate, or the environment\'s policy, requires)' -r
complete -c relman -n "__fish_relman_using_subcommand approve" -l by -d 'Who approves (default: git\'s author, `Name <email>`)' -r
complete -c relman -n "__fish_relman_using_subcommand approve" -l note -d 'A note recorded with the approval' -r
complete -c relman -n "__fish_relman_using_subcommand approve" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand approve" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand approve" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand approve" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand approve" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand approve" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand approve" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand approve" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand approve" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand rollback" -l train -d 'Roll back every released participant of this train, in reverse order' -r
complete -c relman -n "__fish_relman_using_subcommand rollback" -l env -d 'Put an environment back to the version it ran before (through the ledger)' -r
complete -c relman -n "__fish_relman_using_subcommand rollback" -l to -d 'The version to restore (default: the one before)' -r
complete -c relman -n "__fish_relman_using_subcommand rollback" -l reason -d 'Why (recorded, and passed to hooks as RELMAN_REASON)' -r
complete -c relman -n "__fish_relman_using_subcommand rollback" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand rollback" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand rollback" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand rollback" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand rollback" -l tag -d 'Also tag the restored version\'s commit `<tag>-rollback.<n>`'
complete -c relman -n "__fish_relman_using_subcommand rollback" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand rollback" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand rollback" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand rollback" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand rollback" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand deploy" -l service -d 'The service (default: the single project)' -r
complete -c relman -n "__fish_relman_using_subcommand deploy" -l strategy -d 'rolling, blue-green or canary (default: the environment\'s policy)' -r
complete -c relman -n "__fish_relman_using_subcommand deploy" -l initial-traffic -d 'A canary\'s first traffic step, in percent' -r
complete -c relman -n "__fish_relman_using_subcommand deploy" -l approved-by -d 'Record an approval in the same commit: ROLE=WHO (repeatable)' -r
complete -c relman -n "__fish_relman_using_subcommand deploy" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand deploy" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand deploy" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand deploy" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand deploy" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand deploy" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand deploy" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand deploy" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand deploy" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand deploy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l train -d 'Only entries about this train' -r
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l since -d 'Only entries at or after this date (YYYY-MM-DD or RFC 3339)' -r
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -f -a "verify" -d 'Verify the hash chain; name the first line altered or removed'
complete -c relman -n "__fish_relman_using_subcommand audit; and not __fish_seen_subcommand_from verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Verify the hash chain; name the first line altered or removed'
complete -c relman -n "__fish_relman_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand metrics" -l since -d 'Start of the window (YYYY-MM-DD or RFC 3339; default: 90 days before --until)' -r
complete -c relman -n "__fish_relman_using_subcommand metrics" -l until -d 'End of the window (YYYY-MM-DD or RFC 3339; default: now)' -r
complete -c relman -n "__fish_relman_using_subcommand metrics" -l service -d 'Only this service\'s releases, rollbacks and trains' -r
complete -c relman -n "__fish_relman_using_subcommand metrics" -l env -d 'Deployments to this environment (default: the last of `environments.order`)' -r
complete -c relman -n "__fish_relman_using_subcommand metrics" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand metrics" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand metrics" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand metrics" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand metrics" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand metrics" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand metrics" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand metrics" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand metrics" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand calendar" -l from -d 'A day in the first train listed (YYYY-MM-DD or RFC 3339; default: today)' -r
complete -c relman -n "__fish_relman_using_subcommand calendar" -l count -d 'How many trains to list' -r
complete -c relman -n "__fish_relman_using_subcommand calendar" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand calendar" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand calendar" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand calendar" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand calendar" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand calendar" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand calendar" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand calendar" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand calendar" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand calendar" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand report" -l out -d 'Where to write the page (`-` for stdout)' -r -F
complete -c relman -n "__fish_relman_using_subcommand report" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand report" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand report" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand report" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand report" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand report" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand report" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand report" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand report" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand completions" -s C -l repo -d 'Run as if started in DIR (default: the repository containing the current directory)' -r -F
complete -c relman -n "__fish_relman_using_subcommand completions" -l format -d 'Output format: tables and lines for people, or one JSON document for scripts' -r -f -a "human\t'Tables and one line per step'
json\t'Exactly one JSON document on stdout, with a `schema` key'"
complete -c relman -n "__fish_relman_using_subcommand completions" -l color -d 'When to color output (`NO_COLOR` is respected by `auto`)' -r -f -a "auto\t'Color when stdout is a terminal and `NO_COLOR` is not set'
always\t'Always color'
never\t'Never color'"
complete -c relman -n "__fish_relman_using_subcommand completions" -l push -d 'Push the branch and the tags a committing command made: `git push --atomic` to REMOTE (default origin); refused, everything is undone' -r
complete -c relman -n "__fish_relman_using_subcommand completions" -l dry-run -d 'Show what would change and change nothing: no file, ref, index entry, lock or log'
complete -c relman -n "__fish_relman_using_subcommand completions" -s y -l yes -d 'Answer yes to every confirmation (needed without a terminal)'
complete -c relman -n "__fish_relman_using_subcommand completions" -s q -l quiet -d 'Print only data and errors'
complete -c relman -n "__fish_relman_using_subcommand completions" -s v -l verbose -d 'Print more detail (can be repeated)'
complete -c relman -n "__fish_relman_using_subcommand completions" -l ci -d 'Write key results for the CI system: GitHub Actions step outputs and summary, GitLab\'s dotenv report (also `RELMAN_CI=1`)'
complete -c relman -n "__fish_relman_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "init" -d 'Write commented starter files (never overwrites)'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "demo" -d 'Build a scratch repository from the reference catalog and walk relman through it'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "status" -d 'Show current versions, commits since, next versions and trains'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "next" -d 'Show the next version and why: bump level, release type, commits behind it'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "create" -d 'Cut a release: version files, changelog, audit line, commit and annotated tag'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "notes" -d 'Print release notes in markdown for a range of commits'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "semver" -d 'Version arithmetic for shell scripts'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "train" -d 'Manage release trains'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "approve" -d 'Record an approval for a train, or for a deployment to an environment'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "rollback" -d 'Roll back a train in reverse order, one service, or an environment'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "deploy" -d 'Deploy a released version to an environment: checks, approvals, strategy, health'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "audit" -d 'Read the audit trail, or verify its hash chain'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "metrics" -d 'Show release KPIs with their DORA bands: frequency, lead time, failure and rollback rates'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "calendar" -d 'List the bi-weekly train calendar: versions, phase dates, scheduled trains'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "report" -d 'Write one self-contained HTML page: trains, releases, metrics, calendar'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "completions" -d 'Print shell completions'
complete -c relman -n "__fish_relman_using_subcommand help; and not __fish_seen_subcommand_from init demo status next create notes semver train approve rollback deploy audit metrics calendar report completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from semver" -f -a "bump" -d 'Print the version LEVEL leads to, with npm `semver.inc` rules'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from semver" -f -a "compare" -d 'Print -1, 0 or 1 as A is lower than, equal to or greater than B'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from semver" -f -a "satisfies" -d 'Exit 0 when VERSION satisfies RANGE, 1 when it does not'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "list" -d 'List every train with status, participants and progress'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "show" -d 'Show one train: status, participants, gates, dependencies'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "plan" -d 'Print the dependency-ordered plan: waves, versions, actions'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "validate" -d 'Evaluate every gate and dependency; exit 1 if a blocking one fails'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "start" -d 'Start a train: planning → validating (every gate evaluated)'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "advance" -d 'Make the train\'s next transition'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "run" -d 'Make every transition that remains, releasing each participant'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "pause" -d 'Pause an active train'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from train" -f -a "resume" -d 'Resume a paused train where it was'
complete -c relman -n "__fish_relman_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Verify the hash chain; name the first line altered or removed'
