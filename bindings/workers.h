/* luanet --workers N: the parent that runs N processes of one command
 * line and keeps them running, and what a worker does differently. */
#ifndef LNB_WORKERS_H
#define LNB_WORKERS_H

#include "luanet.h"

/* The most workers --workers and LUANET_WORKERS take. */
#define LNB_WORKERS_MAX 1024

/* How many workers to run: option (the argument of --workers, or NULL
 * when not given), else LUANET_WORKERS (ignored when empty, or when
 * single is true). single: the command runs the REPL or a script read
 * from standard input, which no second process can share. Returns 0 for
 * none, or -1 after printing why the number is wrong. */
int lnb_workers_count(const char *option, int single);

/* The parent: runs N (>= 1) workers, each the host itself (uv_exepath) on
 * the same argv (argc strings), marked by LUANET_WORKER in its
 * environment. Worker 0 starts first; the others once its script has run
 * (lnb_worker_up). A worker that dies (an exit status other than 0, or a
 * signal) is restarted, after a back-off when it lived less than 10 s;
 * one that exits 0 is not. If worker 0 ends before its script has run,
 * no other is started (a script's error is printed once). The first
 * SIGINT or SIGTERM is passed on to every worker and nothing is
 * restarted any more; a second one kills them (SIGKILL). Prints one
 * warning when /proc/sys/net/ipv4/tcp_migrate_req is 0. Returns when no
 * worker is left: 0 if each ended with status 0, else the first other
 * status as a shell reports it (the code, or 128 + the signal's number);
 * 1 if the first worker could not be started at all. */
int lnb_workers_main(int n, int argc, char **argv);

/* In a process the parent started: takes LUANET_WORKER (and
 * LUANET_WORKERS) out of the environment, so that a luanet the script
 * starts is no worker, and asks for SIGTERM when the parent dies. Returns
 * 1 with *id (0 to n - 1) and *n set in a worker, else 0. */
int lnb_worker_take(int *id, int *n);

/* In a worker, after lnb_worker_take and once process is installed: adds
 * core.stopAccepting and core.acceptPending to the table lua/ modules get
 * and calls process._workerStart(id, n) (lua/process.lua). Raises what
 * that raises. */
void lnb_worker_open(lua_State *L, lnb_t *b, int id, int n);

/* In a worker whose script has run (its main chunk returned or waits):
 * tells the parent. Does nothing the second time, or in no worker. */
void lnb_worker_up(void);

#endif
