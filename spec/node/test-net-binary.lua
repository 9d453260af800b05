-- Node's test-net-binary.js: every byte value survives a round trip
-- through an echo server with latin1 on both sides. (Node's strings are
-- of UTF-16 characters; after setEncoding('latin1') luanet's are UTF-8
-- text, one character a byte: utf8.char(i) stands for
-- String.fromCharCode(i), and lengths are counted with utf8.len. Node
-- builds each character by eval of an octal escape: Lua's decimal escape
-- "\ddd" is the same check.)
local assert = require('node:assert')
local net = require('node:net')

local char, ulen = utf8.char, utf8.len

local binaryString = ''
for i = 255, 0, -1 do
  local S = load("return '\\" .. i .. "'")()
  assert.strictEqual(S:byte(1), i)
  assert.strictEqual(S, string.char(i))
  binaryString = binaryString .. char(i)
end

-- safe constructor
local echoServer = net.Server(function(connection)
  connection:setEncoding('latin1')
  connection:on('data', function(chunk)
    connection:write(chunk, 'latin1')
  end)
  connection:on('end', function()
    connection:end_()
  end)
end)
echoServer:listen(0)

local recv = ''

echoServer:on('listening', function()
  local j = 0
  local c = net.createConnection({
    port = echoServer:address().port,
  })

  c:setEncoding('latin1')
  c:on('data', function(chunk)
    local n = j + ulen(chunk)
    while j < n and j < 256 do
      c:write(char(j), 'latin1')
      j = j + 1
    end
    if j == 256 then
      c:end_()
    end
    recv = recv .. chunk
  end)

  c:on('connect', function()
    c:write(binaryString, 'binary')
  end)

  c:on('close', function()
    echoServer:close()
  end)
end)

process:on('exit', function()
  assert.strictEqual(ulen(recv), 2 * 256)

  local a = {}
  for _, code in utf8.codes(recv) do a[#a + 1] = char(code) end

  local first = {}
  for i = 256, 1, -1 do first[#first + 1] = a[i] end

  local second = table.concat(a, '', 257, 2 * 256)

  assert.strictEqual(table.concat(first), second)
end)
