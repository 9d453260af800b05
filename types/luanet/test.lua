---@meta luanet.test
-- LuaCATS declarations for lua-language-server: require('luanet.test'), the test harness (docs/testing.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---@class luanet.test
local t = {}

---@class luanet.test.Options
---@field timeout? number  ms for the whole test (5000, scaled by platformTimeout)

---busted's it(name, ...): fn(done) runs with the event loop until done()
---(if fn takes it) and nothing is left to do; fails on an error, a missed
---mustCall, a timeout, or anything left open.
---@param name string
---@param fn fun(done: fun(err?: any))
---@param opts? luanet.test.Options
function t.it(name, fn, opts) end

---The same test, at once, outside busted: raises the failure.
---@param fn fun(done: fun(err?: any))
---@param opts? luanet.test.Options
function t.run(fn, opts) end

---A function calling fn that must be called exactly `exact` times (1).
---@generic F: function
---@param fn? F|integer
---@param exact? integer
---@return F
function t.mustCall(fn, exact) end

---A function calling fn that must be called at least `minimum` times (1).
---@generic F: function
---@param fn? F|integer
---@param minimum? integer
---@return F
function t.mustCallAtLeast(fn, minimum) end

---A callback function(err, ...) failing the test on an error, else
---calling fn(...); it must be called exactly `exact` times (1).
---@param fn? function
---@param exact? integer
---@return fun(err?: any, ...: any)
function t.mustSucceed(fn, exact) end

---A function that fails the test if it is ever called.
---@param message? string
---@return function
function t.mustNotCall(message) end

---ms times LUANET_TEST_TIMEOUT_MULTIPLIER.
---@param ms number
---@return number
function t.platformTimeout(ms) end

return t
