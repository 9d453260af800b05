-- The writer of the never-reading case: connects to 127.0.0.1:PORT and
-- writes SIZE bytes in 64 KiB chunks, waiting for 'drain' whenever
-- write() returns false (MODE bp), or all at once, ignoring it (nobp);
-- then ends. Samples its own RSS every 20 ms and, once closed, prints
--   rss KIB_BEFORE peak KIB_PEAK end KIB_END
--   writes N callbacks N errors N
--   luanet writer.lua PORT SIZE bp|nobp
local net = require('net')
local port, size, mode = tonumber(process.argv[3]),
  tonumber(process.argv[4]), process.argv[5]
local chunk = string.rep('w', 65536)
local function rss() return process.memoryUsage.rss() // 1024 end
local before, peak = rss(), rss()
local writes, callbacks, errors = 0, 0, 0
local sampler = setInterval(function()
  local r = rss()
  if r > peak then peak = r end
end, 20)

local socket = net.connect(port, '127.0.0.1')
local sent = 0
local function done(err)
  callbacks = callbacks + 1
  if err then errors = errors + 1 end
end
local function pump()
  while sent < size do
    sent = sent + #chunk
    writes = writes + 1
    if not socket:write(chunk, done) and mode == 'bp' then
      return socket:once('drain', pump)
    end
  end
  socket:end_()
end
socket:on('connect', pump)
socket:on('error', function(err) print('error ' .. tostring(err.code)) end)
socket:on('close', function()
  clearInterval(sampler)
  print(('rss %d peak %d end %d'):format(before, peak, rss()))
  print(('writes %d callbacks %d errors %d'):format(writes, callbacks, errors))
end)
