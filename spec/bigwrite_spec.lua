-- One write larger than 4 GiB: every byte arrives, in order, and the
-- callback and bytesWritten say so. (The length once went through an
-- unsigned int: 2^32 + 100 bytes delivered 100 and called back with
-- success.) It needs a 4 GiB string, so it takes a while and ~5 GiB.
local h = require('spec.helpers')
local t = require('luanet.test')
local net = h.net


-- A string of 2^32 + 100 bytes: 'x' then 100 'y', made with one
-- concatenation of 128 blocks of 32 MiB (one allocation of the result).
local function hugeString()
  local names = {}
  for i = 1, 128 do names[i] = 'a' end
  local concat = assert(load('local a, t = ...; return ' ..
    table.concat(names, '..') .. '..t'))
  return concat(string.rep('x', 2 ^ 25), string.rep('y', 100))
end

-- A peer that counts what it reads and finds the first 'y' (python3: a
-- Lua reader would make 4 GiB of strings for the collector).
local PEER = [[
import socket, sys
l = socket.socket()
l.bind(('127.0.0.1', 0))
l.listen(1)
print(l.getsockname()[1], flush=True)
c, _ = l.accept()
got, first = 0, None
while True:
    b = c.recv(1 << 20)
    if not b:
        break
    if first is None:
        i = b.find(b'y')
        if i >= 0:
            first = got + i + 1
    got += len(b)
print(got, first, flush=True)
]]

describe('a write of more than 4 GiB', function()
  t.it('delivers every byte in order and calls back with success', function()
    local N = 2 ^ 32 + 100
    local script = h.script(PEER)
    local peer = assert(io.popen('env -u LD_PRELOAD timeout 600 python3 ' ..
      script))
    local port = assert(tonumber(peer:read('l')))
    local client = net.connect(port, '127.0.0.1')
    local data = hugeString()
    assert.equal(N, #data)
    client:write(data, t.mustCall(function(err)
      assert.is_nil(err)
      assert.equal(N, client.bytesWritten)
    end))
    data = nil -- luacheck: ignore 311 (held by the write only, then freed)
    client:end_()
    client:on('close', t.mustCall(function() -- the peer read the end
      local got, firstY = peer:read('n', 'n')
      peer:close()
      os.remove(script)
      assert.equal(N, got)
      assert.equal(N - 99, firstY)
    end))
  end, { timeout = 600000 })
end)
