/* decode.c - phase 1b: bytes -> UTF-8 text with a map back to the input.
 *
 * Order of detection: a BOM; valid UTF-8; UTF-16 without a BOM (its zero
 * bytes); otherwise a legacy code page, chosen by decoding with each
 * candidate through ICU and scoring how Swedish the result looks, because
 * ICU's detector alone takes DOS and Mac files for windows-1252.  Also
 * repairs double-encoded UTF-8 ("HÃ¥llbarhet") and rejects what is not text. */
#include "decode.h"

#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>
#include <unicode/ustring.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct sd_decoder {
    UChar *u16;       /* the decoded text in UTF-16 */
    int32_t *u16_src; /* per UTF-16 unit: offset in the input */
    size_t u16_cap, u16_len;
    sd_buf utf8;   /* the result */
    uint32_t *src; /* per UTF-8 byte: offset in the input */
    size_t src_cap;
    char forced[64];   /* --encoding, or "" */
    char detected[64]; /* a code page ICU's detector suggested and scoring chose */
};

sd_decoder *sd_decoder_new(void) { return sd_xcalloc(1, sizeof(sd_decoder)); }

void sd_decoder_free(sd_decoder *d) {
    if (!d) return;
    free(d->u16);
    free(d->u16_src);
    sd_buf_free(&d->utf8);
    free(d->src);
    free(d);
}

void sd_decoder_trim(sd_decoder *d, size_t keep) {
    if (d->u16_cap * (sizeof(UChar) + sizeof(int32_t)) > keep) {
        free(d->u16);
        free(d->u16_src);
        d->u16 = NULL;
        d->u16_src = NULL;
        d->u16_cap = d->u16_len = 0;
    }
    if (d->utf8.cap > keep) sd_buf_free(&d->utf8);
    if (d->src_cap * sizeof(uint32_t) > keep) {
        free(d->src);
        d->src = NULL;
        d->src_cap = 0;
    }
}

sd_status sd_decoder_force(sd_decoder *d, const char *encoding, sd_error *err) {
    d->forced[0] = '\0';
    if (!encoding || !*encoding) return SD_OK;
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(encoding, &status);
    if (U_FAILURE(status) || strlen(encoding) >= sizeof d->forced) {
        ucnv_close(cnv);
        return sd_error_set(err, SD_ERR_IO, NULL, 0, 0, -1,
                            "unknown encoding \"%s\" (any name ICU knows: windows-1252, IBM850, "
                            "macintosh, UTF-16LE, ...)",
                            encoding);
    }
    /* Report the standard name ("utf8" is UTF-8), so the rest of the
     * pipeline and the output see one spelling: the MIME name where there
     * is one ("ISO-8859-1", not IANA's first alias "ISO_8859-1:1987"). */
    const char *icu_name = ucnv_getName(cnv, &status);
    const char *canonical =
        U_SUCCESS(status) ? ucnv_getStandardName(icu_name, "MIME", &status) : NULL;
    if (U_SUCCESS(status) && !canonical)
        canonical = ucnv_getStandardName(icu_name, "IANA", &status);
    if (U_FAILURE(status) || !canonical) canonical = encoding;
    snprintf(d->forced, sizeof d->forced, "%s", canonical);
    ucnv_close(cnv);
    return SD_OK;
}

/* ---- conversion through ICU ---- */

/* Decodes bytes[0..len) with the ICU converter `name` into d->u16, with the
 * input offset of every unit.  Undecodable bytes become U+FFFD. */
