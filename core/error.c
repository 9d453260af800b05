#include <uv.h>

#include "error.h"

#define LN__INDEX(err) ((err) - LN__ERR_BASE - 1)

static const char *const codes[] = {
#define XX(name, code, msg) code,
    LN_ERRNO_MAP(XX)
#undef XX
};

static const char *const messages[] = {
#define XX(name, code, msg) msg,
    LN_ERRNO_MAP(XX)
#undef XX
};

static int is_own(int err) {
  return err > LN__ERR_BASE && err < LN__ERR_END;
}

const char *ln_err_code(int err) {
  return is_own(err) ? codes[LN__INDEX(err)] : uv_err_name(err);
}

const char *ln_err_message(int err) {
  return is_own(err) ? messages[LN__INDEX(err)] : uv_strerror(err);
}

int ln_err_is_system(int err) {
  return !is_own(err);
}
