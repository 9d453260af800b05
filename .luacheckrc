-- luacheck (Debian's lua-check) over lua/, scripts/ and spec/:
--   luacheck lua scripts spec
-- Lua 5.4 everywhere, 80 columns; busted's names in the specs; the
-- globals the luanet host gives a script (docs/host.md) in the scripts it
-- runs and the specs that write such scripts.
std = 'lua54'
max_line_length = 80

-- The globals of a script run by the luanet command. process is an
-- object whose fields a script sets (process.exitCode = 1).
local host = {
  process = { other_fields = true, read_only = false },
  'console', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout',
  'clearInterval', 'clearImmediate',
}

files['scripts'] = { read_globals = host }
files['spec'] = { std = '+busted', read_globals = host }
-- lua/host.lua installs those globals for the host, and routes io.write.
files['lua/host.lua'] = {
  globals = {
    'console', 'process', 'print', 'setTimeout', 'setInterval',
    'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate',
    io = { fields = { write = { read_only = false } } },
  },
}
-- Not Lua of ours: fuzzing inputs, build output.
exclude_files = { 'fuzz/corpus', 'build*' }
