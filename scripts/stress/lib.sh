# Shared by the scripts of scripts/stress (sourced): where luanet is, the
# figures of a process read from /proc, and a server started in the
# background that says its port.
#
#   LUANET_BUILD   the build to test (default build/; the sanitizer build
#                  works too, with larger figures)
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${LUANET_BUILD:-$root/build}
case $build in /*) ;; *) build=$root/$build ;; esac
luanet=$build/luanet
here=$root/scripts/stress
[ -x "$luanet" ] || { echo "build first: cmake --build $build" >&2; exit 2; }
tmp=$(mktemp -d)
# The processes start() began: killed at exit (`jobs -p` cannot be used
# for this: in a command substitution it is a subshell's, and empty).
started=
cleanup() {
  status=$?
  for p in $started; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
  exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
failed=0

# The resident set size of process $1, in KiB.
rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

# How many descriptors process $1 has open.
fds() { ls "/proc/$1/fd" | wc -l; }

# CPU time (user + system) of process $1 so far, in milliseconds.
cpu_ms() {
  awk -v hz="$(getconf CLK_TCK)" '{ print int(($14 + $15) * 1000 / hz) }' \
    "/proc/$1/stat"
}

# start NAME COMMAND...: runs COMMAND in the background with its output in
# $tmp/NAME.out (errors in $tmp/NAME.err), waits until it prints
# "port N", and sets pid and port.
start() {
  name=$1
  shift
  "$@" >"$tmp/$name.out" 2>"$tmp/$name.err" &
  pid=$!
  started="$started $pid"
  tries=0
  until grep -q '^port ' "$tmp/$name.out" 2>/dev/null; do
    tries=$((tries + 1))
    if [ $tries -gt 200 ] || ! kill -0 $pid 2>/dev/null; then
      echo "  $name did not start:" >&2
      sed 's/^/    /' "$tmp/$name.err" >&2
      exit 1
    fi
    sleep 0.05
  done
  port=$(awk '/^port / { print $2; exit }' "$tmp/$name.out")
}

# check CONDITION MESSAGE: counts a failure, with MESSAGE, when the test
# CONDITION (a `[ ... ]` expression as a string) is false.
check() {
  if ! eval "$1"; then
    echo "  FAIL: $2"
    failed=1
  fi
}

# known TAG CONDITION MESSAGE: check, for a finding still open; with TAG
# in STRESS_ALLOW (tag,tag,...) it is reported and does not fail
# (spec/RELIABILITY.md lists the tags).
known() {
  case ,${STRESS_ALLOW:-}, in
    *,$1,*)
      eval "$2" || echo "  known, open ($1): $3" ;;
    *) check "$2" "$3 [$1]" ;;
  esac
}

# alive PID NAME: a failure if the process died (a crash), with its
# standard error.
alive() {
  if ! kill -0 "$1" 2>/dev/null; then
    echo "  FAIL: $2 died"
    sed 's/^/    /' "$tmp/$2.err" 2>/dev/null | tail -n 20
    failed=1
    return 1
  fi
}
