//! Command-line parsing: argv in, a typed request out. This and `main` are the
//! only places that read argv or the environment; policy lives in `commands`.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::builder::PossibleValuesParser;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

use crate::answers::questions::{Kind, QUESTIONS};
use crate::answers::{Key, Value};
use crate::commands::{self, Interaction};
use crate::error::{Result, Status};
use crate::style::ColorWhen;

#[derive(Parser)]
#[command(
    name = "pyrel",
    version,
    about = "Generate a hardened PyPI release pipeline for a Rust/PyO3 or pure-Python package",
    long_about = None,
    after_help = EXAMPLES_TOP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Colour output: auto (a terminal and NO_COLOR unset), always, never.
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    color: ColorWhen,
}

/// The examples that end each command's `--help` (tests/shell.rs checks them).
const EXAMPLES_TOP: &str = "Examples:
  pyrel init --yes                 # detect, take the defaults, write everything
  pyrel generate --check           # in CI or pre-commit: exit 1 on drift
  pyrel completions bash > ~/.local/share/bash-completion/completions/pyrel";
const EXAMPLES_INSPECT: &str = "Examples:
  pyrel inspect
  pyrel inspect rust/ --json | jq .version";
const EXAMPLES_INIT: &str = "Examples:
  pyrel init                       # asks a few questions
  pyrel init --yes --repository acme/widget --dry-run
  pyrel init python/ --yes --platforms linux-x86_64,macos-aarch64 --publish token";
const EXAMPLES_GENERATE: &str = "Examples:
  pyrel generate                   # after editing [tool.pyrel] or upgrading pyrel
  pyrel generate --check           # exit 1 with a diff when a file drifted
  pyrel generate --dry-run         # the diff of what would be written";
const EXAMPLES_DOCTOR: &str = "Examples:
  pyrel doctor                     # exit 1 when the next release would fail
  pyrel doctor rust/ --json";
const EXAMPLES_PLAN: &str = "Examples:
  pyrel plan                       # every distribution the next release publishes
  pyrel plan rust/ --json | jq '.jobs[].platforms[].wheels[].filename'";
const EXAMPLES_BUMP: &str = "Examples:
  pyrel bump 1.4.0rc1 --dry-run    # show the diff in every version file
  pyrel bump patch";
const EXAMPLES_RELEASE: &str = "Examples:
  pyrel release 1.4.0 --dry-run    # the checks and the diff; changes nothing
  pyrel release 1.4.0 --push       # bump, commit, tag, push, GitHub release";
const EXAMPLES_COMPLETIONS: &str = "Examples:
  pyrel completions bash > ~/.local/share/bash-completion/completions/pyrel
  pyrel completions zsh > \"${fpath[1]}/_pyrel\"
  pyrel completions fish > ~/.config/fish/completions/pyrel.fish";
const EXAMPLES_SCHEMA: &str = "Examples:
  pyrel schema > pyrel.schema.json
  pyrel schema | jq '.properties | keys'";
const EXAMPLES_MAN: &str = "Examples:
  pyrel man | man -l -
  pyrel man init > pyrel-init.1";