static int convert(sd_decoder *d, const char *name, const unsigned char *bytes, size_t len,
                   size_t base) {
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cnv = ucnv_open(name, &status);
    if (U_FAILURE(status)) return 0;
    /* The supported encodings give at most one UTF-16 unit per input byte
     * (plus a substitution at the end); grow and go on if one gives more. */
    size_t need = len + 4, done = 0;
    const char *source = (const char *)bytes;
    for (;;) {
        if (need > d->u16_cap) {
            d->u16 = sd_xrealloc(d->u16, need * sizeof(UChar));
            d->u16_src = sd_xrealloc(d->u16_src, need * sizeof(int32_t));
            d->u16_cap = need;
        }
        UChar *target = d->u16 + done;
        int32_t *offsets = d->u16_src + done;
        const char *before = source;
        status = U_ZERO_ERROR;
        ucnv_toUnicode(cnv, &target, d->u16 + d->u16_cap, &source, (const char *)bytes + len,
                       offsets, 1, &status);
        /* Offsets count from where this call started reading. */
        size_t produced = (size_t)(target - (d->u16 + done));
        for (size_t k = 0; k < produced; k++)
            if (offsets[k] >= 0) offsets[k] += (int32_t)(before - (const char *)bytes);
        done += produced;
        if (status != U_BUFFER_OVERFLOW_ERROR) break;
        need = d->u16_cap * 2;
    }
    ucnv_close(cnv);
    if (U_FAILURE(status)) return 0;
    d->u16_len = done;
    for (size_t i = 0; i < d->u16_len; i++) {
        /* A substitution for a truncated sequence at the end has offset -1. */
        if (d->u16_src[i] < 0) d->u16_src[i] = (int32_t)len - 1;
        d->u16_src[i] += (int32_t)base;
    }
    return 1;
}

/* ---- scoring: how Swedish does the text look? ---- */

static int is_swedish_letter(UChar32 c) {
    switch (c) {
    case 0xE5:
    case 0xE4:
    case 0xF6:
    case 0xC5:
    case 0xC4:
    case 0xD6: /* åäöÅÄÖ */
    case 0xE9:
    case 0xC9:
    case 0xFC:
    case 0xDC: /* éÉüÜ */ return 1;
    default: return 0;
    }
}

/* Letters that do occur in Swedish text (names, loanwords). */
static int is_plausible_letter(UChar32 c) {
    if (c < 0x80) return 1;
    if (is_swedish_letter(c)) return 1;
    static const UChar32 more[] = {0xE8, 0xC8, 0xE1, 0xC1, 0xE0, 0xC0, 0xEB, 0xCB, 0xEF, 0xCF,
                                   0xED, 0xCD, 0xF3, 0xD3, 0xFA, 0xDA, 0xE7, 0xC7, 0xF1, 0xD1,
                                   0xE6, 0xC6, 0xF8, 0xD8, 0xDF, 0xE2, 0xEA, 0xF4, 0xFB};
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        if (more[i] == c) return 1;
    return 0;
}

/* Math, currency and other symbols: odd next to a letter, unlike quotes. */
static int is_symbol(UChar32 c) {
    int8_t type = u_charType(c);
    return type == U_MATH_SYMBOL || type == U_CURRENCY_SYMBOL || type == U_OTHER_SYMBOL ||
           type == U_MODIFIER_SYMBOL;
}

/* Higher is more plausible.  Looks at the first `limit` units only. */
static long swedish_score(const UChar *u, size_t n, size_t limit) {
    if (n > limit) n = limit;
    long score = 0;
    for (size_t i = 0; i < n; i++) {
        UChar32 c = u[i];
        if (c < 0x80) continue;
        int letter_before = i > 0 && u_isalpha(u[i - 1]);
        int letter_after = i + 1 < n && u_isalpha(u[i + 1]);
        if (c == 0xFFFD)
            score -= 10;
        else if (c >= 0x80 && c <= 0x9F)
            score -= 10; /* C1 controls: the wrong code page */
        else if (is_swedish_letter(c) && (letter_before || letter_after))
            score += 2;
        else if (u_isalpha(c) && !is_plausible_letter(c) && (letter_before || letter_after))
            score -= 3; /* "HŒllbarhet": Mac Roman read as windows-1252 */
        else if (!u_isalpha(c) && letter_before && letter_after)
            score -= 5; /* "H†llbarhet", "v„lf„rd", box drawing inside words */
        else if (!u_isalpha(c) && (letter_before || letter_after) && is_symbol(c))
            score -= 3; /* "f√∂r": UTF-8 read as Mac Roman */
    }
    return score;
}

/* ---- UTF-16 to UTF-8 with the offset map ---- */

static void emit_utf8(sd_decoder *d, UChar32 c, uint32_t src) {
    char bytes[4];
    int32_t n = 0;
    U8_APPEND_UNSAFE(bytes, n, c);
    sd_buf_append(&d->utf8, bytes, (size_t)n);
    sd_grow((void **)&d->src, &d->src_cap, d->utf8.len + 1, sizeof(uint32_t));
    for (int32_t k = 0; k < n; k++) d->src[d->utf8.len - (size_t)n + (size_t)k] = src;
}

