-- Node's own net tests, ported: each spec/node/test-net-*.lua is the Lua
-- of Node 22's test/parallel/test-net-*.js of the same name, a script run
-- by build/luanet as Node runs the JavaScript, passing when it exits with
-- 0 (spec/node/common.lua is Node's test/common). A port that Node's test
-- skips on this machine (no ::1, say) prints TAP's "1..0 # Skipped:" line
-- and shows here as pending. spec/node/README.md lists the tests not
-- ported, with the reason.
local h = require('spec.helpers')

local names = {}
for name in io.popen('ls spec/node'):lines() do
  if name:match('^test%-net%-.*%.lua$') then names[#names + 1] = name end
end
table.sort(names)

describe("Node's test-net-* tests, ported", function()
  it('are found', function()
    assert.is_true(#names > 0)
  end)
  for _, name in ipairs(names) do
    it(name:gsub('%.lua$', ''), function()
      -- Node's test runner gives a test 120 s; the longest port takes 4
      -- (11 under the sanitizers) on a quiet machine
      local out, err, code = h.exec({ 'spec/node/' .. name }, nil, nil, 120)
      local skipped = out:match('1%.%.0 # Skipped: ([^\n]*)')
      if skipped and code == 0 then
        pending(skipped)
        return
      end
      assert(code == 0, name .. ' exited with ' .. tostring(code) ..
        '\nstdout:\n' .. out .. '\nstderr:\n' .. err)
    end)
  end
end)
