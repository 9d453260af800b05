-- 001 (net---TCP): the runTest client of count_server.lua, which must be
-- running.
-- Run: build/luanet scripts/examples/runtest_client.lua [exceptedId]
--   (1 for the first client)
-- (added: the document's client shares the server's requires)
local net = require('net')
local assert = require('assert')

--使用命令行工具创建一个线程内的客户端连接事件 telnet
--telnet localhost 8000
--或
-- the document's `runTest(exceptedId, done){` is a method outside any class:
-- meant a function
local function runTest(exceptedId, done)
  local client = net.connect(8000, 'localhost')
  -- 获取服务端发送的数据

  client:on('data', function(data) -- the document's `(data){` lacks its `=>`
    -- the document compares data.toString, the method itself, never equal:
    -- meant data.toString()
    assert.equal(tostring(data), exceptedId)
    client:end_()
  end)
  client:on('end', done)
  client:on('close', function()

  end)
end

-- (added: the document never calls runTest; done prints 'done')
runTest(process.argv[3] or 1, function() console.log('done') end)
