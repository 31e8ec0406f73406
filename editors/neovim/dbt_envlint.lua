-- dbt-envlint's language server in Neovim. Load it from your init.lua:
--   dofile("/path/to/dbt-envlint/editors/neovim/dbt_envlint.lua")
-- Neovim 0.11+ gets vim.lsp.config + vim.lsp.enable. Older versions (Debian 12 ships 0.7.2)
-- start one client per project root on FileType and attach each buffer to it.
-- Set vim.g.dbt_envlint_cmd to the binary's path when dbt-envlint is not on PATH.
local cmd = { vim.g.dbt_envlint_cmd or "dbt-envlint", "server" }
-- .env files are `sh` in older versions and `dotenv` in newer ones.
local filetypes = { "yaml", "sql", "jinja", "sh", "dotenv" }

if vim.lsp.config then
  vim.lsp.config("dbt_envlint", {
    cmd = cmd,
    filetypes = filetypes,
    root_markers = { "dbt_project.yml", "envlint.yml", ".git" },
  })
  vim.lsp.enable("dbt_envlint")
  return
end

-- The nearest directory above `file` holding dbt_project.yml, else a .git, else its own.
local function root_of(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  local project = vim.fn.findfile("dbt_project.yml", dir .. ";")
  if project ~= "" then
    return vim.fn.fnamemodify(project, ":p:h")
  end
  local git = vim.fn.finddir(".git", dir .. ";")
  if git ~= "" then
    return vim.fn.fnamemodify(git, ":p:h:h")
  end
  return dir
end

local clients = {}
vim.api.nvim_create_autocmd("FileType", {
  pattern = filetypes,
  callback = function(args)
    local file = vim.api.nvim_buf_get_name(args.buf)
    if file == "" then
      return
    end
    local root = root_of(file)
    if not clients[root] then
      clients[root] = vim.lsp.start_client({ name = "dbt_envlint", cmd = cmd, root_dir = root })
    end
    vim.lsp.buf_attach_client(args.buf, clients[root])
  end,
})
