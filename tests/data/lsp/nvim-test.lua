-- Headless Neovim for tests/lsp/neovim.rs: loads the shipped editors/neovim config, waits
-- for the opened buffer's diagnostics and writes them as "CODE LINE" lines to $ENVLINT_OUT.
vim.g.dbt_envlint_cmd = os.getenv("ENVLINT_BIN")
dofile(os.getenv("ENVLINT_CONFIG"))

vim.api.nvim_create_autocmd("VimEnter", {
  callback = function()
    vim.wait(20000, function()
      return #vim.diagnostic.get(0) > 0
    end, 50)
    local lines = {}
    for _, d in ipairs(vim.diagnostic.get(0)) do
      local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)
      table.insert(lines, string.format("%s %d", tostring(code), d.lnum + 1))
    end
    vim.fn.writefile(lines, os.getenv("ENVLINT_OUT"))
    vim.cmd("qa!")
  end,
})
