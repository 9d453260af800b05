/* net.BlockList and net.SocketAddress as Lua userdata (lblocklist.c); their
 * argument checks are in lua/blocklist.lua. */
#ifndef LNB_LBLOCKLIST_H
#define LNB_LBLOCKLIST_H

#include "blocklist.h"
#include "luanet.h"

/* Adds the classes and their primitives to the core table on top of L:
 * BlockList, newBlockList, isBlockList, parseBlockListRule, SocketAddress,
 * newSocketAddress, parseSocketAddress, isSocketAddress. */
void lnb_open_blocklist(lua_State *L, lnb_t *b);

/* The list of the BlockList at idx of L, or NULL when the value there is
 * not a BlockList. Not retained: a server or socket that keeps it calls
 * ln_blocklist_retain, and ln_blocklist_release when it is done. */
ln_blocklist_t *lnb_toblocklist(lua_State *L, int idx);

#endif
