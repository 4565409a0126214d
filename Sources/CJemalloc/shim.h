// Linking jemalloc replaces the process allocator; the header is only here so
// the executable can ask jemalloc for its statistics if it wants to.
#include <jemalloc/jemalloc.h>
