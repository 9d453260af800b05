---@meta assert
-- LuaCATS declarations for lua-language-server: require('assert') (docs/util-console-assert.md).
-- Types only: nothing here runs. Installed as share/luanet/types/luanet/.

---Node's assert: each failure raises an AssertionError table (code
---'ERR_ASSERTION', actual, expected, operator, generatedMessage).
---assert(value[, message]) is assert.ok.
---@class assert
---@overload fun(value: any, message?: string|table)
local assert = {}

---Raises unless value is truthy.
---@param value any
---@param message? string|table
function assert.ok(value, message) end

---Node's loose ==.
---@param actual any
---@param expected any
---@param message? string|table
function assert.equal(actual, expected, message) end

---@param actual any
---@param expected any
---@param message? string|table
function assert.notEqual(actual, expected, message) end

---Node's Object.is.
---@param actual any
---@param expected any
---@param message? string|table
function assert.strictEqual(actual, expected, message) end

---@param actual any
---@param expected any
---@param message? string|table
function assert.notStrictEqual(actual, expected, message) end

---Tables: the same keys, deep-strictly equal values, the same metatable.
---@param actual any
---@param expected any
---@param message? string|table
function assert.deepStrictEqual(actual, expected, message) end

---@param actual any
---@param expected any
---@param message? string|table
function assert.notDeepStrictEqual(actual, expected, message) end

---deepStrictEqual with equal at the leaves, metatables ignored.
---@param actual any
---@param expected any
---@param message? string|table
function assert.deepEqual(actual, expected, message) end

---@param actual any
---@param expected any
---@param message? string|table
function assert.notDeepEqual(actual, expected, message) end

---Raises an AssertionError ('Failed' when no message).
---@param message? string|table
function assert.fail(message) end

---Raises unless value is nil.
---@param value any
function assert.ifError(value) end

---Raises unless fn raises an error matching expected: a table of fields,
---a validator function, or a Lua pattern.
---@param fn fun()
---@param expected? table|fun(err: any): boolean|string
---@param message? string|table
function assert.throws(fn, expected, message) end

---Raises "Got unwanted exception." when fn raises (matching expected).
---@param fn fun()
---@param expected? fun(err: any): boolean|string
---@param message? string|table
function assert.doesNotThrow(fn, expected, message) end

---Raises unless str matches the Lua pattern (Node's RegExp).
---@param str string
---@param pattern string
---@param message? string|table
function assert.match(str, pattern, message) end

---Raises when str matches the Lua pattern.
---@param str string
---@param pattern string
---@param message? string|table
function assert.doesNotMatch(str, pattern, message) end

return assert
