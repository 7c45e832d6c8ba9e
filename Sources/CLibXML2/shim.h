/* libxml2 built with ICU pulls <unicode/*.h> into this module, and those
 * typedefs clash with Foundation's private copy of ICU in any client that
 * sees both. Nothing here uses libxml2's ICU converters, so the headers are
 * read as if ICU were off; the only layout this changes is that of
 * xmlCharEncodingHandler, which Swift code never touches. */
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
#include <libxml/threads.h>
