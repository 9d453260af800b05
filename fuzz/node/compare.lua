-- luanet's side of fuzz/node/run: for each line of numbers.txt, what
-- util.format's %d, %i, %f and %j make of it, and whether a port of that
-- string is valid (errors.validatePort, as listen() and connect() call it).
local util, errors = require('util'), require('errors')
local dir = process.argv[2]:match('^(.*)/[^/]*$') or '.'
for s in io.lines(dir .. '/numbers.txt') do
  local ok, port = pcall(errors.validatePort, s)
  print(('%s | %s | port %s'):format(util.format('%j', s),
    util.format('%d %i %f', s, s, s), ok and tostring(port) or port.code))
end
