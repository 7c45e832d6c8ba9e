#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/parser.h>