/* ---- double-encoded UTF-8 ---- */

/* Does the line hold a sign of UTF-8 read as windows-1252: "Ã" or "Â"
 * followed by a character from the second half of the code page, or "â€"? */
static int has_mojibake(const UChar *u, size_t n) {
    for (size_t i = 0; i + 1 < n; i++) {
        if ((u[i] == 0xC3 || u[i] == 0xC2) && u[i + 1] >= 0x80 && u[i + 1] != 0xFFFD) return 1;
        if (u[i] == 0xE2 && u[i + 1] == 0x20AC) return 1;
    }
    return 0;
}

/* Repairs one line [start, end) of d->u16 into UTF-8: the characters back to
 * windows-1252 bytes, those bytes read as UTF-8.  Returns 0 (and writes
 * nothing) when that is not possible for the whole line. */
static int repair_line(sd_decoder *d, size_t start, size_t end) {
    size_t n = end - start;
    unsigned char *bytes = sd_xmalloc(n + 1);
    uint32_t *from = sd_xmalloc((n + 1) * sizeof(uint32_t));
    UErrorCode status = U_ZERO_ERROR;
    UConverter *cp1252 = ucnv_open("windows-1252", &status);
    ucnv_setFromUCallBack(cp1252, UCNV_FROM_U_CALLBACK_STOP, NULL, NULL, NULL, &status);
    int ok = U_SUCCESS(status);
    size_t k = 0;
    for (size_t i = start; ok && i < end; i++) {
        char out[8];
        UErrorCode s = U_ZERO_ERROR;
        int32_t m = ucnv_fromUChars(cp1252, out, sizeof out, &d->u16[i], 1, &s);
        if (U_FAILURE(s) || m != 1) ok = 0;
        bytes[k] = (unsigned char)out[0];
        from[k++] = (uint32_t)d->u16_src[i];
    }
    ucnv_close(cp1252);
    if (ok) ok = sd_utf8_valid_prefix(bytes, k) == k;
    if (ok) {
        for (size_t i = 0; i < k;) {
            size_t seq;
            UChar32 c = (UChar32)sd_utf8_decode(bytes + i, bytes + k, &seq);
            emit_utf8(d, c, from[i]);
            i += seq;
        }
    }
    free(bytes);
    free(from);
    return ok;
}

/* ---- the whole decode ---- */

static void add_warning(sd_decoded *out, const char *code, uint32_t first, uint32_t last,
                        const char *message) {
    if (out->warning_count == SD_DECODE_MAX_WARNINGS) return;
    sd_decode_warning *w = &out->warnings[out->warning_count++];
    w->code = code;
    w->first = first;
    w->last = last;
    snprintf(w->message, sizeof w->message, "%s", message);
}

/* Was this U+FFFD written as such in the input (not a decoding failure)? */
static int literal_replacement(const unsigned char *bytes, size_t len, size_t at,
                               const char *encoding) {
    static const struct {
        const char *encoding, *bytes;
        size_t n;
    } forms[] = {{"UTF-8", "\xEF\xBF\xBD", 3},
                 {"UTF-16LE", "\xFD\xFF", 2},
                 {"UTF-16BE", "\xFF\xFD", 2},
                 {"UTF-32LE", "\xFD\xFF\0\0", 4},
                 {"UTF-32BE", "\0\0\xFF\xFD", 4}};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++)
        if (!strcmp(encoding, forms[i].encoding))
            return at + forms[i].n <= len && !memcmp(bytes + at, forms[i].bytes, forms[i].n);
    return 0;
}

/* Turns d->u16 into UTF-8, line by line, repairing double-encoded lines and
 * noting undecodable bytes (U+FFFD not written as such in the input). */
