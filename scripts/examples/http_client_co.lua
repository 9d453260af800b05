-- An HTTP/1.1 client as sequential code: GETs a URL and writes the body to
-- standard output; with -i, the status line and the headers first (as
-- `curl -i`, without the \r). Reads the status line, the headers up to the
-- empty line, then the body: Content-Length bytes, or chunked, or up to
-- the end of the stream. Exits 1 for a status other than 2xx or a failure.
--
--   build/luanet scripts/examples/http_client_co.lua [-i] http://HOST:PORT/PATH
--
-- Each wait is bounded: 5 s for the connection and for every read.
local net = require('net')

local args = { table.unpack(process.argv, 3) }
local showHeaders = args[1] == '-i'
if showHeaders then table.remove(args, 1) end
local url = args[1] or ''
local host, port, path = url:match('^http://%[([^%]]+)%]:?(%d*)(/?.*)$')
if not host then -- not [IPv6]
  host, port, path = url:match('^http://([^/:]+):?(%d*)(/?.*)$')
end
if not host then
  console.error('usage: luanet http_client_co.lua [-i] http://HOST[:PORT]/PATH')
  process.exit(2)
end
port = tonumber(port) or 80
if path == '' then path = '/' end

local OPTS = { timeout = 5000 }

-- Gives up with the error of a read, or on a stream that ended too soon.
local function fail(err)
  console.error('http_client_co: ' .. (err and err.message or
    'the server closed the connection in the middle of the response'))
  process.exit(1)
end

-- A line of the head ('' for the empty line that ends it).
local function line(socket)
  local s, err = socket:read('l', OPTS)
  if s == nil then fail(err) end
  return s
end

-- Copies n bytes of the body to standard output, 64 KiB at a time (a
-- read of n bytes buffers them all first).
local function copy(socket, n)
  while n > 0 do
    local s, err = socket:read(math.min(n, 65536), OPTS)
    if s == nil then fail(err) end
    process.stdout:write(s)
    n = n - #s
  end
end

local socket <close> = net.connect(port, host)
local ok, err = socket:wait('connect', OPTS)
if not ok then fail(err) end
socket:write('GET ' .. path .. ' HTTP/1.1\r\nHost: ' ..
  (host:find(':') and '[' .. host .. ']' or host) .. ':' .. port ..
  '\r\nConnection: close\r\n\r\n')

local status = line(socket)
local code = tonumber(status:match('^HTTP/%d%.%d (%d%d%d)'))
if not code then fail({ message = 'not an HTTP response: ' .. status }) end
local headers = {} -- by lower-case name
local head = { status }
while true do
  local h = line(socket)
  if h == '' then break end
  head[#head + 1] = h
  local name, value = h:match('^([^:]+):%s*(.-)%s*$')
  if name then headers[name:lower()] = value end
end
if showHeaders then
  process.stdout:write(table.concat(head, '\n') .. '\n\n')
end

local length = tonumber(headers['content-length'])
if (headers['transfer-encoding'] or ''):lower():find('chunked') then
  while true do -- each chunk: its size in hex, its bytes, \r\n; 0 ends
    local size = tonumber(line(socket):match('^%x+'), 16)
    if size == nil then fail({ message = 'bad chunk size' }) end
    if size == 0 then break end
    copy(socket, size)
    line(socket)
  end
elseif length then
  copy(socket, length)
else
  local body, failure = socket:read('a', OPTS)
  if failure then fail(failure) end
  process.stdout:write(body or '')
end
if code < 200 or code > 299 then process.exitCode = 1 end
