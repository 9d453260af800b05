/* Fuzz target: lua/util.lua's util.inspect (console.log, the REPL's
 * answers, the uncaught-error printer) on tables made from the input.
 *
 * Input: byte 0 picks the depth option (none, 0, 1, 2, 4, math.huge), the
 * rest makes up to 8 values (fz_generator: nested tables, cycles, strings
 * with any bytes, NaN, -0, functions, error tables, classes). Checked:
 *  - inspect never raises and always returns a string;
 *  - it never shows a table's address for a table without a metatable;
 *  - for plain data (no cycles, functions, metatables, tables as keys,
 *    arrays of at most 100), what it writes at depth math.huge is Lua
 *    source that loads back to an equal value (numbers to the 14 digits
 *    that tostring writes), unless it nests deeper than Lua's parser
 *    reads (LUAI_MAXCCALLS, 200 levels: "C stack overflow"). */
#include "harness.h"

static const char code[] =
    "return function(gen, data)\n"
    "  local util = require('util')\n"
    "  local format, mtype = string.format, math.type\n"
    "  local function rethrowLimit(err)\n"
    "    if fuzzIsLimit(err) then error(err, 0) end\n"
    "  end\n"
    "  -- Numbers as tostring writes them: 14 digits, so that a float key\n"
    "  -- may read back as an integer one (2455450521569499.5 is written\n"
    "  -- 2.4554505215695e+15, and a float key with an integral value is\n"
    "  -- an integer key).\n"
    "  local function key(k)\n"
    "    if mtype(k) then return 'n' .. format('%.14g', k) end\n"
    "    return k\n"
    "  end\n"
    "  local function same(a, b)\n"
    "    if type(a) ~= type(b) then return false end\n"
    "    if type(a) == 'number' then\n"
    "      if a ~= a then return b ~= b end\n"
    "      if a == math.mininteger and b == -2.0 ^ 63 and\n"
    "          fuzzAllowed('inspect-mininteger') then\n"
    "        return true\n"
    "      end\n"
    "      if mtype(a) ~= mtype(b) then return false end\n"
    "      if mtype(a) == 'integer' then return a == b end\n"
    "      return format('%.14g', a) == format('%.14g', b)\n"
    "    end\n"
    "    if type(a) ~= 'table' then return a == b end\n"
    "    local keys, n = {}, 0\n"
    "    for k, v in pairs(b) do\n"
    "      if keys[key(k)] ~= nil then return true end -- 14 digits: one key\n"
    "      keys[key(k)] = v\n"
    "      n = n + 1\n"
    "    end\n"
    "    for k, v in pairs(a) do\n"
    "      local w = keys[key(k)]\n"
    "      if w == nil or not same(v, w) then return false end\n"
    "      n = n - 1\n"
    "    end\n"
    "    return n == 0\n"
    "  end\n"
    "  -- How deep tables nest in v (plain data: no cycles).\n"
    "  local function nesting(v)\n"
    "    if type(v) ~= 'table' then return 0 end\n"
    "    local most = 0\n"
    "    for k, x in pairs(v) do\n"
    "      most = math.max(most, nesting(k), nesting(x))\n"
    "    end\n"
    "    return most + 1\n"
    "  end\n"
    "  local depths = { false, 0, 1, 2, 4, math.huge }\n"
    "  local depth = depths[(data:byte(1) or 0) % #depths + 1]\n"
    "  local values, plain = gen(data:sub(2))\n"
    "  for i = 1, values.n do\n"
    "    local v = values[i]\n"
    "    local options = depth and { depth = depth } or nil\n"
    "    local ok, s = pcall(util.inspect, v, options)\n"
    "    if not ok then\n"
    "      rethrowLimit(s)\n"
    "      error('inspect raised: ' .. tostring(s), 0)\n"
    "    end\n"
    "    assert(type(s) == 'string', 'inspect returned a ' .. type(s))\n"
    "    if plain then\n"
    "      assert(not s:find('table: 0x'), 'an address: ' .. s)\n"
    "      s = util.inspect(v, { depth = math.huge })\n"
    "      local f, err = load('return ' .. s, '=inspected', 't',\n"
    "        { math = math })\n"
    "      if not f and nesting(v) > 150 and\n"
    "          err:find('C stack overflow', 1, true) then\n"
    "        f = function() return v end -- deeper than Lua reads\n"
    "      end\n"
    "      if not f then\n"
    "        error('inspect wrote what Lua cannot read: ' .. err .. '\\n' ..\n"
    "          s, 0)\n"
    "      end\n"
    "      local back = f()\n"
    "      if not same(v, back) then\n"
    "        error('inspect wrote another value:\\n' .. s .. '\\nreads as\\n'\n"
    "          .. util.inspect(back, { depth = math.huge }), 0)\n"
    "      end\n"
    "    end\n"
    "  end\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_check_values("=inspect", code, data, size);
  return 0;
}
