/* report.h - the review pages' HTML helpers (internal; the public functions,
 * sd_report and sd_report_batch, are declared in styrdok.h). */
#ifndef SD_REPORT_H
#define SD_REPORT_H

#include "util.h"

/* Appends `len` bytes of UTF-8 `text` as HTML text or attribute value:
 * & < > " ' become character references, and C0 controls other than tab
 * their visible Unicode pictures (U+240x), which HTML does not allow raw. */
void sd_html_escape(sd_buf *out, const char *text, size_t len);

/* Appends a relative path as a URL: every byte outside A-Z a-z 0-9 - . _ ~ /
 * percent-encoded, so names with spaces, å ä ö, # or ? still link. */
void sd_html_url_path(sd_buf *out, const char *path);

/* The name of the meta element that records, in every document page, the
 * sha256 of the input it was made from (a batch rerun keeps such pages). */
#define SD_REPORT_SHA_META "styrdok-source-sha256"

#endif