static void finish(sd_decoder *d, const unsigned char *bytes, sd_decoded *out, int may_repair) {
    sd_buf_clear(&d->utf8);
    uint32_t line = 1, repaired_first = 0, repaired_last = 0, repaired = 0;
    uint32_t bad_first_line = 0, bad_last_line = 0;
    size_t bad = 0;
    char bad_offsets[160] = "";
    size_t i = 0;
    while (i < d->u16_len) {
        size_t end = i;
        while (end < d->u16_len && d->u16[end] != '\n' && d->u16[end] != '\r') end++;
        if (may_repair && has_mojibake(d->u16 + i, end - i) && repair_line(d, i, end)) {
            if (!repaired++) repaired_first = line;
            repaired_last = line;
        } else {
            for (size_t k = i; k < end;) {
                UChar32 c;
                size_t at = k;
                U16_NEXT(d->u16, k, end, c);
                uint32_t src = (uint32_t)d->u16_src[at];
                /* A lone surrogate (a forced UTF-7 or CESU-8, say) is no character. */
                if (U_IS_SURROGATE(c)) c = 0xFFFD;
                if (c == 0xFFFD &&
                    !literal_replacement(bytes, out->input_len, src, out->encoding)) {
                    if (!bad++) bad_first_line = line;
                    bad_last_line = line;
                    size_t used = strlen(bad_offsets);
                    if (bad <= 8)
                        snprintf(bad_offsets + used, sizeof bad_offsets - used, "%s%u",
                                 bad > 1 ? ", " : "", src);
                }
                emit_utf8(d, c, src);
            }
        }
        /* Copy the line end as it is: the line table splits the same way. */
        if (end < d->u16_len) {
            emit_utf8(d, d->u16[end], (uint32_t)d->u16_src[end]);
            if (d->u16[end] == '\r' && end + 1 < d->u16_len && d->u16[end + 1] == '\n') {
                end++;
                emit_utf8(d, '\n', (uint32_t)d->u16_src[end]);
            }
            end++;
            line++;
        }
        i = end;
    }
    sd_grow((void **)&d->src, &d->src_cap, d->utf8.len + 1, sizeof(uint32_t));
    d->src[d->utf8.len] = (uint32_t)out->input_len;
    if (!d->utf8.data) sd_buf_reserve(&d->utf8, 0);
    out->text = d->utf8.data;
    out->len = d->utf8.len;
    out->src_offsets = d->src;
    char message[300];
    if (repaired) {
        snprintf(message, sizeof message,
                 "%u line%s held UTF-8 that had been read as windows-1252 and saved again "
                 "(\"Ã¥\" for \"å\"); repaired",
                 repaired, repaired == 1 ? "" : "s");
        add_warning(out, "mojibake-repaired", repaired_first, repaired_last, message);
    }
    if (bad) {
        snprintf(message, sizeof message,
                 "%zu undecodable byte sequence%s replaced by U+FFFD, at byte offset%s %s%s", bad,
                 bad == 1 ? "" : "s", bad == 1 ? "" : "s", bad_offsets, bad > 8 ? ", ..." : "");
        add_warning(out, "undecodable-bytes", bad_first_line, bad_last_line, message);
    }
}

/* Is the decoded text text?  Returns NULL, or why not; *at is the input
 * offset of a NUL, or -1. */
static const char *not_text_reason(const sd_decoder *d, long *at) {
    size_t controls = 0, replaced = 0, letters = 0, visible = 0;
    *at = -1;
    for (size_t i = 0; i < d->u16_len; i++) {
        UChar c = d->u16[i];
        if (c == 0) {
            *at = (long)i;
            return "it contains NUL characters (a binary file?)";
        }
        if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') continue;
        if (u_iscntrl(c)) controls++;
        if (c == 0xFFFD) replaced++;
        if (u_isalpha(c)) letters++;
        if (!u_isUWhiteSpace(c)) visible++;
    }
    if (visible == 0) return NULL;
    if (controls * 100 > visible) return "more than 1% of its characters are control characters";
    if (replaced * 20 > visible) return "more than 5% of its bytes cannot be decoded";
    if (letters * 10 < visible * 4) return "fewer than 40% of its characters are letters";
    return NULL;
}

/* The same judgement on valid UTF-8 without decoding it (the fast path):
 * a non-ASCII character counts as a letter, which only errs towards text. */
