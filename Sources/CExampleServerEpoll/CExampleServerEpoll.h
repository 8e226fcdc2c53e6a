// Exposes epoll(7) and eventfd(2) to Swift: Glibc's module map does not include them.
// Headers only, no C code; empty on other platforms (the server uses poll(2) there).
#ifdef __linux__
#include <sys/epoll.h>
#include <sys/eventfd.h>
#endif
