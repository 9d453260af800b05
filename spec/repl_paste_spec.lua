-- Pasting at the REPL on a real terminal (a tmux pane): long lines, lines
-- of several at once, tabs and text that is not ASCII (issue 8). The
-- REPL asks for the terminal's bracketed paste mode, and takes a marked
-- paste into the line whole; a paste the terminal does not mark arrives
-- as keys.
local terminal = require('spec.terminal')
local withTerminal = terminal.with

local describeTerminal = terminal.available and describe or function(name)
  describe(name, function()
    pending('tmux is not installed, so ' .. name .. ' goes unchecked')
  end)
end

describeTerminal('pasting at the REPL on a terminal', function()
  -- libedit's readline wrapper wrote past a buffer it had moved once a
  -- line passed about 1,000 bytes (valgrind: rl_callback_read_char); a
  -- paste of 6,000 characters or more aborted in malloc. A terminal that
  -- does not mark pastes sends them as keys, which libedit takes one at a
  -- time (1 MiB: about 8 s in tmux), so that case is 64 KiB here.
  it('takes a pasted line of 1 MiB, and of 64 KiB not marked as a paste',
    function()
      -- (the waits are long for a sanitizer build on a busy machine)
      withTerminal(nil, function(t)
        t:paste('x = "' .. ('a'):rep(1 << 20) .. '"\n', true)
        t:waitFor('a"\n>$', false, 60)
        t:line('#x', 30)
        t:waitFor('\n1048576\n>$', false, 30)
        t:paste('y = "' .. ('b'):rep(1 << 16) .. '"', false)
        t:waitFor('b"$', false, 60)
        t:keys('Enter')
        t:waitFor('b"\n>$', false, 30)
        t:line('#y', 30)
        t:waitFor('\n65536\n>$', false, 30)
        t:line('x == ("a"):rep(1 << 20) and y == ("b"):rep(1 << 16)', 30)
        t:waitFor('\ntrue\n>$', false, 30)
      end)
    end)

  it('runs each line of a paste, keeps the last one to edit, and takes ' ..
    'its tabs and non-ASCII text as they are', function()
      withTerminal(nil, function(t)
        t:paste('a = 40\nb = 2\na + b\nlocal s = "pa\tst', true)
        t:waitFor('\n42\n> local s = "pa%s+st$', false, 30)
        t:line('ed é€"', 30)
        t:line('s', 30)
        t:waitFor('\n"pa\\tsted é€"\n>$', false, 30)
        t:line('#"é€"', 30)
        t:waitFor('\n5\n>$', false, 30)
      end)
    end)
end)
