-- neovim 0.7 as a second LSP client of dist/server.js (stdio). Run by test/e2e/neovim.test.ts:
--   SH_SERVER=/abs/dist/server.js timeout 60 nvim --headless -u NONE -i NONE -n UNIT \
--     -c 'lua local ok, e = pcall(dofile, "lsp-check.lua") if not ok then ... cquit 1 end' </dev/null
-- Prints one line per check: "CHECK <name> ok|fail <detail>", plus DIAG/HOVER/ACTION lines for the
-- report, then "NVIM-LSP DONE". Exits 0 when every check passed, 1 otherwise. 0.7 has no vim.lsp.start.
local out = function(s) io.stdout:write(s .. '\n') end
local failed = false
local function check(name, ok, detail)
  if not ok then failed = true end
  out(string.format('CHECK %s %s %s', name, ok and 'ok' or 'fail', (detail or ''):gsub('\n', '\\n')))
  return ok
end

local server = assert(os.getenv('SH_SERVER'), 'SH_SERVER is not set')
local WEAK = os.getenv('SH_WEAK_LINE') or 'ProtectProc=noaccess'
local FIXED = os.getenv('SH_FIXED_LINE') or 'ProtectProc=invisible'
local HOVER_ON = os.getenv('SH_HOVER_DIRECTIVE') or 'ExecStart'
local PREDICTION = '→ %d+%.%d$'

local bufnr = vim.api.nvim_get_current_buf()
local fname = vim.api.nvim_buf_get_name(bufnr)
local uri = vim.uri_from_bufnr(bufnr)
vim.bo[bufnr].filetype = 'systemd'

local function line_of(text)
  for i, l in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if l == text or l:sub(1, #text) == text then return i - 1 end
  end
  return nil
end

local client_id = vim.lsp.start_client({
  name = 'systemd-hardening',
  cmd = { 'node', server, '--stdio' },
  root_dir = vim.fn.fnamemodify(fname, ':h'),
})
check('start', client_id ~= nil, 'vim.lsp.start_client')
vim.lsp.buf_attach_client(bufnr, client_id)

-- 1. Diagnostics.
local got = vim.wait(20000, function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
local diags = vim.diagnostic.get(bufnr)
for i, d in ipairs(diags) do
  if i <= 5 then out(string.format('DIAG line=%d col=%d severity=%d msg=%s', d.lnum, d.col, d.severity, d.message)) end
end
check('diagnostics', got, #diags .. ' diagnostics')
local sandbox = 0
for _, d in ipairs(diags) do if d.message:find(PREDICTION) then sandbox = sandbox + 1 end end
check('sandbox-diagnostic', sandbox > 0, sandbox .. ' diagnostics end in → X.Y')
-- One exposure summary on [Service], with what the recommended drop-in reaches once worked out.
local summary = nil
vim.wait(20000, function()
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.message:find('^nginx%.service: exposure %d+%.%d [A-Z]+ in the file, %d+%.%d [A-Z]+ once running; the recommended drop%-in') then summary = d end
  end
  return summary ~= nil
end, 50)
if summary then out('SUMMARY line=' .. summary.lnum .. ' severity=' .. summary.severity .. ' msg=' .. summary.message) end
check('summary', summary ~= nil and summary.lnum == line_of('[Service]') and summary.severity == vim.diagnostic.severity.INFO, summary and summary.message or 'no summary diagnostic')

-- 2. Hover on a directive.
local hline = line_of(HOVER_ON .. '=')
local hover_text = ''
if hline then
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', {
    textDocument = { uri = uri }, position = { line = hline, character = 2 },
  }, 10000)
  for _, r in pairs(res or {}) do
    local c = r.result and r.result.contents
    if type(c) == 'string' then hover_text = hover_text .. c
    elseif type(c) == 'table' and c.value then hover_text = hover_text .. c.value
    elseif type(c) == 'table' then
      for _, x in ipairs(c) do hover_text = hover_text .. (type(x) == 'string' and x or (x.value or '')) .. '\n' end
    end
  end
end
out('HOVER ' .. hover_text:gsub('\n', '\\n'))
check('hover', hover_text ~= '', 'hover on ' .. HOVER_ON)

-- 3. Code action on the sandbox diagnostic of the weak line, applied.
local wline = line_of(WEAK)
local target
for _, d in ipairs(vim.diagnostic.get(bufnr)) do
  if wline and d.lnum == wline and d.message:find(PREDICTION) then target = d end
end
check('weak-line-diagnostic', target ~= nil, 'a sandbox diagnostic on ' .. WEAK)
local action
if target then
  -- 0.7 keeps only code and data of the LSP diagnostic in user_data.lsp: rebuild the rest.
  local lsp = (target.user_data and target.user_data.lsp) or {}
  local range = {
    start = { line = target.lnum, character = target.col },
    ['end'] = { line = target.end_lnum or target.lnum, character = target.end_col or target.col },
  }
  local diagnostic = {
    range = range, severity = target.severity, message = target.message,
    source = target.source, code = lsp.code, data = lsp.data,
  }
  local res = vim.lsp.buf_request_sync(bufnr, 'textDocument/codeAction', {
    textDocument = { uri = uri }, range = range, context = { diagnostics = { diagnostic } },
  }, 10000)
  local actions = {}
  for _, r in pairs(res or {}) do for _, a in ipairs(r.result or {}) do table.insert(actions, a) end end
  -- The diagnostic's own fix, with an edit, naming the diagnostic. Outside the safe set (ProtectProc=) it
  -- is not preferred and its title says what it may break.
  for _, a in ipairs(actions) do
    out('ACTION ' .. a.title .. (a.isPreferred and ' (preferred)' or ''))
    local mine = false
    for _, x in ipairs(a.diagnostics or {}) do
      if x.message == target.message then mine = true end
    end
    if a.edit and mine and not action then action = a end
  end
  check('own-action', action ~= nil, #actions .. ' actions')
  check('risk-title', action ~= nil and ((action.isPreferred == true) ~= (action.title:find('may break the service: ', 1, true) ~= nil)), action and action.title or '')
end
if action then
  local code = target.user_data and target.user_data.lsp and target.user_data.lsp.code
  vim.lsp.util.apply_workspace_edit(action.edit, 'utf-16')
  local fixed = line_of(FIXED)
  out('EDITED LINE ' .. (fixed and vim.api.nvim_buf_get_lines(bufnr, fixed, fixed + 1, false)[1] or '(none)'))
  check('edit-applied', fixed ~= nil, action.title)
  -- 4. The server answers the change: the diagnostic goes.
  local gone = vim.wait(20000, function()
    for _, d in ipairs(vim.diagnostic.get(bufnr)) do
      local c = d.user_data and d.user_data.lsp and d.user_data.lsp.code
      if d.lnum == wline and d.message:find(PREDICTION) and (code == nil or c == code) then return false end
    end
    return true
  end, 50)
  check('diagnostic-gone', gone, 'after the edit')
end

vim.lsp.stop_client(client_id, true)
out('NVIM-LSP DONE')
if failed then vim.cmd('cquit 1') else vim.cmd('qall!') end
