/* ZSTD_createDDict_byReference (a dictionary read where it lies in the map) is declared
   behind this macro; the library is linked statically, so the declaration matches it. */
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>
/* ZDICT_trainFromBuffer_fastCover with fixed parameters trains a dictionary in a fifth of
   the time ZDICT_trainFromBuffer's parameter search takes; its declaration is behind this macro.
   The library is the system's, so header and library always come from the same version. */
#define ZDICT_STATIC_LINKING_ONLY
#include <zdict.h>
/* ZSTD_getErrorCode: an input that ends in bytes that begin no frame (ZSTD_error_prefix_unknown)
   is told apart from a damaged frame. */
#include <zstd_errors.h>
