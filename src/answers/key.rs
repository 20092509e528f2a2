//! Every `[tool.pyrel]` key, as a type. The spelling on disk (and of the
//! `init` flag, `--<key>`) is `Key::as_str`; the question table
//! (`questions::QUESTIONS`) says how each is typed, defaulted, asked and
//! helped, and from it come `init`'s flags (`cli::ConfigFlags`), the
//! prompts, the JSON schema (`schema`) and the unknown-key and
//! invalid-value errors (`answers::saved`, `answers::validate`).

/// A `[tool.pyrel]` key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Key {
    Platforms,
    FreeThreaded,
    Pypy,
    Trigger,
    TagPrefix,
    Publish,
    TokenSecret,
    Testpypi,
    TestpypiTokenSecret,
    Environment,
    TestpypiEnvironment,
    Manylinux,
    SmokeTest,
    TestCommand,
    TestRequires,
    /// The repository's test workflow the release waits for
    /// (`inspect::test_workflow`).
    TestWorkflow,
    SmokeDeps,
    GithubRelease,
    PullRequests,
    PullRequestPaths,
    WeeklyBuild,
    Workflow,
    Docs,
    MaturinArgs,
    BeforeScriptLinux,
    Repository,
    Dependabot,
    /// `[tool.pyrel.platform]`: build settings per platform (a table, not a
    /// question; see `settings`).
    Platform,
}

impl Key {
    /// Every key, in no particular order (the question table orders them).
    pub(crate) const ALL: &'static [Key] = &[
        Key::Platforms,
        Key::FreeThreaded,
        Key::Pypy,
        Key::Trigger,
        Key::TagPrefix,
        Key::Publish,
        Key::TokenSecret,
        Key::Testpypi,
        Key::TestpypiTokenSecret,
        Key::Environment,
        Key::TestpypiEnvironment,
        Key::Manylinux,
        Key::SmokeTest,
        Key::TestCommand,
        Key::TestRequires,
        Key::TestWorkflow,
        Key::SmokeDeps,
        Key::GithubRelease,
        Key::PullRequests,
        Key::PullRequestPaths,
        Key::WeeklyBuild,
        Key::Workflow,
        Key::Docs,
        Key::MaturinArgs,
        Key::BeforeScriptLinux,
        Key::Repository,
        Key::Dependabot,
        Key::Platform,
    ];

    /// The key as written in `[tool.pyrel]` (and the flag `--<key>`).
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Key::Platforms => "platforms",
            Key::FreeThreaded => "free-threaded",
            Key::Pypy => "pypy",
            Key::Trigger => "trigger",
            Key::TagPrefix => "tag-prefix",
            Key::Publish => "publish",
            Key::TokenSecret => "token-secret",
            Key::Testpypi => "testpypi",
            Key::TestpypiTokenSecret => "testpypi-token-secret",
            Key::Environment => "environment",
            Key::TestpypiEnvironment => "testpypi-environment",
            Key::Manylinux => "manylinux",
            Key::SmokeTest => "smoke-test",
            Key::TestCommand => "test-command",
            Key::TestRequires => "test-requires",
            Key::TestWorkflow => "test-workflow",
            Key::SmokeDeps => "smoke-deps",
            Key::GithubRelease => "github-release",
            Key::PullRequests => "pull-requests",
            Key::PullRequestPaths => "pull-request-paths",
            Key::WeeklyBuild => "weekly-build",
            Key::Workflow => "workflow",
            Key::Docs => "docs",
            Key::MaturinArgs => "maturin-args",
            Key::BeforeScriptLinux => "before-script-linux",
            Key::Repository => "repository",
            Key::Dependabot => "dependabot",
            Key::Platform => "platform",
        }
    }

    /// The key spelled `s` in `[tool.pyrel]`.
    pub(crate) fn parse(s: &str) -> Option<Key> {
        Key::ALL.iter().copied().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Key;

    #[test]
    fn every_key_is_spelled_once_and_parses_back() {
        let mut seen = std::collections::BTreeSet::new();
        for k in Key::ALL {
            assert!(seen.insert(k.as_str()), "{k} twice");
            assert_eq!(Key::parse(k.as_str()), Some(*k));
        }
        assert_eq!(Key::parse("Platforms"), None);
        assert_eq!(Key::parse("platform_s"), None);
    }

    #[test]
    fn every_key_but_the_platform_table_is_a_question() {
        for k in Key::ALL {
            let asked = super::super::questions::question(*k).is_some();
            assert_eq!(asked, *k != Key::Platform, "{k}");
        }
    }
}
