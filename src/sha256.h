/* sha256.h - SHA-256 (FIPS 180-4) of the input bytes, for source.sha256
 * and batch manifests (Nettle underneath: src/sha256.c). */
#ifndef SD_SHA256_H
#define SD_SHA256_H

#include <stddef.h>

/* Writes the lowercase hex digest of data[0..len) and a NUL into hex. */
void sd_sha256_hex(const unsigned char *data, size_t len, char hex[65]);

#endif
