/* decode.h - phase 1b, decoding (internal): raw bytes in any supported
 * encoding -> UTF-8 text, with a map from every text byte back to the input
 * byte it came from, so that elements can point at their source bytes. */
#ifndef SD_DECODE_H
#define SD_DECODE_H

#include "util.h"

#include <stddef.h>
#include <stdint.h>

typedef struct sd_decode_warning {
    const char *code; /* "mojibake-repaired", "undecodable-bytes" */
    uint32_t first, last;
    char message[300];
} sd_decode_warning;

#define SD_DECODE_MAX_WARNINGS 4

typedef struct sd_decoded {
    const char *text; /* UTF-8, line ends as in the input; not NUL-terminated */
    size_t len;
    /* Where text bytes came from: with src_offsets NULL, text[i] is
     * input[text_offset + i]; otherwise src_offsets[i] is the input offset of
     * the character text byte i belongs to, and src_offsets[len] the input's
     * length. */
    size_t text_offset;
    const uint32_t *src_offsets;
    const char *encoding; /* "UTF-8", "UTF-16LE", "windows-1252", "IBM850", "macintosh", ... */
    int detected;         /* 0 when forced with --encoding */
    int had_bom;
    size_t input_len;
    sd_decode_warning warnings[SD_DECODE_MAX_WARNINGS];
    size_t warning_count;
} sd_decoded;

typedef struct sd_decoder sd_decoder;

sd_decoder *sd_decoder_new(void);
void sd_decoder_free(sd_decoder *d);

/* Frees working buffers larger than `keep` bytes (after a large document). */
void sd_decoder_trim(sd_decoder *d, size_t keep);

/* Forces an encoding (any name ICU knows) for the documents that follow;
 * NULL or "" returns to detection.  SD_ERR_IO for an unknown name. */
sd_status sd_decoder_force(sd_decoder *d, const char *encoding, sd_error *err);

/* Decodes `bytes`.  The result points into `bytes` or into the decoder, and
 * stays valid until the next call.  SD_ERR_INPUT, naming `name` and why,
 * when the input is not text. */
sd_status sd_decode(sd_decoder *d, const char *name, const unsigned char *bytes, size_t len,
                    sd_decoded *out, sd_error *err);

#endif
