#!/usr/bin/env bash
# A real editor client: headless Neovim opens a spec with a typo, receives perfspec lsp's
# diagnostics, applies the quick fix the server offers (nvim sends the change back as an
# incremental didChange) and sees the diagnostics clear; then formats the buffer and stops
# the server (shutdown, exit). Skipped, with a message, when nvim is not installed
# (Debian: apt-get install neovim). For CI: bash scripts/check-nvim.sh
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v nvim >/dev/null 2>&1; then
  echo "check-nvim: SKIPPED — nvim is not installed (apt-get install neovim)"
  exit 0
fi
bin=${PERFSPEC_BIN:-target/debug/perfspec}
if [ -z "${PERFSPEC_BIN:-}" ]; then
  cargo build --quiet --bin perfspec
fi
bin=$(realpath "$bin")

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
spec="$tmp/热线 服务.perf"
cp tests/ui/PS301/fail.perf "$spec"
sed -i 's/^  性质 其他经常性项目$/  性质    其他经常性项目/' "$spec"

cat > "$tmp/check.lua" <<'LUA'
local bin, out = os.getenv('PERFSPEC_BIN'), os.getenv('CHECK_OUT')
local log = {}
local function say(s) table.insert(log, s) end
local function finish(code)
  vim.fn.writefile(log, out)
  vim.cmd(code == 0 and 'qa!' or 'cq!')
end
local function code_of(d)
  return d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or '?'
end
local id = vim.lsp.start_client({
  name = 'perfspec',
  cmd = { bin, 'lsp' },
  root_dir = vim.fn.expand('%:p:h'),
})
vim.lsp.buf_attach_client(0, id)
if not vim.wait(20000, function() return #vim.diagnostic.get(0) > 0 end, 50) then
  say('FAIL no diagnostics'); return finish(1)
end
for _, d in ipairs(vim.diagnostic.get(0)) do
  say(string.format('diagnostic %d:%d %s %s', d.lnum + 1, d.col + 1, code_of(d), (d.message:gsub('\n', ' | '))))
end
local client = vim.lsp.get_client_by_id(id)
local d = vim.diagnostic.get(0)[1]
local params = {
  textDocument = { uri = vim.uri_from_bufnr(0) },
  range = { start = { line = d.lnum, character = 0 }, ['end'] = { line = d.lnum, character = 0 } },
  context = { diagnostics = vim.lsp.diagnostic.get_line_diagnostics(0, d.lnum) },
}
local resp = vim.lsp.buf_request_sync(0, 'textDocument/codeAction', params, 10000)
local action = resp and resp[id] and resp[id].result and resp[id].result[1]
if not action then say('FAIL no code action'); return finish(1) end
say('action ' .. action.title)
vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding or 'utf-16')
if not vim.wait(20000, function() return #vim.diagnostic.get(0) == 0 end, 50) then
  say('FAIL diagnostics did not clear'); return finish(1)
end
say('after fix: line ' .. (d.lnum + 1) .. ' = ' .. vim.api.nvim_buf_get_lines(0, d.lnum, d.lnum + 1, false)[1])
local fmt = vim.lsp.buf_request_sync(0, 'textDocument/formatting',
  { textDocument = { uri = vim.uri_from_bufnr(0) }, options = { tabSize = 2, insertSpaces = true } }, 10000)
local edits = fmt and fmt[id] and fmt[id].result
if not edits or #edits == 0 then say('FAIL no formatting edit'); return finish(1) end
vim.lsp.util.apply_text_edits(edits, 0, client.offset_encoding or 'utf-16')
say('formatted: ' .. vim.api.nvim_buf_get_lines(0, 5, 6, false)[1])
vim.cmd('write')
client.stop()
vim.wait(5000, function() return client.is_stopped() end, 50)
say('stopped ' .. tostring(client.is_stopped()))
finish(0)
LUA

status=0
PERFSPEC_BIN="$bin" CHECK_OUT="$tmp/out.txt" timeout 120 \
  nvim --headless --clean -n -c "luafile $tmp/check.lua" "$spec" || status=$?
cat "$tmp/out.txt" 2>/dev/null || true
[ "$status" -eq 0 ] || { echo "check-nvim: FAILED (nvim exit $status)"; exit 1; }
grep -q '^diagnostic 22:3 PS301 ' "$tmp/out.txt"
grep -q '^action 改为 “数量”' "$tmp/out.txt"
grep -q '^after fix: line 22 =   数量 前端诉件受理' "$tmp/out.txt"
grep -q '^formatted:   性质 其他经常性项目$' "$tmp/out.txt"
grep -q '^stopped true' "$tmp/out.txt"
# The file nvim wrote is what perfspec fmt would write, and checks clean.
"$bin" fmt --check "$spec" >/dev/null
"$bin" check "$spec" 2>/dev/null
echo "check-nvim: ok (nvim $(nvim --version | head -1 | cut -d' ' -f2))"
