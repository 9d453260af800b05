-- The timers module: setTimeout, setInterval, setImmediate and their
-- clear* functions (bindings/ltimers.c), as Node's 'timers'.
local _, core = ...
return core.timers
