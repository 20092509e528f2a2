# Immutable releases lock a release once it is published, so the
# distributions go to a draft first and the draft is then published.
# Never `upload --clobber` onto a published release.
set -euo pipefail
if draft=$(gh release view "$TAG" --repo "$GITHUB_REPOSITORY" --json isDraft --jq .isDraft 2>/dev/null); then
  if [ "$draft" != "true" ]; then
    echo "::error::the release $TAG is already published, and a published release's assets cannot change (immutable releases): attach missing distributions by hand, or delete the release and re-run this job"
    exit 1
  fi
  # A draft left by an earlier attempt of this run: replace its assets.
  gh release upload "$TAG" dist/* --repo "$GITHUB_REPOSITORY" --clobber
else
  gh release create "$TAG" dist/* --repo "$GITHUB_REPOSITORY" --verify-tag --generate-notes --draft
fi
gh release edit "$TAG" --repo "$GITHUB_REPOSITORY" --draft=false
set -- dist/*
echo "Published the release $TAG with $# distributions."