#[derive(Subcommand)]
// Each subcommand's arguments are built only when it runs (or for help,
// completions and man pages): building all of them was a tenth of a
// `generate --check`.
#[command(defer = true)]
enum Command {
    /// Show what pyrel detects about the package.
    #[command(after_help = EXAMPLES_INSPECT)]
    Inspect {
        /// Directory holding the package's pyproject.toml.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print one JSON object instead of a summary.
        #[arg(long)]
        json: bool,
    },
    /// Detect, ask what cannot be detected, save [tool.pyrel] and generate.
    #[command(after_help = EXAMPLES_INIT)]
    Init {
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Ask nothing: take defaults for everything not given as a flag.
        #[arg(long, short = 'y')]
        yes: bool,
        /// Show what would change, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Replace generated files even if they were edited by hand.
        #[arg(long)]
        force: bool,
        /// Replace an existing (not pyrel-generated) workflow at pyrel's workflow path.
        #[arg(long)]
        replace: bool,
        /// Write even if wheels, interpreter versions or build settings an existing workflow has are dropped, or parts of it could not be read.
        #[arg(long)]
        allow_drop: bool,
        #[command(flatten)]
        flags: Box<ConfigFlags>,
    },
    /// Check that the next release will succeed: metadata, versions, generated files, tags.
    #[command(after_help = EXAMPLES_DOCTOR)]
    Doctor {
        /// Directory holding the package's pyproject.toml.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print the findings as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show the build plan: every distribution the next release will publish,
    /// and what it will not publish and why.
    #[command(after_help = EXAMPLES_PLAN)]
    Plan {
        /// Directory holding the package's pyproject.toml (at a repository
        /// root: every configured package).
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print the plan as JSON (a versioned shape, see `schema_version`).
        #[arg(long)]
        json: bool,
    },
    /// Re-render the generated files from [tool.pyrel], asking nothing.
    #[command(after_help = EXAMPLES_GENERATE)]
    Generate {
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Write nothing; exit 1 with a diff if any generated file is missing or out of date.
        #[arg(long, conflicts_with = "dry_run")]
        check: bool,
        /// Print the diff of what would be written and write nothing (alias: --diff).
        #[arg(long, visible_alias = "diff")]
        dry_run: bool,
        /// Replace generated files even if they were edited by hand.
        #[arg(long, conflicts_with_all = ["check", "dry_run"])]
        force: bool,
    },
    // ---- release day: bump and release ----
    /// Write a new version into every file that holds it (PEP 440 in Python
    /// files, SemVer in Cargo files, and the crate's Cargo.lock entry).
    #[command(after_help = EXAMPLES_BUMP)]
    Bump {
        /// A version (1.2.0, 1.2.0rc1, 1.2.0-rc.1) or one of major, minor,
        /// patch, alpha, beta, rc, post, dev, release.
        version: String,
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Print the diff and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Allow a version that is not greater than the current one.
        #[arg(long)]
        allow_downgrade: bool,
        /// When the version files disagree: take this file's version as the current one.
        #[arg(long, value_name = "FILE")]
        from_file: Option<String>,
    },
    /// Check the repository, bump, commit, tag, and push (--push) or print
    /// the push and release commands.
    #[command(after_help = EXAMPLES_RELEASE)]
    Release {
        /// The version to release (or major, minor, patch, ...); omit it to
        /// release the version the files already hold.
        version: Option<String>,
        /// Directory holding the package's pyproject.toml (default: .).
        path: Option<PathBuf>,
        /// Push the commit and tag to origin (and create the GitHub release
        /// with gh, when installed).
        #[arg(long)]
        push: bool,
        /// Run the checks and show what would happen; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// `git fetch origin` before checking (otherwise local refs only).
        #[arg(long)]
        fetch: bool,
        /// Allow a version that is not greater than the current one.
        #[arg(long)]
        allow_downgrade: bool,
        /// When the version files disagree: take this file's version as the current one.
        #[arg(long, value_name = "FILE")]
        from_file: Option<String>,
        /// Commit message; `{tag}` and `{version}` are replaced.
        #[arg(long, default_value = crate::release::DEFAULT_MESSAGE)]
        message: String,
    },
    // ---- end release day ----
    /// Print a shell completion script.
    #[command(after_help = EXAMPLES_COMPLETIONS)]
    Completions {
        /// bash, zsh, fish, powershell or elvish.
        shell: clap_complete::Shell,
    },
    /// Print the man page: pyrel(1), or pyrel-COMMAND(1).
    #[command(after_help = EXAMPLES_MAN)]
    Man {
        /// A command (init, generate, ...) for its own page.
        command: Option<String>,
    },
    /// Print the JSON Schema of [tool.pyrel], for editors and validators.
    #[command(after_help = EXAMPLES_SCHEMA)]
    Schema,
}

/// `init`'s configuration flags, made from the question table: every
/// `[tool.pyrel]` key is the flag `--<key>` (and `--no-<key>` for a yes/no
/// key), typed by its `Kind`, with the question's `flag_help`.
#[derive(Default)]
struct ConfigFlags(Vec<(Key, Value)>);

/// Keys whose value may start with `-` (arguments, commands).
const HYPHEN_VALUES: &[Key] = &[Key::MaturinArgs, Key::TestCommand, Key::BeforeScriptLinux];

fn negated(key: Key) -> String {
    format!("no-{key}")
}

impl Args for ConfigFlags {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        use clap::{Arg, ArgAction};
        for q in QUESTIONS {
            let key = q.key.as_str();
            let arg = Arg::new(key).long(key).help(q.flag_help);
            let value_name = key.to_ascii_uppercase().replace('-', "_");
            cmd = match q.kind {
                Kind::Bool => cmd
                    .arg(
                        arg.action(ArgAction::SetTrue)
                            .overrides_with(negated(q.key)),
                    )
                    .arg(
                        Arg::new(negated(q.key))
                            .long(negated(q.key))
                            .action(ArgAction::SetTrue)
                            .overrides_with(key),
                    ),
                Kind::Text => cmd.arg(
                    arg.value_name(value_name)
                        .action(ArgAction::Set)
                        .allow_hyphen_values(HYPHEN_VALUES.contains(&q.key)),
                ),
                Kind::Choice(options) => cmd.arg(
                    arg.value_name(value_name)
                        .action(ArgAction::Set)
                        .value_parser(PossibleValuesParser::new(options)),
                ),
                Kind::Platforms | Kind::List => cmd.arg(
                    arg.value_name(value_name)
                        .action(ArgAction::Append)
                        .value_delimiter(','),
                ),
            };
        }
        cmd
    }

    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

impl FromArgMatches for ConfigFlags {
    fn from_arg_matches(m: &clap::ArgMatches) -> std::result::Result<Self, clap::Error> {
        let mut out = Vec::new();
        for q in QUESTIONS {
            let key = q.key.as_str();
            let value = match q.kind {
                Kind::Bool => {
                    let (yes, no) = (m.get_flag(key), m.get_flag(&negated(q.key)));
                    (yes || no).then_some(Value::Bool(yes))
                }
                Kind::Text | Kind::Choice(_) => m.get_one::<String>(key).cloned().map(Value::Str),
                Kind::Platforms | Kind::List => m
                    .get_many::<String>(key)
                    .map(|v| Value::List(v.map(|s| s.trim().to_string()).collect())),
            };
            out.extend(value.map(|v| (q.key, v)));
        }
        Ok(ConfigFlags(out))
    }

