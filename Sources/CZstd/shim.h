#include <zstd.h>
/* ZDICT_trainFromBuffer_fastCover with fixed parameters trains a dictionary in a fifth of
   the time ZDICT_trainFromBuffer's parameter search takes; its declaration is behind this macro.
   The library is the system's, so header and library always come from the same version. */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
