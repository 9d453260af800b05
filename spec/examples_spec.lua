-- The document's first example (002, 示例), run as a user runs it.
local h = require('spec.helpers')

describe('the TCP example', function()
  it('runs both ends in one process with scripts/demo.lua', function()
    local out, err, code = h.exec({ 'scripts/demo.lua' })
    assert.are.equal('', err)
    assert.are.equal(0, code)
    assert.are.equal(table.concat({
      '{ address = "127.0.0.1", family = "IPv4", port = 8888 }',
      'server send message:  hello client',
      'client send message:  hello server!\r\n',
      'disconnected form server',
      'demo: server closed, bye',
    }, '\n') .. '\n', out)
  end)

  it('runs as two processes: the server, then the client', function()
    local server = h.spawn({ 'scripts/examples/tcp_server.lua' })
    finally(function() server.kill() end)
    local ok = pcall(h.waitFor, function()
      return server.output():find('8888', 1, true) ~= nil
    end, function() end)
    assert.is_true(ok)
    h.run()
    local out, err, code = h.exec({ 'scripts/examples/tcp_client.lua' })
    assert.are.equal(0, code)
    assert.are.equal('', err)
    assert.are.equal('server send message:  hello client\n' ..
      'disconnected form server\n', out)
    server.kill()
    local sout = server.wait()
    assert.are.equal('{ address = "127.0.0.1", family = "IPv4", ' ..
      'port = 8888 }\nclient send message:  hello server!\r\n\n', sout)
  end)
end)
