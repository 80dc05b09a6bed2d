/* On macOS, CPython corrects configuration values per architecture here.
 * This layer is built for x86_64 Linux only, so there is nothing to correct;
 * the header exists for code that includes it by name. */
#ifndef PYMACCONFIG_H
#define PYMACCONFIG_H
#endif
