/* Build tool: compiles one module of lua/ to Lua bytecode for embedding,
 * so that luanet does not parse its own Lua at every start. Debug
 * information is kept (tracebacks keep their lines), under the chunk name
 * luanet loads the module by.
 *
 *   luanet_luac SOURCE CHUNKNAME OUTPUT       exit 0, or 1 with a message */
#include <stdio.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lua.h>

static int writer(lua_State *L, const void *p, size_t size, void *out) {
  (void)L;
  return fwrite(p, 1, size, out) != size;
}

/* Reads the whole file at path; NULL on failure. */
static char *slurp(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  char *text = NULL;
  long size;
  if (f != NULL && fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 &&
      fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)size + 1)) &&
      fread(text, 1, (size_t)size, f) == (size_t)size) {
    *len = (size_t)size;
  } else {
    free(text);
    text = NULL;
  }
  if (f != NULL)
    fclose(f);
  return text;
}

int main(int argc, char **argv) {
  lua_State *L;
  FILE *out = NULL;
  char *text;
  size_t len;
  int status = 1;

  if (argc != 4) {
    fputs("usage: luanet_luac SOURCE CHUNKNAME OUTPUT\n", stderr);
    return 1;
  }
  if ((text = slurp(argv[1], &len)) == NULL) {
    perror(argv[1]);
    return 1;
  }
  if ((L = luaL_newstate()) == NULL) {
    free(text);
    return 1;
  }
  if (luaL_loadbufferx(L, text, len, argv[2], "t") != LUA_OK)
    fprintf(stderr, "luanet_luac: %s\n", lua_tostring(L, -1));
  else if ((out = fopen(argv[3], "wb")) == NULL)
    perror(argv[3]);
  else
    status = lua_dump(L, writer, out, 0) != 0;
  if (out != NULL && fclose(out) != 0)
    status = 1;
  lua_close(L);
  free(text);
  return status;
}