static const char *utf8_not_text_reason(const unsigned char *b, size_t len) {
    size_t controls = 0, letters = 0, visible = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = b[i];
        if (c >= 0x80) {
            if (c >= 0xC0) letters++, visible++;
            continue;
        }
        if (c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == ' ') continue;
        visible++;
        if (c < 0x20 || c == 0x7F)
            controls++;
        else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
            letters++;
    }
    if (visible == 0) return NULL;
    if (controls * 100 > visible) return "more than 1% of its characters are control characters";
    if (letters * 10 < visible * 4) return "fewer than 40% of its characters are letters";
    return NULL;
}

/* Line and column (1-based, in characters) of UTF-16 unit `at`, counting
 * CR, LF and CRLF as line ends like the line table. */
static void locate(const sd_decoder *d, size_t at, long *line, long *column) {
    long l = 1;
    size_t start = 0;
    for (size_t i = 0; i < at; i++) {
        if (d->u16[i] == '\n' || (d->u16[i] == '\r' && (i + 1 >= at || d->u16[i + 1] != '\n'))) {
            l++;
            start = i + 1;
        }
    }
    *line = l;
    *column = (long)(at - start) + 1;
}

static int zero_pattern(const unsigned char *b, size_t len, int *little_endian) {
    size_t n = len < 8192 ? len : 8192, even = 0, odd = 0;
    for (size_t i = 0; i + 1 < n; i += 2) {
        even += b[i] == 0;
        odd += b[i + 1] == 0;
    }
    size_t pairs = n / 2;
    if (pairs < 2) return 0;
    if (odd * 10 > pairs * 3 && even * 20 < pairs) {
        *little_endian = 1;
        return 1;
    }
    if (even * 10 > pairs * 3 && odd * 20 < pairs) {
        *little_endian = 0;
        return 1;
    }
    return 0;
}

/* The UTF-8 fast path: the input is used as it is. */
static void identity(const unsigned char *bytes, size_t len, size_t skip, sd_decoded *out) {
    out->text = (const char *)bytes + skip;
    out->len = len - skip;
    out->text_offset = skip;
    out->src_offsets = NULL;
}

static int has_mojibake_utf8(const unsigned char *b, size_t len) {
    /* "Ã" (C3 83) or "Â" (C3 82) followed by a second-half character, or "â€" (C3 A2 E2 82 AC). */
    for (size_t i = 0; i + 3 < len; i++) {
        if (b[i] == 0xC3 && (b[i + 1] == 0x83 || b[i + 1] == 0x82) &&
            (b[i + 2] == 0xC2 || b[i + 2] == 0xC3 || b[i + 2] == 0xE2 || b[i + 2] == 0xC5 ||
             b[i + 2] == 0xCB))
            return 1;
        if (b[i] == 0xC3 && b[i + 1] == 0xA2 && b[i + 2] == 0xE2 && b[i + 3] == 0x82) return 1;
    }
    return 0;
}

/* UTF-8 with a few bad bytes: its multi-byte sequences far outnumber the
 * bytes that fit none, which legacy text almost never achieves by chance. */
static int mostly_utf8(const unsigned char *b, size_t len) {
    size_t sequences = 0, invalid = 0;
    for (size_t i = 0; i < len;) {
        size_t valid = sd_utf8_valid_prefix(b + i, len - i);
        for (size_t k = i; k < i + valid; k++) sequences += b[k] >= 0xC2 && b[k] <= 0xF4;
        i += valid;
        if (i < len) {
            invalid++;
            i++;
        }
    }
    return sequences >= 3 && sequences >= 5 * invalid;
}

static const char *const legacy_candidates[] = {"windows-1252", "ISO-8859-15", "ISO-8859-1",
                                                "IBM850", "macintosh"};

