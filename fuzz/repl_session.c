/* Fuzz target: lua/repl.lua, a REPL session over a stream (the README's
 * repl.start({ input = socket, output = socket })): its line assembly
 * from 'data' chunks, its commands (.editor, .load, .break, .exit), its
 * chunk handling (unfinished chunks, top-level locals) and the evaluation
 * of what a peer types, in a sandbox (harness.c: fz_sandbox).
 *
 * Input: byte 0 seeds where the rest is cut into 'data' chunks
 * (fuzzPieces, as fz_cut cuts; 0: one chunk); the rest is what the peer
 * sends, then 'end'. Checked:
 *  - emitting 'data' and 'end' (inside the loop, as a socket does) never
 *    raises (a session must not throw
 *    into the socket's listener whatever the peer sends);
 *  - the session sees exactly the lines of the input, in order, each
 *    without its "\n" and one "\r" before it, however the chunks were
 *    cut, up to a line that closes it (.exit); editor mode's Ctrl-D line
 *    ends editor mode instead. */
#include "harness.h"

static const char code[] =
    "return function(data)\n"
    "  local repl, EventEmitter = require('repl'), require('events')\n"
    "  local checkLines = fuzzCheckLines\n"
    "  local text, pieces = fuzzPieces(data)\n"
    "  local expect = {}\n"
    "  for line in text:gmatch('([^\\n]*)\\n') do\n"
    "    expect[#expect + 1] = line:gsub('\\r$', '')\n"
    "  end\n"
    "  local seen = {}\n"
    "  local input = EventEmitter()\n"
    "  local session = repl.start({ input = input, prompt = '> ',\n"
    "    output = { write = function() return true end } })\n"
    "  local line, finish = session._line, session._finishEditor\n"
    "  function session:_line(l)\n"
    "    seen[#seen + 1] = l\n"
    "    return line(self, l)\n"
    "  end\n"
    "  function session:_finishEditor()\n"
    "    seen[#seen + 1] = '\\4'\n"
    "    return finish(self)\n"
    "  end\n"
    "  -- What a peer sends arrives while the loop runs, as from a socket\n"
    "  -- (so a typed luanet.run() is refused as in a real session); then\n"
    "  -- everything the typed code started is closed.\n"
    "  local problem\n"
    "  setImmediate(function()\n"
    "    local ok, err = pcall(function()\n"
    "      for _, p in ipairs(pieces) do input:emit('data', p) end\n"
    "      local closed = session.closed\n"
    "      input:emit('end')\n"
    "      checkLines(seen, expect, closed)\n"
    "    end)\n"
    "    if not ok then problem = err end\n"
    "    luanet._closeAll()\n"
    "  end)\n"
    "  return function()\n"
    "    if problem ~= nil then error(problem, 0) end\n"
    "  end\n"
    "end\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  lua_State *L = fz_lua();
  static int ready;
  if (!ready) {
    fz_sandbox(L);
    ready = 1;
  }
  fz_function(L, "=repl_session", code);
  lua_pushlstring(L, (const char *)data, size);
  fz_begin(3000, 64u << 20);
  if (fz_pcall(L, 1, 1) != LUA_OK) {
    if (!fz_is_limit(L))
      FZ_ASSERT(0, "%s", luaL_tolstring(L, -1, NULL));
  } else {
    fz_run_loop(L, 0);
    if (fz_pcall(L, 0, 0) != LUA_OK && !fz_is_limit(L))
      FZ_ASSERT(0, "%s", luaL_tolstring(L, -1, NULL));
  }
  lua_settop(L, 0);
  fz_begin(3000, 64u << 20);
  fz_run_loop(L, 1); /* what the typed code started: closed */
  fz_restore(L);
  return 0;
}