    fn update_from_arg_matches(
        &mut self,
        m: &clap::ArgMatches,
    ) -> std::result::Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl ConfigFlags {
    fn into_values(self) -> Vec<(Key, Value)> {
        self.0
    }
}

/// Decide colour from `--color` and `NO_COLOR` before parsing, so clap's own
/// help and errors obey it; returns clap's setting.
fn configure_color() -> clap::ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let when = color_from_argv(std::env::args_os());
    let color = when.resolve(no_color, std::io::stdout().is_terminal());
    crate::style::set_enabled(color);
    dialoguer::console::set_colors_enabled(color);
    dialoguer::console::set_colors_enabled_stderr(
        when.resolve(no_color, std::io::stderr().is_terminal()),
    );
    match (when, no_color) {
        (ColorWhen::Always, _) => clap::ColorChoice::Always,
        (ColorWhen::Never, _) | (ColorWhen::Auto, true) => clap::ColorChoice::Never,
        (ColorWhen::Auto, false) => clap::ColorChoice::Auto,
    }
}

pub(crate) fn run() -> Result<Status> {
    let clap_color = configure_color();
    let cli = match Cli::command()
        .color(clap_color)
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m))
    {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            // clap's own exit codes: 0 for --help/--version, 2 for bad usage.
            std::process::exit(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match cli.command {
        Command::Completions { shell } => crate::shell::completions(Cli::command(), shell),
        Command::Man { command } => crate::shell::man(Cli::command(), command.as_deref()),
        Command::Schema => crate::schema::print(),
        Command::Inspect { path, json } => commands::inspect(&path, json),
        Command::Init {
            path,
            yes,
            dry_run,
            force,
            replace,
            allow_drop,
            flags,
        } => commands::init(
            &path,
            flags.into_values(),
            interaction(yes),
            dry_run,
            force,
            commands::Adoption {
                replace,
                allow_drop,
            },
        ),
        Command::Doctor { path, json } => crate::packages::doctor(&path, json),
        Command::Plan { path, json } => crate::packages::plan(&path, json),
        Command::Generate {
            path,
            check,
            dry_run,
            force,
        } => crate::packages::generate(&path, commands::Mode::from_flags(check, dry_run, force)),
        // ---- release day: bump and release ----
        Command::Bump {
            version,
            path,
            dry_run,
            allow_downgrade,
            from_file,
        } => commands::bump(
            &path,
            &crate::bump::Request {
                target: crate::bump::Target::parse(&version),
                allow_downgrade,
                from_file: from_file.as_deref(),
            },
            dry_run,
        ),
        Command::Release {
            version,
            path,
            push,
            dry_run,
            fetch,
            allow_downgrade,
            from_file,
            message,
        } => {
            let (version, path) = crate::release::positionals(version, path);
            commands::release(
                &path,
                &crate::release::Options {
                    version,
                    push,
                    dry_run,
                    fetch,
                    allow_downgrade,
                    from_file,
                    message,
                },
            )
        }
    }
}

/// Prompt only with a person at both ends: stdin to answer, stderr to see.
fn interaction(yes: bool) -> Interaction {
    if !yes && std::io::stdin().is_terminal() && std::io::stderr().is_terminal() {
        Interaction::Terminal
    } else {
        Interaction::None
    }
}

/// The last `--color WHEN`/`--color=WHEN` before `--`; clap checks the value.
fn color_from_argv(args: impl Iterator<Item = std::ffi::OsString>) -> ColorWhen {
    let args: Vec<String> = args
        .map(|a| a.to_string_lossy().into_owned())
        .take_while(|a| a != "--")
        .collect();
    let mut when = ColorWhen::Auto;
    for (i, a) in args.iter().enumerate() {
        let value = match a.strip_prefix("--color") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(v) => v.strip_prefix('='),
            None => None,
        };
        if let Some(w) = value.and_then(|v| clap::ValueEnum::from_str(v, true).ok()) {
            when = w;
        }
    }
    when
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// Every `[tool.pyrel]` key is also a flag of `init`, and every flag
    /// reaches the answers under its key.
    #[test]
    fn every_question_has_a_flag_that_arrives() {
        let mut cli = Cli::command();
        // Subcommands are deferred: their arguments exist once built.
        cli.build();
        let init = cli.find_subcommand("init").unwrap();
        for q in crate::answers::questions::QUESTIONS {
            assert!(
                init.get_arguments()
                    .any(|a| a.get_long() == Some(q.key.as_str())),
                "no --{} flag",
                q.key
            );
            let value = match q.kind {
                crate::answers::questions::Kind::Bool => None,
                crate::answers::questions::Kind::Platforms => Some("linux-x86_64"),
                crate::answers::questions::Kind::List => Some("src/**"),
                crate::answers::questions::Kind::Choice(options) => Some(options[0]),
                crate::answers::questions::Kind::Text => Some("x"),
            };
            let flag = format!("--{}", q.key);
            let mut argv = vec!["pyrel", "init", flag.as_str()];
            argv.extend(value);
            let Command::Init { flags, .. } = Cli::try_parse_from(&argv).unwrap().command else {
                unreachable!()
            };
            let values = flags.into_values();
            assert!(
                values.iter().any(|(k, _)| *k == q.key),
                "--{} is dropped",
                q.key
            );
            if value.is_none() {
                let no = format!("--no-{}", q.key);
                let parsed = Cli::try_parse_from(["pyrel", "init", no.as_str()]).unwrap();
                let Command::Init { flags, .. } = parsed.command else {
                    unreachable!()
                };
                assert!(
                    flags.into_values().contains(&(q.key, Value::Bool(false))),
                    "{no}"
                );
            }
        }
    }
}
