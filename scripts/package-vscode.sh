#!/usr/bin/env bash
# Build the VS Code extension (editors/vscode) into target/perfspec-vscode.vsix, after
# checking its TextMate grammar with the engine VS Code uses. Needs node ≥ 20 and npm (the
# npm registry); node_modules stays out of git. For CI:
#   bash scripts/package-vscode.sh
set -euo pipefail
cd "$(dirname "$0")/../editors/vscode"

npm ci --no-audit --no-fund --loglevel=error
npm run --silent test-grammar
npx --no-install vsce package --skip-license --out ../../target/perfspec-vscode.vsix

# The package holds the client, its runtime dependency and the static language files.
listing=$(python3 - <<'PY'
import zipfile
print("\n".join(zipfile.ZipFile("../../target/perfspec-vscode.vsix").namelist()))
PY
)
for f in extension/package.json extension/extension.js extension/language-configuration.json \
  extension/syntaxes/perfspec.tmLanguage.json extension/node_modules/vscode-languageclient/package.json; do
  grep -qx "$f" <<<"$listing" || { echo "package-vscode: $f missing from the .vsix" >&2; exit 1; }
done
if grep -q "extension/node_modules/@vscode/vsce/" <<<"$listing"; then
  echo "package-vscode: build tools were packaged" >&2
  exit 1
fi
echo "package-vscode: target/perfspec-vscode.vsix ($(wc -c < ../../target/perfspec-vscode.vsix) bytes)"
