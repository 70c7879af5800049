#!/usr/bin/env bash
# The GitHub Action's step (action.yml): reviews the pull request's migrations against its
# base branch, prints workflow annotations, and keeps ONE comment on the pull request up to
# date (found by the marker line `<!-- alembic-planner review -->`, then edited in place).
# Exits with the review's status: 1 when the PR should not be merged as it is.
#
# Environment: ALEMBIC_PLANNER (the command, default `alembic-planner`), REVIEW_BASE (a git
# revision, default origin/$GITHUB_BASE_REF), REVIEW_VERSIONS (the versions folder; default:
# from ./alembic.ini), REVIEW_DIALECT (default postgresql), REVIEW_COMMENT (`true`/`false`),
# GITHUB_REPOSITORY and PR_NUMBER (where to comment), and `gh` authenticated by GH_TOKEN.
set -euo pipefail

planner=${ALEMBIC_PLANNER:-alembic-planner}
base=${REVIEW_BASE:-origin/${GITHUB_BASE_REF:-main}}
args=(--dialect "${REVIEW_DIALECT:-postgresql}")
if [ -n "${REVIEW_VERSIONS:-}" ]; then
    args+=(--versions "$REVIEW_VERSIONS")
fi

status=0
"$planner" "${args[@]}" review --base "$base" --format github || true
body=$("$planner" "${args[@]}" review --base "$base" --format markdown) || status=$?
if [ "$status" -gt 1 ]; then
    echo "alembic-planner review failed (status $status)" >&2
    exit "$status"
fi
printf '%s\n' "$body" >> "${GITHUB_STEP_SUMMARY:-/dev/null}"

if [ "${REVIEW_COMMENT:-true}" = "true" ] && [ -n "${PR_NUMBER:-}" ]; then
    marker='<!-- alembic-planner review -->'
    existing=$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
        --jq ".[] | select(.body | startswith(\"$marker\")) | .id" | head -n 1)
    if [ -n "$existing" ]; then
        gh api --method PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$existing" \
            -f body="$body" > /dev/null
        echo "updated the review comment $existing"
    else
        gh api --method POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
            -f body="$body" > /dev/null
        echo "posted the review comment"
    fi
fi
exit "$status"