sd_status sd_decode(sd_decoder *d, const char *name, const unsigned char *bytes, size_t len,
                    sd_decoded *out, sd_error *err) {
    memset(out, 0, sizeof *out);
    out->input_len = len;
    out->detected = d->forced[0] == '\0';
    const char *encoding = d->forced[0] ? d->forced : NULL;
    size_t skip = 0;
    if (!encoding) {
        if (len >= 4 && !memcmp(bytes, "\xFF\xFE\x00\x00", 4))
            encoding = "UTF-32LE", skip = 4;
        else if (len >= 4 && !memcmp(bytes, "\x00\x00\xFE\xFF", 4))
            encoding = "UTF-32BE", skip = 4;
        else if (len >= 3 && !memcmp(bytes, "\xEF\xBB\xBF", 3))
            encoding = "UTF-8", skip = 3;
        else if (len >= 2 && !memcmp(bytes, "\xFF\xFE", 2))
            encoding = "UTF-16LE", skip = 2;
        else if (len >= 2 && !memcmp(bytes, "\xFE\xFF", 2))
            encoding = "UTF-16BE", skip = 2;
        out->had_bom = skip > 0;
    }
    if (!encoding || strcmp(encoding, "UTF-8") == 0) {
        size_t valid = sd_utf8_valid_prefix(bytes + skip, len - skip);
        int nul = memchr(bytes + skip, 0, len - skip) != NULL;
        if (valid == len - skip && !nul) {
            out->encoding = "UTF-8";
            const char *why = utf8_not_text_reason(bytes + skip, len - skip);
            if (why)
                return sd_error_set(err, SD_ERR_INPUT, name, 0, 0, -1,
                                    "not a text document: decoded as UTF-8, %s", why);
            if (!has_mojibake_utf8(bytes + skip, len - skip)) {
                identity(bytes, len, skip, out);
                return SD_OK;
            }
            encoding = "UTF-8";
        }
    }
    int little = 0;
    if (!encoding && zero_pattern(bytes, len, &little)) encoding = little ? "UTF-16LE" : "UTF-16BE";
    if (!encoding && mostly_utf8(bytes, len)) encoding = "UTF-8";
    if (!encoding) {
        /* A legacy code page, or UTF-8 with a few bad bytes: the most Swedish-looking wins. */
        const char *names[16];
        size_t count = 0;
        names[count++] = "UTF-8";
        for (size_t i = 0; i < sizeof legacy_candidates / sizeof *legacy_candidates; i++)
            names[count++] = legacy_candidates[i];
        UErrorCode status = U_ZERO_ERROR;
        UCharsetDetector *det = ucsdet_open(&status);
        ucsdet_setText(det, (const char *)bytes, (int32_t)(len < 65536 ? len : 65536), &status);
        int32_t found = 0;
        const UCharsetMatch **matches = ucsdet_detectAll(det, &found, &status);
        for (int32_t m = 0; U_SUCCESS(status) && m < found && m < 3 && count < 16; m++) {
            const char *suggested = ucsdet_getName(matches[m], &status);
            int known = 0;
            for (size_t k = 0; k < count; k++) known |= !strcmp(names[k], suggested);
            if (!known && strncmp(suggested, "UTF-", 4) != 0) names[count++] = suggested;
        }
        long best = 0;
        const char *winner = NULL;
        size_t sample = len < 262144 ? len : 262144;
        for (size_t k = 0; k < count; k++) {
            if (!convert(d, names[k], bytes, sample, 0)) continue;
            long score = swedish_score(d->u16, d->u16_len, d->u16_len);
            if (!winner || score > best) {
                best = score;
                winner = names[k];
            }
        }
        /* ucsdet's names live in the detector: copy the winner out first. */
        snprintf(d->detected, sizeof d->detected, "%s", winner ? winner : "windows-1252");
        ucsdet_close(det);
        encoding = d->detected;
    }
    if (!convert(d, encoding, bytes + skip, len - skip, skip))
        return sd_error_set(err, SD_ERR_INPUT, name, 0, 0, -1, "cannot decode the input as %s",
                            encoding);
    long at;
    const char *why = not_text_reason(d, &at);
    if (why && at >= 0) {
        long line = 1, column = 1;
        locate(d, (size_t)at, &line, &column);
        long offset = d->u16_src[at];
        return sd_error_set(err, SD_ERR_INPUT, name, line, column, offset,
                            "not a text document: decoded as %s, %s; the first at byte offset %ld",
                            encoding, why, offset);
    }
    if (why)
        return sd_error_set(err, SD_ERR_INPUT, name, 0, 0, -1,
                            "not a text document: decoded as %s, %s", encoding, why);
    out->encoding = encoding;
    finish(d, bytes, out, strcmp(encoding, "UTF-8") == 0);
    return SD_OK;
}
