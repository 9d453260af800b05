/* Fuzz target: lua/util.lua's util.format (console.log's first argument,
 * which scripts often take from outside: a log line, a peer's message).
 *
 * Input: byte 0 says whether the format string is given as text (bytes 1
 * up to the first NUL) or made like the arguments; the rest makes up to 8
 * arguments (fz_generator). Checked:
 *  - format never raises (no argument here has a __tostring that raises)
 *    and returns a string;
 *  - one string argument comes back as it is;
 *  - a first argument that is not a string, or a format string without
 *    '%', gives the arguments joined by spaces: strings as they are,
 *    anything else as util.inspect writes it. */
#include "harness.h"

static const char code[] =
    "return function(gen, data)\n"
    "  local util = require('util')\n"
    "  local fmt, rest = nil, data:sub(2)\n"
    "  if (data:byte(1) or 0) % 2 == 1 then\n"
    "    local nul = rest:find('\\0', 1, true) or #rest + 1\n"
    "    fmt, rest = rest:sub(1, nul - 1), rest:sub(nul + 1)\n"
    "  end\n"
    "  local args = gen(rest)\n"
    "  if fmt then\n"
    "    table.insert(args, 1, fmt)\n"
    "    args.n = args.n + 1\n"
    "  end\n"
    "  local ok, out = pcall(util.format, table.unpack(args, 1, args.n))\n"
    "  if not ok then\n"
    "    if fuzzIsLimit(out) then error(out, 0) end\n"
    "    error('util.format raised: ' .. tostring(out), 0)\n"
    "  end\n"
    "  assert(type(out) == 'string', 'util.format returned a ' .. type(out))\n"
    "  local first = args[1]\n"
    "  if args.n == 1 and type(first) == 'string' then\n"
    "    assert(out == first, 'one string changed')\n"
    "  elseif args.n >= 1 and (type(first) ~= 'string' or\n"
    "      not first:find('%', 1, true)) then\n"
    "    local parts = {}\n"
    "    for i = 1, args.n do\n"
    "      local v = args[i]\n"
    "      parts[i] = type(v) == 'string' and v or util.inspect(v)\n"
    "    end\n"
    "    local expect = table.concat(parts, ' ')\n"
    "    if out ~= expect then\n"
    "      error(('util.format gave %q, not %q'):format(out, expect), 0)\n"
    "    end\n"
    "  end\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_check_values("=format", code, data, size);
  return 0;
}
