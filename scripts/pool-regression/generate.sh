#!/usr/bin/env bash
# Regenerates tests/Domain.Tests/Pooling/Regression/pool2d-722eb1e.jsonl: seeded random 2-D pooling calls (every mode,
# forward and backward, float32 and float64) answered by the Domain of commit 722eb1e, the service before the N-d
# pooling refactor. The Domain is taken from git (git archive), so the answers are the old code's whatever the
# working tree holds. Usage: scripts/pool-regression/generate.sh [COMMIT]
set -euo pipefail
cd "$(dirname "$0")/../.."
commit=${1:-722eb1e}
out=tests/Domain.Tests/Pooling/Regression/pool2d-$commit.jsonl
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT

git archive "$commit" src/Domain Directory.Build.props Directory.Packages.props global.json .editorconfig | tar -x -C "$tree"
mkdir -p "$tree/generator"
cp scripts/pool-regression/PoolRegression.csproj scripts/pool-regression/Program.cs "$tree/generator/"
mkdir -p "$(dirname "$out")"
dotnet run -c Release --project "$tree/generator" -- "$commit" >"$out"
echo "$(wc -l <"$out") cases, $(du -h "$out" | cut -f1) in $out"
