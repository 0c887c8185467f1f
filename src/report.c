/* report.c - the review pages: one document's source text beside its outline
 * (sd_report; the renderer sd_render_review walks the document model, so
 * a page cannot disagree with the JSON or the explanation), and the
 * summary of a batch run (sd_report_batch, from the manifest and the
 * documents' JSON).  Every page is one self-contained HTML file, in
 * Swedish. */
#include "report.h"

#include "extractor.h"
#include "goals.h"
#include "metadata.h"
#include "output.h"
#include "render.h"

#include <jansson.h>

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- writing HTML ------------------------------------------------------ */

void sd_html_escape(sd_buf *out, const char *text, size_t len) {
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        const char *rep = NULL;
        char picture[4];
        switch (c) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        default:
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                /* U+2400 + c (U+2421 for DEL), three bytes of UTF-8. */
                unsigned cp = c == 0x7f ? 0x2421u : 0x2400u + c;
                picture[0] = (char)0xE2;
                picture[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
                picture[2] = (char)(0x80 | (cp & 0x3F));
                picture[3] = '\0';
                rep = picture;
            }
        }
        if (!rep) continue;
        sd_buf_append(out, text + start, i - start);
        sd_buf_append(out, rep, strlen(rep));
        start = i + 1;
    }
    sd_buf_append(out, text + start, len - start);
}

void sd_html_url_path(sd_buf *out, const char *path) {
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
            sd_buf_putc(out, (char)c);
        } else {
            char enc[3] = {'%', hex[c >> 4], hex[c & 15]};
            sd_buf_append(out, enc, 3);
        }
    }
}

#define put sd_buf_puts
#define putf sd_buf_printf

/* putf is for markup and numbers only: text from a document goes through
 * esc(). */
static void esc(sd_buf *b, const char *s) {
    if (s) sd_html_escape(b, s, strlen(s));
}

/* Source text: as esc(), but what a reader could not see, or would see as
 * an empty box (controls such as a form feed; the private-use glyphs PDF
 * fonts leave for bullets), becomes a small labelled box. */
static void esc_source(sd_buf *b, const char *s) {
    static const char *const control_names[32] = {
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "HT",  "LF",
        "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
        "SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
    if (!s) return;
    const unsigned char *p = (const unsigned char *)s, *end = p + strlen(s), *start = p;
    while (p < end) {
        size_t n = 1;
        uint32_t cp = *p < 0x80 ? *p : sd_utf8_decode(p, end, &n);
        int control = (cp < 0x20 && cp != '\t') || cp == 0x7f;
        int private_use = cp >= 0xE000 && cp <= 0xF8FF;
        if (control || private_use) {
            sd_html_escape(b, (const char *)start, (size_t)(p - start));
            if (control)
                putf(b, "<span class=\"ctl\" title=\"U+%04X\">%s</span>", (unsigned)cp,
                     cp == 0x7f ? "DEL" : control_names[cp]);
            else
                putf(b, "<span class=\"ctl\" title=\"ett tecken för privat bruk\">U+%04X</span>",
                     (unsigned)cp);
            start = p + n;
        }
        p += n;
    }
    sd_html_escape(b, (const char *)start, (size_t)(end - start));
}

/* A count with Swedish digit grouping (a no-break space every three digits). */
static void put_count(sd_buf *b, unsigned long long n) {
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%llu", n);
    for (int i = 0; i < len; i++) {
        if (i > 0 && (len - i) % 3 == 0) put(b, "\xC2\xA0");
        sd_buf_putc(b, digits[i]);
    }
}

/* "rad 7" or "rad 7–9", linked to the first line of the source. */
static void put_lines_link(sd_buf *b, uint32_t first, uint32_t last, const char *cls) {
    if (first < 1) return;
    putf(b, "<a class=\"%s\" href=\"#L%u\">rad %u", cls, first, first);
    if (last > first) putf(b, "\xE2\x80\x93%u", last);
    put(b, "</a>");
}

/* ---- JSON access (the batch summary reads the manifest and documents) ---- */

static const char *jstr(json_t *o, const char *key) {
    return json_string_value(json_object_get(o, key));
}
static long long jint(json_t *o, const char *key) {
    return (long long)json_integer_value(json_object_get(o, key));
}

/* ---- the style sheet and script (inline: the pages work offline) ------- */

static const char *const style_base[] = {
    ":root{color-scheme:light;--ink:#1a1d21;--muted:#4a5361;--rule:#d5d9df;--paper:#f3f4f6;",
    "--card:#fff;--accent:#1f4fbf;--focus:#b3400b;--warn:#7c2d12;--warn-bg:#fff1e6;",
    "--warn-line:#c2410c;--goal:#0f766e;",
    "--sans:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Noto Sans\",\"Liberation Sans\",",
    "\"DejaVu Sans\",Arial,sans-serif;",
    "--mono:ui-monospace,\"SFMono-Regular\",\"DejaVu Sans Mono\",\"Liberation Mono\",Menlo,",
    "Consolas,monospace}\n",
    "*,*::before,*::after{box-sizing:border-box}\n",
    "body{margin:0;background:var(--paper);color:var(--ink);font:16px/1.5 var(--sans);",
    "-webkit-text-size-adjust:100%}\n",
    "a{color:var(--accent);text-underline-offset:2px}\n",
    "a:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid ",
    "var(--focus);outline-offset:2px}\n",
    ".skip{position:absolute;left:1rem;top:-4rem;z-index:30;background:var(--ink);color:#fff;",
    "padding:.5rem .75rem;border-radius:4px}\n",
    ".skip:focus{top:1rem}\n",
    ".back{background:var(--card);padding:.75rem 1.5rem 0;font-size:.875rem}\n",
    ".sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;",
    "clip:rect(0 0 0 0);white-space:nowrap;border:0}\n",
    "header.top{background:var(--card);border-bottom:1px solid var(--rule)}\n",
    ".wrap{max-width:112rem;margin:0 auto;padding:1.25rem 1.5rem 1rem}\n",
    ".kicker{margin:0 0 .25rem;font-size:.8125rem;font-weight:600;letter-spacing:.06em;",
    "text-transform:uppercase;color:var(--muted)}\n",
    "h1{margin:0 0 .875rem;font-size:1.75rem;line-height:1.2;letter-spacing:-.01em}\n",
    "h2{margin:0 0 .75rem;font-size:1.1875rem;line-height:1.3}\n",
    "h3{margin:1.5rem 0 .5rem;font-size:.8125rem;letter-spacing:.06em;text-transform:uppercase;",
    "color:var(--muted)}\n",
    "h4{margin:.75rem 0 .25rem;font-size:.9375rem}\n",
    ".facts{display:flex;flex-wrap:wrap;gap:.5rem 2.25rem;margin:0 0 .875rem}\n",
    ".facts dt{font-size:.75rem;letter-spacing:.05em;text-transform:uppercase;",
    "color:var(--muted)}\n",
    ".facts dd{margin:0;font-weight:600;overflow-wrap:anywhere}\n",
    ".hash{font:400 .8125rem/1.6 var(--mono);word-break:break-all}\n",
    ".counts{display:flex;flex-wrap:wrap;gap:.5rem;margin:0;padding:0;list-style:none}\n",
    ".counts li{background:var(--paper);border:1px solid var(--rule);border-radius:999px;",
    "padding:.125rem .75rem;font-size:.8125rem}\n",
    ".counts b{font-variant-numeric:tabular-nums}\n",
    ".counts .alert{background:var(--warn-bg);border-color:#efb186;color:var(--warn)}\n",
    ".card{background:var(--card);border:1px solid var(--rule);border-radius:8px;",
    "padding:1.125rem 1.25rem 1.25rem;min-width:0}\n",
    ".hint{margin:-.25rem 0 .75rem;font-size:.875rem;color:var(--muted);max-width:48rem}\n",
    ".quiet{color:var(--muted);font-size:.875rem}\n",
    "kbd{font:.75rem var(--mono);border:1px solid var(--rule);border-bottom-width:2px;",
    "border-radius:3px;padding:0 .25rem;background:var(--paper)}\n",
    "code{font-family:var(--mono);font-size:.875em}\n",
    "footer{max-width:112rem;margin:0 auto;padding:0 1.5rem 2rem;font-size:.8125rem;",
    "color:var(--muted)}\n",
    NULL,
};

static const char *const style_document[] = {
    ".panes{display:grid;gap:1.25rem;max-width:112rem;margin:0 auto;padding:1.25rem 1.5rem 2rem}\n",
    "@media (min-width:64rem){.panes{grid-template-columns:minmax(0,1fr) minmax(19rem,25rem);",
    "align-items:start}.outline{position:sticky;top:1rem;max-height:calc(100vh - 2rem);",
    "overflow:auto}}\n",
    ".legend{display:grid;grid-template-columns:repeat(auto-fill,minmax(10rem,1fr));",
    "gap:.3rem .75rem;margin:0 0 1rem;padding:0;list-style:none;font-size:.8125rem}\n",
    ".legend li{display:flex;align-items:baseline;gap:.375rem;white-space:nowrap}\n",
    ".legend .n{margin-left:auto;padding-right:.5rem;color:var(--muted);"
    "font-variant-numeric:tabular-nums}\n",
    ".sw{display:inline-block;min-width:2.25rem;padding:0 .3rem;border-left:4px solid var(--s);",
    "border-radius:2px;background:var(--t);font:700 .6875rem/1.6 var(--mono);text-align:center}\n",
    ".k-title{--t:#efe5fc;--s:#6d28d9}.k-h1{--t:#d6e4fd;--s:#1e40af}",
    ".k-h2{--t:#e3ecfe;--s:#3b6fd8}.k-h3{--t:#eff4ff;--s:#86a8ee}",
    ".k-para{--t:#fff;--s:#cfd4db}.k-intro{--t:#fdedc4;--s:#a45a06}",
    ".k-item{--t:#fff7e0;--s:#e0a526}.k-focus{--t:#d5f3df;--s:#15803d}",
    ".k-goal{--t:#cff3ee;--s:#0f766e}.k-furn{--t:#eceef1;--s:#8a919b}",
    ".k-none{--t:#fde1e1;--s:#c2281d}.k-warn{--t:var(--warn-bg);--s:var(--warn-line)}\n",
    "ol.src{margin:0;padding:0;list-style:none;font:.8125rem/1.6 var(--mono);",
    "border:1px solid var(--rule);border-radius:6px}\n",
    ".ln{position:relative;display:grid;grid-template-columns:3.5rem 2.75rem minmax(0,1fr) auto;",
    "background:var(--t,#fff);border-left:4px solid var(--s,transparent);scroll-margin:35vh 0}\n",
    ".ln+.ln{border-top:1px solid rgba(0,0,0,.035)}\n",
    ".ln .no{padding-right:.75rem;text-align:right;color:var(--muted);",
    "font-variant-numeric:tabular-nums;user-select:none}\n",
    ".ln .code{font-size:.6875rem;font-weight:700;padding-top:.1rem;white-space:nowrap}\n",
    ".ln .tx{white-space:pre-wrap;overflow-wrap:anywhere;padding-right:.75rem}\n",
    ".ln.k-title .tx,.ln.k-h1 .tx,.ln.k-h2 .tx,.ln.k-h3 .tx{font-weight:700}\n",
    ".ln.k-furn .tx{font-style:italic;color:var(--muted)}\n",
    ".ln.blank{background:transparent;border-left-color:transparent}\n",
    ".ctl{margin:0 .1rem;padding:0 .2rem;border:1px solid currentColor;border-radius:3px;",
    "font:600 .625rem/1 var(--sans);vertical-align:1px;color:var(--muted);font-style:normal}\n",
    ".ln:hover,.ln.same{background-image:linear-gradient(rgba(20,30,60,.06),rgba(20,30,60,.06))}\n",
    ".ln:focus{outline:3px solid var(--focus);outline-offset:-3px;z-index:3}\n",
    ".ln:target{outline:3px solid var(--accent);outline-offset:-3px}\n",
    ".ln .badges{display:flex;gap:.25rem;align-items:start;padding:.1rem .5rem 0 0}\n",
    ".gref{font:700 .6875rem/1.5 var(--sans);background:var(--goal);color:#fff;",
    "border-radius:999px;padding:0 .45rem;white-space:nowrap}\n",
    ".wmark{font:700 .6875rem/1.5 var(--sans);background:var(--warn-line);color:#fff;",
    "border-radius:999px;padding:0 .45rem;white-space:nowrap}\n",
    ".ln.warn{box-shadow:inset -4px 0 0 var(--warn-line)}\n",
    ".wnote{grid-column:2/-1;margin:.25rem .75rem .4rem 0;padding:.375rem .625rem;",
    "background:var(--warn-bg);border:1px solid #efb186;border-left:4px solid var(--warn-line);",
    "border-radius:4px;color:var(--warn);font:.8125rem/1.45 var(--sans)}\n",
    ".tip{display:none;position:absolute;z-index:20;left:6.75rem;top:calc(100% + 3px);",
    "width:min(36rem,calc(100% - 7.5rem));padding:.5rem .75rem;border-radius:6px;",
    "background:#1a1d21;color:#fff;font:.8125rem/1.45 var(--sans);white-space:normal;",
    "box-shadow:0 8px 24px rgba(0,0,0,.28)}\n",
    ".tip code{background:rgba(255,255,255,.14);padding:0 .25rem;border-radius:3px}\n",
    ".tip span{display:block}\n",
    ".ln:hover>.tip,.ln:focus>.tip{display:block}\n",
    ".outline h3:first-of-type{margin-top:.5rem}\n",
    ".doc-title{margin:0;font-weight:600}\n",
    ".at{font-size:.75rem;color:var(--muted);white-space:nowrap;margin-left:.25rem}\n",
    "a.at{color:var(--accent)}\n",
    ".meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:.25rem .875rem;",
    "margin:0;font-size:.875rem}\n",
    ".meta dt{color:var(--muted)}\n",
    ".meta dd{margin:0;overflow-wrap:anywhere}\n",
    ".meta .none{color:var(--muted)}\n",
    ".toc,.toc ol{margin:0;padding:0;list-style:none}\n",
    ".toc ol{margin-left:.5rem;padding-left:.625rem;border-left:2px solid var(--rule)}\n",
    ".toc a{display:block;padding:.125rem .375rem;border-radius:4px;color:var(--ink);",
    "text-decoration:none;font-size:.875rem}\n",
    ".toc a:hover{background:#e8eefb;text-decoration:underline}\n",
    ".toc>li>a{font-weight:600}\n",
    ".toc .num{margin-right:.125rem;color:var(--muted);font-variant-numeric:tabular-nums}\n",
    ".focus-intro{margin:0;font-size:.8125rem;color:var(--muted)}\n",
    ".focus-list{margin:.25rem 0 .5rem;padding-left:1.25rem;font-size:.875rem}\n",
    ".focus-list li::marker{color:#15803d}\n",
    ".goals{margin:0;padding:0;list-style:none;font-size:.875rem}\n",
    ".goals li{display:grid;grid-template-columns:2rem minmax(0,1fr);gap:.125rem .5rem;",
    "align-items:baseline;padding:.2rem .375rem;border-radius:4px}\n",
    ".goals li+li{margin-top:1px}\n",
    ".gno{display:inline-block;width:1.75rem;text-align:center;border:1px solid var(--rule);",
    "border-radius:4px;color:var(--muted);font-weight:700;font-variant-numeric:tabular-nums}\n",
    ".goals .gname{color:var(--muted)}\n",
    ".goals li.hit{background:#e5f5f2}\n",
    ".goals li.hit .gno{background:var(--goal);border-color:var(--goal);color:#fff}\n",
    ".goals li.hit .gname{color:var(--ink);font-weight:600}\n",
    ".goals .refs,.goals .alias,.goals .mismatch{grid-column:2;font-size:.75rem}\n",
    ".goals .refs{color:var(--muted)}\n",
    ".goals .alias{color:var(--muted);font-style:italic}\n",
    ".goals .mismatch{color:var(--warn);background:var(--warn-bg);",
    "border-left:3px solid var(--warn-line);padding:.125rem .375rem;border-radius:2px}\n",
    ".warnings{margin:0;padding-left:1.25rem;font-size:.875rem}\n",
    ".warnings li{margin:.25rem 0}\n",
    "@media print{*{-webkit-print-color-adjust:exact;print-color-adjust:exact}",
    "body{background:#fff;font-size:10pt}.panes{display:block;padding:0}",
    ".card{border:0;padding:0;margin-bottom:1rem}.outline{break-before:page}",
    ".ln{break-inside:avoid}.ln:hover,.ln.same{background-image:none}",
    "ol.src{font-size:8pt;border:0}}\n",
    "@media (max-width:40rem){.wrap{padding:1rem .875rem .75rem}",
    ".panes{padding:.75rem .5rem 1.5rem}",
    ".card{padding:.875rem .75rem 1rem}h1{font-size:1.5rem}",
    ".ln{grid-template-columns:2.5rem 2rem minmax(0,1fr) auto}.ln .no{padding-right:.5rem}",
    ".tip{left:2.5rem;width:calc(100% - 3rem)}}\n",
    NULL,
};

static const char *const style_batch[] = {
    "main.stack{display:grid;gap:1.25rem;max-width:112rem;margin:0 auto;",
    "padding:1.25rem 1.5rem 2rem}\n",
    ".stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(9.5rem,1fr));gap:.75rem;",
    "margin:0 0 1rem;padding:0;list-style:none}\n",
    ".stats li{border:1px solid var(--rule);border-left:4px solid var(--s,#8a919b);",
    "border-radius:6px;padding:.625rem .875rem}\n",
    ".stats b{display:block;font-size:1.75rem;line-height:1.15;",
    "font-variant-numeric:tabular-nums}\n",
    ".stats span{font-size:.8125rem;color:var(--muted)}\n",
    ".s-ok{--s:#15803d}.s-failed{--s:#c2281d}.s-skipped{--s:#a45a06}.s-warn{--s:#c2410c}\n",
    ".grid2{display:grid;gap:1.25rem}\n",
    "@media (min-width:56rem){.grid2{grid-template-columns:1fr 1fr}}\n",
    ".scroll{overflow-x:auto}\n",
    "table{width:100%;border-collapse:collapse;font-size:.875rem}\n",
    "caption{text-align:left;font-weight:600;padding:0 0 .375rem}\n",
    "th,td{padding:.375rem .625rem;border-bottom:1px solid var(--rule);text-align:left;",
    "vertical-align:top}\n",
    "thead th{border-bottom:2px solid var(--rule);font-size:.75rem;letter-spacing:.05em;",
    "text-transform:uppercase;color:var(--muted)}\n",
    "tbody tr:hover{background:#f7f8fa}\n",
    ".num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n",
    ".path{display:block;font:.75rem var(--mono);color:var(--muted);overflow-wrap:anywhere}\n",
    ".status{display:inline-block;border-radius:999px;padding:0 .5rem;font-size:.75rem;",
    "font-weight:700;color:#fff}\n",
    ".status.failed{background:#b42318}.status.skipped{background:#8a4b08}\n",
    ".msg{font:.8125rem/1.45 var(--mono);overflow-wrap:anywhere}\n",
    "td.input{min-width:14rem}\n",
    ".chips{display:flex;flex-wrap:wrap;gap:.25rem}\n",
    ".chip{display:inline-block;min-width:1.6rem;text-align:center;border-radius:4px;",
    "background:var(--goal);color:#fff;font-size:.75rem;font-weight:700;padding:0 .3rem}\n",
    ".links a{white-space:nowrap;margin-right:.75rem}\n",
    ".chart svg{display:block;width:100%;max-width:56rem;height:auto}\n",
    ".chart .bar{fill:#1f4fbf}.chart .bar:hover{fill:#163a8f}\n",
    ".chart .grid{stroke:#e3e6ea}.chart .axis{stroke:#8a919b}\n",
    ".chart text{font:12px var(--sans);fill:#1a1d21}\n",
    ".chart .v{font-weight:700}.chart .tick{fill:#4a5361}\n",
    "details{margin-top:.75rem}\n",
    "summary{cursor:pointer;color:var(--accent)}\n",
    "@media print{body{background:#fff;font-size:10pt}main.stack{display:block;padding:0}",
    ".card{border:0;padding:0;margin-bottom:1.25rem;break-inside:avoid-page}",
    "details{display:none}tr{break-inside:avoid}}\n",
    NULL,
};

/* Progressive enhancement only: everything works without it.  Hovering or
 * focusing a line marks the other lines of its element; the arrow keys move
 * between lines. */
static const char *const script_document[] = {
    "(function(){\n",
    "var src=document.querySelector('ol.src');if(!src)return;var marked=[];\n",
    "function clear(){marked.forEach(function(e){e.classList.remove('same')});marked=[]}\n",
    "function show(li){clear();var a=+li.getAttribute('data-a'),b=+li.getAttribute('data-b');\n",
    "if(!a||b-a>400)return;for(var i=a;i<=b;i++){var e=document.getElementById('L'+i);\n",
    "if(e&&e!==li&&!e.classList.contains('blank')){e.classList.add('same');marked.push(e)}}}\n",
    "function line(ev){return ev.target.closest?ev.target.closest('li.ln'):null}\n",
    "src.addEventListener('mouseover',function(ev){var li=line(ev);if(li)show(li)});\n",
    "src.addEventListener('focusin',function(ev){var li=line(ev);if(li)show(li)});\n",
    "src.addEventListener('mouseleave',clear);\n",
    "src.addEventListener('keydown',function(ev){var li=line(ev);if(!li)return;\n",
    "var step=ev.key==='ArrowDown'?'nextElementSibling':ev.key==='ArrowUp'?",
    "'previousElementSibling':null;if(!step)return;\n",
    "var n=li[step];while(n&&!n.hasAttribute('tabindex'))n=n[step];\n",
    "if(n){ev.preventDefault();n.focus()}});\n",
    "})();\n",
    NULL,
};

/* The head of a page: `title` is text, escaped here; `sha`, when not NULL,
 * the input's sha256 (for a batch rerun). */
static void put_all(sd_buf *b, const char *const *pieces) {
    for (; *pieces; pieces++) put(b, *pieces);
}

static void page_start(sd_buf *b, const char *title, const char *sha, const char *const *style) {
    put(b, "<!DOCTYPE html>\n<html lang=\"sv\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    putf(b, "<meta name=\"generator\" content=\"styrdok %s\">\n", SD_VERSION);
    if (sha) {
        put(b, "<meta name=\"" SD_REPORT_SHA_META "\" content=\"");
        esc(b, sha);
        put(b, "\">\n");
    }
    put(b, "<title>");
    esc(b, title);
    put(b, "</title>\n<style>\n");
    put_all(b, style_base);
    put_all(b, style);
    put(b, "</style>\n</head>\n<body>\n");
}

/* ---- one document: what each source line became ------------------------ */

enum kind { K_BLANK, K_TITLE, K_HEADING, K_PARA, K_INTRO, K_ITEM, K_FOCUS, K_GOAL, K_FURN, K_NONE };

typedef struct line_info {
    const sd_line *line;
    const sd_class *cls;
    const sd_line_role *role;
    enum kind kind;
    int level;     /* headings */
    uint32_t a, b; /* the element's lines, 0 when unknown */
    int goal;      /* goal lines */
} line_info;

/* The legend's entries, in the order shown.  Headings of level 3 and deeper
 * share a tint; the line itself names its level. */
static const struct legend_entry {
    const char *cls, *code, *label;
} legend[] = {
    {"k-title", "T", "Titel"},
    {"k-h1", "R1", "Rubrik, nivå 1"},
    {"k-h2", "R2", "Rubrik, nivå 2"},
    {"k-h3", "R3+", "Rubrik, nivå 3+"},
    {"k-para", "\xC2\xB6", "Stycke"},
    {"k-intro", "L", "Listintro"},
    {"k-item", "\xE2\x80\xA2", "Listpunkt"},
    {"k-focus", "F", "Fokusområde"},
    {"k-goal", "M", "Målreferens"},
    {"k-furn", "S", "Sidelement"},
    {"k-none", "?", "Oklassificerad"},
};

/* The index in `legend` of a line's tint. */
static size_t legend_index(const line_info *li) {
    switch (li->kind) {
    case K_TITLE: return 0;
    case K_HEADING: return li->level <= 1 ? 1 : li->level == 2 ? 2 : 3;
    case K_PARA: return 4;
    case K_INTRO: return 5;
    case K_ITEM: return 6;
    case K_FOCUS: return 7;
    case K_GOAL: return 8;
    case K_FURN: return 9;
    case K_NONE:
    case K_BLANK: break;
    }
    return 10;
}

/* What one line became, from its class and its role in the tree; the
 * title's lines are those of the document's title block. */
static void classify_line(line_info *li, uint32_t title_a, uint32_t title_b) {
    const sd_line_role *role = li->role;
    const sd_node *n = role->node;
    li->kind = K_NONE;
    if (li->cls->emit == SD_CLASS_BLANK) {
        li->kind = K_BLANK;
        return;
    }
    if (n && role->kind != SD_ROLE_TITLE) li->a = n->first, li->b = n->last;
    /* A line no rule matched is unclassified, whatever it was folded into. */
    if (li->cls->rule < 0) return;
    switch (role->kind) {
    case SD_ROLE_NONE: break;
    case SD_ROLE_TITLE:
        li->kind = K_TITLE;
        li->a = title_a;
        li->b = title_b;
        break;
    case SD_ROLE_HEADING:
        li->kind = K_HEADING;
        li->level = n->level;
        break;
    case SD_ROLE_BLOCK: li->kind = n->kind == SD_NODE_PARAGRAPH ? K_PARA : K_INTRO; break;
    case SD_ROLE_ITEM:
        li->kind = n->kind == SD_NODE_TOC ? K_INTRO : sd_is_focus_list(n) ? K_FOCUS : K_ITEM;
        break;
    case SD_ROLE_GOAL:
        li->kind = K_GOAL;
        li->goal = role->ref->goal;
        break;
    case SD_ROLE_FURNITURE: li->kind = K_FURN; break;
    }
}

/* A furniture kind in words; a rule file's own kind by its name. */
static const char *furniture_name(const sd_furniture *f) {
    static const char *const names[SD_FURNITURE__COUNT] = {
        [SD_FURNITURE_PAGE_NUMBER] = "sidnummer",
        [SD_FURNITURE_PAGE_BREAK] = "sidbrytning",
        [SD_FURNITURE_RUNNING_HEADER] = "löpande sidhuvud",
        [SD_FURNITURE_RUNNING_FOOTER] = "löpande sidfot",
        [SD_FURNITURE_NAVIGATION] = "navigering (rester av en webbsida)",
        [SD_FURNITURE_FILE_NAME] = "filnamn (från en konverterare)",
        [SD_FURNITURE_SERIES_LABEL] = "serieetikett",
        [SD_FURNITURE_UNDERLINE] = "understrykning under en rubrik",
        [SD_FURNITURE_FRONT_MATTER] = "metadatablock från en konverterare",
    };
    if (names[f->kind]) return names[f->kind];
    return f->name ? f->name : "okänt slag";
}

/* The element a line became, in words, for its tooltip. */
static void describe_element(sd_buf *b, const line_info *li, const sd_doc *doc) {
    const sd_line_role *role = li->role;
    const sd_node *n = role->node;
    size_t of;
    switch (role->kind) {
    case SD_ROLE_NONE: put(b, "inget element"); return;
    case SD_ROLE_TITLE:
        put(b, "titel: «");
        esc(b, doc->title);
        put(b, "»");
        break;
    case SD_ROLE_HEADING:
        putf(b, "rubrik, nivå %d", n->level);
        if (n->number) put(b, ", nummer "), esc(b, n->number);
        put(b, ": «");
        esc(b, n->text);
        put(b, "»");
        break;
    case SD_ROLE_BLOCK:
        switch (n->kind) {
        case SD_NODE_PARAGRAPH: put(b, "stycke"); break;
        case SD_NODE_LIST:
            put(b, "listintro");
            if (sd_is_focus_list(n))
                put(b, " (fokusområden)");
            else if (n->role)
                put(b, " ("), esc(b, n->role), put(b, ")");
            break;
        case SD_NODE_GOALS: put(b, "intro till målreferenser"); break;
        case SD_NODE_TOC: put(b, "innehållsförteckning"); break;
        case SD_NODE_TITLE: put(b, "titel"); break;
        case SD_NODE_SECTION:
        case SD_NODE_ROOT: put(b, "avsnitt"); break;
        }
        break;
    case SD_ROLE_ITEM: {
        size_t at = sd_list_item_position(n, role->item, &of);
        if (n->kind == SD_NODE_TOC) {
            putf(b, "post %zu av %zu i innehållsförteckningen", at, of);
            break;
        }
        putf(b, "%s %zu av %zu: «", li->kind == K_FOCUS ? "fokusområde" : "listpunkt", at, of);
        esc(b, role->item->text);
        put(b, "»");
        break;
    }
    case SD_ROLE_GOAL:
        putf(b, "målreferens: mål %d", role->ref->goal);
        if (role->ref->title) put(b, " «"), esc(b, role->ref->title), put(b, "»");
        break;
    case SD_ROLE_FURNITURE:
        put(b, "sidelement: ");
        esc(b, furniture_name(&doc->furniture[role->furniture]));
        break;
    }
    if (li->a > 0 && li->b > li->a)
        putf(b, " (rad %u\xE2\x80\x93%u)", li->a, li->b);
    else if (li->a > 0)
        putf(b, " (rad %u)", li->a);
}

/* ---- warnings, in Swedish ---------------------------------------------- */

/* The library words its warnings in English (they are part of the JSON
 * output).  The page speaks Swedish: each code has a name, and each of its
 * messages a Swedish form.  `en` is the English message with {1}, {2}, ...
 * where it names a value; `sv` says the same with the values put back.  A
 * message no entry matches (a new wording) is shown with its code's
 * Swedish name and as written, never dropped. */
static const struct warning_text {
    const char *code, *en, *sv;
} warning_texts[] = {
    {"goal-title-mismatch",
     "goal {1} is written \"{2}\", which is neither its official name \"{3}\" nor a known alias",
     "mål {1} är skrivet «{2}», som varken är det officiella namnet «{3}» eller ett känt "
     "alternativnamn"},
    {"unknown-target",
     "target {1} is not one of the targets of goal {2}; it is not taken as a reference",
     "delmål {1} är inte ett av delmålen för mål {2} och räknas inte som en referens"},
    {"mojibake-repaired",
     "{1} line held UTF-8 that had been read as windows-1252 and saved again (\"Ã¥\" for "
     "\"å\"); repaired",
     "{1} rad innehöll UTF-8 som hade lästs som windows-1252 och sparats igen (»Ã¥« för »å«); "
     "raden är lagad"},
    {"mojibake-repaired",
     "{1} lines held UTF-8 that had been read as windows-1252 and saved again (\"Ã¥\" for "
     "\"å\"); repaired",
     "{1} rader innehöll UTF-8 som hade lästs som windows-1252 och sparats igen (»Ã¥« för "
     "»å«); raderna är lagade"},
    {"undecodable-bytes", "{1} undecodable byte sequence replaced by U+FFFD, at byte offset {2}",
     "{1} bytesekvens som inte kunde avkodas är ersatt med U+FFFD, vid byte {2}"},
    {"undecodable-bytes", "{1} undecodable byte sequences replaced by U+FFFD, at byte offsets {2}",
     "{1} bytesekvenser som inte kunde avkodas är ersatta med U+FFFD, vid byte {2}"},
};

static const struct warning_name {
    const char *code, *sv;
} warning_names[] = {
    {"goal-title-mismatch", "avvikande målnamn"},
    {"unknown-target", "okänt delmål"},
    {"mojibake-repaired", "lagad teckenkodning"},
    {"undecodable-bytes", "tecken som inte kunde avkodas"},
};

static const char *warning_name(const char *code) {
    for (size_t i = 0; i < sizeof warning_names / sizeof warning_names[0]; i++)
        if (!strcmp(code, warning_names[i].code)) return warning_names[i].sv;
    return NULL;
}

#define WARNING_VALUES 4

/* Matches `text` against the pattern `en` ({N} stands for any text, the
 * shortest that lets the rest match); on a match, values[N - 1] holds
 * where each {N} is in `text`. */
static int match_message(const char *en, const char *text, const char *value_at[WARNING_VALUES],
                         size_t value_len[WARNING_VALUES]) {
    if (!*en) return !*text;
    if (en[0] == '{' && en[1] >= '1' && en[1] < '1' + WARNING_VALUES && en[2] == '}') {
        int k = en[1] - '1';
        for (const char *end = text; *end; end++) {
            if (end == text) continue; /* a value is never empty */
            if (match_message(en + 3, end, value_at, value_len)) {
                value_at[k] = text;
                value_len[k] = (size_t)(end - text);
                return 1;
            }
        }
        /* The value may run to the end of the text. */
        if (!en[3] && *text) {
            value_at[k] = text;
            value_len[k] = strlen(text);
            return 1;
        }
        return 0;
    }
    return *text == *en && match_message(en + 1, text + 1, value_at, value_len);
}

/* A warning's message in Swedish, escaped. */
static void put_warning_message(sd_buf *b, const sd_warning *w) {
    for (size_t i = 0; i < sizeof warning_texts / sizeof warning_texts[0]; i++) {
        const struct warning_text *t = &warning_texts[i];
        const char *at[WARNING_VALUES] = {0};
        size_t len[WARNING_VALUES] = {0};
        if (strcmp(t->code, w->code) || !match_message(t->en, w->message, at, len)) continue;
        for (const char *s = t->sv; *s;) {
            int k = s[0] == '{' && s[1] >= '1' && s[1] < '1' + WARNING_VALUES && s[2] == '}'
                        ? s[1] - '1'
                        : -1;
            if (k >= 0 && at[k]) {
                sd_html_escape(b, at[k], len[k]);
                s += 3;
                continue;
            }
            const char *next = strchr(s + 1, '{');
            size_t n = next ? (size_t)(next - s) : strlen(s);
            sd_html_escape(b, s, n);
            s += n;
        }
        return;
    }
    put(b, "(meddelandet finns bara på engelska) ");
    esc(b, w->message);
}

/* The warning's kind: its Swedish name, with the code as a tooltip. */
static void put_warning_kind(sd_buf *b, const sd_warning *w) {
    const char *name = warning_name(w->code);
    put(b, "<span class=\"wcode\" data-code=\"");
    esc(b, w->code);
    put(b, "\" title=\"");
    esc(b, w->code);
    put(b, "\">");
    if (name)
        put(b, name);
    else
        put(b, "<code>"), esc(b, w->code), put(b, "</code>");
    put(b, "</span>");
}

/* Warnings by line: the lines each covers, and the ones that end on a line
 * (their message is shown under it). */
typedef struct warning_index {
    const sd_warning *warnings;
    size_t count;
    unsigned char *covered; /* by line number */
    long *first_ending;     /* by line number: a warning ending there, or -1 */
    long *next_ending;      /* by warning: the next one ending on the same line */
} warning_index;

static void warning_index_build(warning_index *w, const sd_doc *doc, size_t nlines) {
    w->warnings = doc->warnings;
    w->count = doc->warning_count;
    w->covered = sd_xcalloc(nlines + 2, 1);
    w->first_ending = sd_xmalloc((nlines + 2) * sizeof *w->first_ending);
    w->next_ending = sd_xmalloc((w->count + 1) * sizeof *w->next_ending);
    for (size_t i = 0; i < nlines + 2; i++) w->first_ending[i] = -1;
    /* Backwards, so that each line's list is in document order. */
    for (size_t k = w->count; k-- > 0;) {
        uint32_t a = w->warnings[k].first, b = w->warnings[k].last;
        if (a < 1) a = 1;
        if (b > nlines) b = (uint32_t)nlines;
        w->next_ending[k] = -1;
        if (a > b) continue;
        for (uint32_t l = a; l <= b; l++) w->covered[l] = 1;
        w->next_ending[k] = w->first_ending[b];
        w->first_ending[b] = (long)k;
    }
}

static void warning_index_free(warning_index *w) {
    free(w->covered);
    free(w->first_ending);
    free(w->next_ending);
}

/* The legend, with the number of lines of each kind. */
static void write_legend(sd_buf *b, const line_info *info, size_t n, const warning_index *w) {
    size_t counts[sizeof legend / sizeof legend[0]] = {0}, warned = 0;
    for (size_t i = 0; i < n; i++) {
        if (info[i].kind != K_BLANK) counts[legend_index(&info[i])]++;
        uint32_t line = info[i].line->number;
        if (line >= 1 && line <= n && w->covered[line]) warned++;
    }
    put(b, "<ul class=\"legend\" aria-label=\"Teckenförklaring: vad raderna blev, med antal "
           "rader\">\n");
    for (size_t k = 0; k <= sizeof legend / sizeof legend[0]; k++) {
        int last =
            k == sizeof legend / sizeof legend[0]; /* warnings, which mark lines of any kind */
        size_t n_lines = last ? warned : counts[k];
        putf(b, "<li><span class=\"sw %s\" aria-hidden=\"true\">%s</span>%s <span class=\"n\">",
             last ? "k-warn" : legend[k].cls, last ? "!" : legend[k].code,
             last ? "Varning" : legend[k].label);
        put_count(b, n_lines);
        put(b, n_lines == 1 ? "<span class=\"sr\"> rad</span></span></li>\n"
                            : "<span class=\"sr\"> rader</span></span></li>\n");
    }
    put(b, "</ul>\n");
}

/* "mål 4, 8" from a line's goal numbers (a goal referenced twice on a line,
 * by two targets, is named once). */
static void put_goal_numbers(sd_buf *b, const int *goals, size_t n) {
    int seen[18] = {0}, first = 1;
    put(b, "mål");
    for (size_t k = 0; k < n; k++) {
        int goal = goals[k];
        if (goal < 1 || goal > 17 || seen[goal]++) continue;
        putf(b, "%s%d", first ? " " : ", ", goal);
        first = 0;
    }
}

static void write_line(sd_buf *b, const sd_document *d, const line_info *li, const warning_index *w,
                       const sd_text_goals *tg) {
    size_t nlines = d->table->count;
    uint32_t line = li->line->number;
    int warned = line >= 1 && line <= nlines && w->covered[line];
    if (li->kind == K_BLANK) {
        putf(b, "<li class=\"ln blank\" id=\"L%u\"><span class=\"no\">%u</span></li>\n", line,
             line);
        return;
    }
    const struct legend_entry *tint = &legend[legend_index(li)];
    putf(b, "<li class=\"ln %s%s\" id=\"L%u\" tabindex=\"0\" aria-describedby=\"T%u\"", tint->cls,
         warned ? " warn" : "", line, line);
    if (li->a > 0) putf(b, " data-a=\"%u\" data-b=\"%u\"", li->a, li->b > li->a ? li->b : li->a);
    putf(b, "><span class=\"no\">%u</span><span class=\"code\" aria-hidden=\"true\">", line);
    /* The kind is named on the first line of a paragraph or intro only;
     * headings, items, goals and furniture are one line each. */
    switch (li->kind) {
    case K_HEADING: putf(b, "R%d", li->level); break;
    case K_GOAL: putf(b, "M%d", li->goal); break;
    case K_PARA:
    case K_INTRO:
        if (li->a <= 0 || li->a == line) put(b, tint->code);
        break;
    default: put(b, tint->code);
    }
    put(b, "</span><span class=\"tx\">");
    esc_source(b, sd_line_text(d->table, li->line));
    put(b, "</span><span class=\"badges\">");
    const int *goals = tg->goals + tg->start[line];
    size_t ngoals = tg->start[line + 1] - tg->start[line];
    if (ngoals) {
        put(b, "<span class=\"gref\" title=\"Målreferenser i texten\">");
        put_goal_numbers(b, goals, ngoals);
        put(b, "</span>");
    }
    if (warned) put(b, "<span class=\"wmark\" aria-hidden=\"true\">! varning</span>");
    put(b, "</span>");

    /* The tooltip: the rule, the state, the element; read by screen readers
     * as the line's description. */
    const char *rule = li->cls->rule >= 0 ? d->rules->rules[li->cls->rule].id : NULL;
    const char *state = d->rules->state_names[li->cls->state];
    putf(b, "<span class=\"tip\" role=\"tooltip\" id=\"T%u\"><span>", line);
    if (rule)
        put(b, "Regel <code>"), esc(b, rule), put(b, "</code>");
    else
        put(b, "Ingen regel matchade");
    put(b, " i läget <code>");
    esc(b, state);
    put(b, "</code></span><span>Blev: ");
    describe_element(b, li, d->doc);
    put(b, "</span>");
    if (!rule) put(b, "<span>Varför: inget av lägets regler passade, så raden blir löptext</span>");
    if (ngoals) {
        put(b, "<span>Målreferenser i texten: ");
        put_goal_numbers(b, goals, ngoals);
        put(b, "</span>");
    }
    if (warned) {
        for (size_t k = 0; k < w->count; k++) {
            if (w->warnings[k].first <= line && line <= w->warnings[k].last) {
                put(b, "<span>Varning: ");
                put_warning_kind(b, &w->warnings[k]);
                put(b, "</span>");
            }
        }
    }
    put(b, "</span>");
    if (line >= 1 && line <= nlines) {
        for (long k = w->first_ending[line]; k >= 0; k = w->next_ending[k]) {
            const sd_warning *warning = &w->warnings[k];
            put(b, "<div class=\"wnote\" role=\"note\"><strong>Varning</strong> ");
            put_warning_kind(b, warning);
            put(b, ": ");
            put_warning_message(b, warning);
            put(b, "</div>");
        }
    }
    put(b, "</li>\n");
}

/* ---- one document: the outline ----------------------------------------- */

typedef struct counts {
    size_t sections, paragraphs, lists, items, focus;
} counts;

static size_t items_in(const sd_node *list) {
    size_t n = 0;
    for (const sd_item *it = list->items; it; it = it->next) n += it->depth == 0;
    return n;
}

/* Sections, paragraphs, lists and items (sub-items are part of their item)
 * below `parent`. */
static void count_children(const sd_node *parent, counts *c) {
    for (const sd_node *n = parent->first_child; n; n = n->next) {
        if (n->kind == SD_NODE_SECTION) {
            c->sections++;
            count_children(n, c);
        } else if (n->kind == SD_NODE_PARAGRAPH) {
            c->paragraphs++;
        } else if (n->kind == SD_NODE_LIST) {
            size_t items = items_in(n);
            c->lists++;
            c->items += items;
            if (sd_is_focus_list(n)) c->focus += items;
        }
    }
}

static int has_sections(const sd_node *parent) {
    for (const sd_node *n = parent->first_child; n; n = n->next)
        if (n->kind == SD_NODE_SECTION) return 1;
    return 0;
}

static void write_toc(sd_buf *b, const sd_node *parent) {
    for (const sd_node *s = parent->first_child; s; s = s->next) {
        if (s->kind != SD_NODE_SECTION) continue;
        putf(b, "<li><a href=\"#L%u\">", s->first);
        if (s->number) {
            put(b, "<span class=\"num\">");
            esc(b, s->number);
            put(b, "</span> ");
        }
        esc(b, s->text);
        put(b, "</a>");
        if (has_sections(s)) {
            put(b, "\n<ol>\n");
            write_toc(b, s);
            put(b, "</ol>\n");
        }
        put(b, "</li>\n");
    }
}

/* The focus-area lists among the blocks of `section` (the root: before the
 * first heading), under its heading; *shown counts the lists written. */
static void write_focus_blocks(sd_buf *b, const sd_node *section, size_t *shown) {
    int headed = 0;
    for (const sd_node *n = section->first_child; n; n = n->next) {
        if (!sd_is_focus_list(n)) continue;
        if (!headed) {
            put(b, "<h4>");
            if (section->kind == SD_NODE_ROOT) {
                put(b, "Före första rubriken");
            } else {
                if (section->number) esc(b, section->number), put(b, " ");
                esc(b, section->text);
            }
            put(b, "</h4>\n");
            headed = 1;
        }
        if (n->intro) {
            put(b, "<p class=\"focus-intro\">");
            esc(b, n->intro);
            put(b, "</p>\n");
        }
        put(b, "<ul class=\"focus-list\">\n");
        for (const sd_item *it = n->items; it; it = it->next) {
            if (it->depth) continue; /* a sub-item is part of its item */
            putf(b, "<li><a href=\"#L%u\">", it->first);
            esc(b, it->text);
            put(b, "</a></li>\n");
        }
        put(b, "</ul>\n");
        (*shown)++;
    }
}

/* Every section's focus areas, in document order. */
static void write_focus_sections(sd_buf *b, const sd_node *parent, size_t *shown) {
    for (const sd_node *s = parent->first_child; s; s = s->next) {
        if (s->kind != SD_NODE_SECTION) continue;
        write_focus_blocks(b, s, shown);
        write_focus_sections(b, s, shown);
    }
}

static void write_meta_row(sd_buf *b, const char *name, const sd_meta *m) {
    const char *label = sd_metadata_label(name);
    put(b, "<dt>");
    if (label)
        put(b, label);
    else
        put(b, "<code>"), esc(b, name), put(b, "</code>");
    put(b, "</dt><dd>");
    if (!m || !m->value) {
        put(b, "<span class=\"none\">–<span class=\"sr\">uppgift saknas</span></span>");
    } else {
        esc(b, m->value);
        put_lines_link(b, m->first, m->last, "at");
    }
    put(b, "</dd>\n");
}

/* Every field in output order, those the document does not state too. */
static void write_metadata(sd_buf *b, const sd_doc *doc) {
    put(b, "<dl class=\"meta\">\n");
    const char *name;
    const sd_meta *m;
    for (size_t i = 0; sd_metadata_field(doc, i, &name, &m); i++) write_meta_row(b, name, m);
    put(b, "</dl>\n");
}

/* The 17 goals by their official names, the referenced ones marked, with
 * where they are referenced and any name written otherwise. */
static void write_goals(sd_buf *b, const sd_rules *rules, const sd_doc *doc) {
    size_t per_goal[18] = {0};
    for (size_t i = 0; i < doc->goal_count; i++)
        if (doc->goals[i]->goal >= 1 && doc->goals[i]->goal <= 17) per_goal[doc->goals[i]->goal]++;
    size_t hit = 0;
    for (int g = 1; g <= 17; g++) hit += per_goal[g] != 0;
    putf(b, "<p class=\"quiet\">%zu av 17 mål refereras", hit);
    if (doc->goal_count) putf(b, " (%zu referenser)", doc->goal_count);
    put(b, ".</p>\n<ol class=\"goals\">\n");
    for (int g = 1; g <= 17; g++) {
        const char *name = rules->goals[g].name;
        const sd_goal_ref *first_ref = NULL;
        for (size_t i = 0; i < doc->goal_count && !first_ref; i++)
            if (doc->goals[i]->goal == g) first_ref = doc->goals[i];
        if (!name && first_ref) name = first_ref->canonical;
        putf(b, "<li id=\"G%d\"%s><span class=\"gno\">%d</span><span class=\"gname\">", g,
             per_goal[g] ? " class=\"hit\"" : "", g);
        if (name)
            esc(b, name);
        else
            putf(b, "Mål %d", g);
        if (!per_goal[g]) {
            put(b, "<span class=\"sr\"> – refereras inte</span></span></li>\n");
            continue;
        }
        put(b, "</span><span class=\"refs\">");
        putf(b, "%zu %s: ", per_goal[g], per_goal[g] == 1 ? "referens" : "referenser");
        int first = 1;
        for (size_t i = 0; i < doc->goal_count; i++) {
            const sd_goal_ref *ref = doc->goals[i];
            if (ref->goal != g) continue;
            if (!first) put(b, ", ");
            first = 0;
            putf(b, "<a href=\"#L%u\">", ref->line);
            if (ref->indicator)
                put(b, "indikator "), esc(b, ref->indicator), put(b, ", ");
            else if (ref->target)
                put(b, "delmål "), esc(b, ref->target), put(b, ", ");
            putf(b, "rad %u</a>", ref->line);
        }
        put(b, "</span>");
        /* Each goal name written otherwise than the official one, once (a
         * target's or indicator's title names the target, not the goal). */
        for (size_t i = 0; i < doc->goal_count; i++) {
            const sd_goal_ref *ref = doc->goals[i];
            const char *title = ref->title;
            if (ref->goal != g || ref->target || ref->indicator) continue;
            if (!title || (name && !strcmp(title, name))) continue;
            int seen = 0;
            for (size_t k = 0; k < i && !seen; k++)
                seen = doc->goals[k]->goal == g && doc->goals[k]->title &&
                       !strcmp(doc->goals[k]->title, title);
            if (seen) continue;
            int matches = sd_goal_title_matches(rules, g, title);
            put(b,
                matches ? "<span class=\"alias\">Skrivet «" : "<span class=\"mismatch\">Skrivet «");
            esc(b, title);
            putf(b, "» (rad %u): %s</span>", ref->line,
                 matches ? "ett godtaget alternativnamn"
                         : "stämmer inte med det officiella namnet");
        }
        put(b, "</li>\n");
    }
    put(b, "</ol>\n");
}

/* The first title block's lines (0 when there is none). */
static void title_lines(const sd_doc *doc, uint32_t *a, uint32_t *b) {
    *a = *b = 0;
    for (const sd_node *n = doc->root.first_child; n; n = n->next)
        if (n->kind == SD_NODE_TITLE) {
            *a = n->first;
            *b = n->last;
            return;
        }
}

sd_status sd_render_review(const sd_document *d, sd_buf *b, sd_error *err) {
    (void)err;
    const sd_doc *doc = d->doc;
    const sd_source_info *source = &d->source;
    const char *title = doc->title, *name = source->name;
    size_t nlines = d->table->count;

    uint32_t title_a, title_b;
    title_lines(doc, &title_a, &title_b);
    line_info *info = sd_xcalloc(nlines ? nlines : 1, sizeof *info);
    for (size_t i = 0; i < nlines; i++) {
        info[i].line = &d->table->lines[i];
        info[i].cls = &d->classes[i];
        info[i].role = &doc->roles[i];
        classify_line(&info[i], title_a, title_b);
    }
    warning_index w;
    warning_index_build(&w, doc, nlines);
    sd_text_goals tg;
    sd_text_goals_build(&tg, doc, nlines);

    char *page_title = sd_strdup_printf("Granskning: %s", title ? title : name ? name : "");
    page_start(b, page_title, source->sha256, style_document);
    free(page_title);

    /* The header: what the page is about, and the counts. */
    put(b, "<a class=\"skip\" href=\"#outline\">Hoppa till översikten</a>\n"
           "<header class=\"top\"><div class=\"wrap\">\n");
    putf(b, "<p class=\"kicker\">Granskningssida · styrdok %s</p>\n<h1>", SD_VERSION);
    if (title)
        esc(b, title);
    else
        put(b, "(ingen titel) "), esc(b, name);
    put(b, "</h1>\n<dl class=\"facts\">\n<div><dt>Källa</dt><dd>");
    esc(b, name);
    put(b, "</dd></div>\n<div><dt>Kodning</dt><dd>");
    esc(b, source->encoding);
    put(b, source->encoding_detected ? " (upptäckt)" : " (angiven)");
    put(b, "</dd></div>\n<div><dt>Storlek</dt><dd>");
    put_count(b, source->bytes);
    put(b, " byte</dd></div>\n<div><dt>Rader</dt><dd>");
    put_count(b, source->lines);
    put(b, "</dd></div>\n<div><dt>SHA-256</dt><dd class=\"hash\">");
    esc(b, source->sha256);
    put(b, "</dd></div>\n</dl>\n");

    counts c = {0};
    count_children(&doc->root, &c);
    int distinct[18] = {0};
    size_t ndistinct = 0;
    for (size_t i = 0; i < doc->goal_count; i++) {
        int g = doc->goals[i]->goal;
        if (g >= 1 && g <= 17 && !distinct[g]++) ndistinct++;
    }
    struct {
        size_t n;
        const char *one, *many;
    } facts[] = {
        {c.sections, "rubrik", "rubriker"},
        {c.paragraphs, "stycke", "stycken"},
        {c.lists, "lista", "listor"},
        {c.items, "listpunkt", "listpunkter"},
        {c.focus, "fokusområde", "fokusområden"},
        {doc->goal_count, "målreferens", "målreferenser"},
        {ndistinct, "av 17 mål", "av 17 mål"},
        {doc->furniture_count, "sidelement", "sidelement"},
    };
    put(b, "<ul class=\"counts\" aria-label=\"Antal\">\n");
    for (size_t k = 0; k < sizeof facts / sizeof facts[0]; k++) {
        put(b, "<li><b>");
        put_count(b, facts[k].n);
        putf(b, "</b> %s</li>\n", facts[k].n == 1 ? facts[k].one : facts[k].many);
    }
    putf(b, "<li%s><b>", w.count ? " class=\"alert\"" : "");
    put_count(b, w.count);
    putf(b, "</b> %s</li>\n</ul>\n</div></header>\n", w.count == 1 ? "varning" : "varningar");

    /* The source, line by line. */
    put(b, "<main class=\"panes\" id=\"main\">\n<section class=\"card source\" "
           "aria-labelledby=\"h-src\">\n"
           "<h2 id=\"h-src\">Källtext</h2>\n"
           "<p class=\"hint\">Varje rad är färgad efter vad den blev. Peka på en rad eller flytta "
           "fokus till den (<kbd>Tab</kbd>, sedan <kbd>↑</kbd> <kbd>↓</kbd>) för att se regeln och "
           "elementet. Sidelement är sidnummer, sidhuvuden och rester av webbsidor; oklassificerad "
           "är en rad ingen regel matchade.</p>\n");
    write_legend(b, info, nlines, &w);
    put(b, "<ol class=\"src\" aria-label=\"Källtextens rader\">\n");
    for (size_t i = 0; i < nlines; i++) write_line(b, d, &info[i], &w, &tg);
    put(b, "</ol>\n</section>\n");

    /* The outline. */
    put(b, "<aside class=\"card outline\" id=\"outline\" aria-labelledby=\"h-outline\" "
           "tabindex=\"-1\">\n"
           "<h2 id=\"h-outline\">Översikt</h2>\n<h3>Titel</h3>\n<p class=\"doc-title\">");
    if (title && title_a > 0) {
        putf(b, "<a href=\"#L%u\">", title_a);
        esc(b, title);
        put(b, "</a>");
    } else if (title) {
        esc(b, title);
    } else {
        put(b, "<span class=\"quiet\">Reglerna hittade ingen titel.</span>");
    }
    put(b, "</p>\n<h3>Metadata</h3>\n");
    write_metadata(b, doc);

    put(b, "<h3 id=\"h-toc\">Innehåll</h3>\n");
    if (has_sections(&doc->root)) {
        put(b, "<nav aria-labelledby=\"h-toc\"><ol class=\"toc\">\n");
        write_toc(b, &doc->root);
        put(b, "</ol></nav>\n");
    } else {
        put(b, "<p class=\"quiet\">Inga rubriker.</p>\n");
    }

    put(b, "<h3>Fokusområden</h3>\n");
    size_t shown = 0;
    write_focus_blocks(b, &doc->root, &shown);
    write_focus_sections(b, &doc->root, &shown);
    if (!shown) put(b, "<p class=\"quiet\">Inga listor med fokusområden.</p>\n");

    put(b, "<h3>Agenda 2030</h3>\n");
    write_goals(b, d->rules, doc);

    put(b, "<h3>Varningar</h3>\n");
    if (!w.count)
        put(b, "<p class=\"quiet\">Inga varningar.</p>\n");
    else
        put(b, "<ul class=\"warnings\">\n");
    for (size_t i = 0; i < w.count; i++) {
        const sd_warning *warning = &w.warnings[i];
        put(b, "<li>");
        put_lines_link(b, warning->first, warning->last, "");
        put(b, " ");
        put_warning_kind(b, warning);
        put(b, ": ");
        put_warning_message(b, warning);
        put(b, "</li>\n");
    }
    if (w.count) put(b, "</ul>\n");
    put(b, "</aside>\n</main>\n");
    putf(b,
         "<footer>Skapad av styrdok %s ur samma läsning av dokumentet som <code>styrdok "
         "extract</code> och <code>styrdok explain</code> ger.</footer>\n",
         SD_VERSION);
    put(b, "<script>\n");
    put_all(b, script_document);
    put(b, "</script>\n</body>\n</html>\n");

    sd_text_goals_free(&tg);
    warning_index_free(&w);
    free(info);
    return SD_OK;
}

sd_status sd_report(sd_extractor *ex, const char *name, const unsigned char *bytes, size_t len,
                    char **html, sd_error *err) {
    *html = NULL;
    const sd_document *d;
    sd_status rc = sd_extract_document(ex, name, bytes, len, &d, err);
    if (rc) return rc;
    return sd_render(d, SD_RENDER_REVIEW, 0, html, NULL, err);
}

/* ---- a batch run's summary ---------------------------------------------- */

typedef struct doc_row {
    json_t *row; /* the manifest row (borrowed from the array) */
    char *title, *type, *organisation;
    unsigned goals; /* bit g: goal g is referenced */
    char *rel_json; /* the output relative to OUTDIR, or NULL */
    char *rel_html; /* the page relative to OUTDIR, or NULL */
    char *note;     /* why the document or its page is missing */
} doc_row;

static char *dup_or_null(const char *s) { return s ? sd_xstrdup(s) : NULL; }

/* `output` relative to `outdir` (the manifest names outputs as OUTDIR/REL). */
static const char *relative_to(const char *output, const char *outdir) {
    size_t n = strlen(outdir);
    if (n && !strncmp(output, outdir, n) && (output[n] == '/' || outdir[n - 1] == '/')) {
        output += n;
        while (*output == '/') output++;
    }
    return output;
}

/* NAME.json -> NAME.html (any other name gets .html added). */
static char *page_path_for(const char *json_path) {
    size_t n = strlen(json_path);
    if (n > 5 && !strcmp(json_path + n - 5, ".json")) n -= 5;
    char *p = sd_xmalloc(n + 6);
    memcpy(p, json_path, n);
    memcpy(p + n, ".html", 6);
    return p;
}

/* An earlier page stands when it was made from the same input bytes by this
 * version of styrdok (the rules cannot have changed: then the batch redid
 * every input, and no row is reused). */
static int page_is_current(const char *path, const char *sha) {
    char head[2049];
    if (!sd_read_head(path, head, sizeof head)) return 0;
    char want[160];
    snprintf(want, sizeof want, "<meta name=\"" SD_REPORT_SHA_META "\" content=\"%s\">", sha);
    char version[64];
    snprintf(version, sizeof version, "<meta name=\"generator\" content=\"styrdok %s\">",
             SD_VERSION);
    return strstr(head, want) && strstr(head, version);
}

/* Writes a page whole or not at all, even when the run is killed. */
static sd_status write_whole(const char *path, const char *data, size_t len, sd_error *err) {
    int error = sd_write_file_whole(path, data, len, 0);
    if (!error) return SD_OK;
    return sd_error_set(err, SD_ERR_IO, path, 0, 0, -1, "cannot write the page: %s",
                        strerror(error));
}

/* `html` with a link back to OUTDIR/report.html at the top of its body, for
 * the page of OUTDIR/`rel` (a batch page; `styrdok report` has no summary). */
static char *with_back_link(const char *html, const char *rel) {
    const char *body = strstr(html, "<body>\n");
    sd_buf out = {0};
    if (!body) {
        put(&out, html);
        return out.data;
    }
    body += strlen("<body>\n");
    sd_buf_append(&out, html, (size_t)(body - html));
    put(&out, "<nav class=\"back\" aria-label=\"Batchkörningen\"><a href=\"");
    for (const char *p = rel; (p = strchr(p, '/')) != NULL; p++) put(&out, "../");
    put(&out, "report.html\">← Sammanställning av batchkörningen</a></nav>\n");
    put(&out, body);
    return out.data;
}

/* The page of one document of the batch, beside its JSON.  A reason in
 * *note when there is none; SD_ERR_IO only when it cannot be written. */
static sd_status batch_page(sd_extractor *ex, doc_row *d, const char *output, sd_error *err) {
    const char *input = jstr(d->row, "input"), *sha = jstr(d->row, "sha256");
    char *path = page_path_for(output);
    sd_status rc = SD_OK;
    if (json_is_true(json_object_get(d->row, "reused")) && sha && page_is_current(path, sha)) {
        free(path);
        return SD_OK;
    }
    unsigned char *bytes = NULL;
    size_t len = 0;
    sd_error local;
    memset(&local, 0, sizeof local);
    char hex[65] = "";
    if (!input || sd_read_file_max(input, ex->limits.max_input_bytes, &bytes, &len, &local)) {
        d->note =
            sd_strdup_printf("ingen granskningssida: %s", input ? local.text : "indata saknas");
    } else if (sd_sha256(bytes, len, hex), !sha || strcmp(hex, sha) != 0) {
        d->note = sd_xstrdup("ingen granskningssida: indatafilen har ändrats sedan körningen");
    } else {
        char *html = NULL;
        if (sd_report(ex, input, bytes, len, &html, &local)) {
            d->note = sd_strdup_printf("ingen granskningssida: %s", local.text);
        } else {
            char *page = with_back_link(html, d->rel_json);
            rc = write_whole(path, page, strlen(page), err);
            free(page);
        }
        free(html);
    }
    free(bytes);
    free(path);
    return rc;
}

/* Reads what the summary shows of one document from its JSON. */
static void read_document(doc_row *d, const char *output) {
    json_error_t jerr;
    json_t *doc = json_load_file(output, 0, &jerr);
    if (!doc) {
        d->note = sd_strdup_printf("dokumentet kan inte läsas: %s", jerr.text);
        return;
    }
    json_t *metadata = json_object_get(doc, "metadata");
    d->title = dup_or_null(jstr(doc, "title"));
    d->type = dup_or_null(jstr(json_object_get(metadata, "document_type"), "value"));
    d->organisation = dup_or_null(jstr(json_object_get(metadata, "organisation"), "value"));
    size_t i;
    json_t *ref;
    json_array_foreach(json_object_get(doc, "goals"), i, ref) {
        long long g = jint(ref, "goal");
        if (g >= 1 && g <= 17) d->goals |= 1u << g;
    }
    json_decref(doc);
}

/* Counts of a text field over the documents, for "by type" and "by
 * organisation": most frequent first, unknown last. */
typedef struct tally {
    const char *name; /* NULL: unknown */
    size_t n;
} tally;

static int tally_order(const void *x, const void *y) {
    const tally *a = x, *b = y;
    if (!a->name != !b->name) return a->name ? -1 : 1;
    if (a->n != b->n) return a->n > b->n ? -1 : 1;
    return a->name ? strcmp(a->name, b->name) : 0;
}

static void write_tally(sd_buf *b, const doc_row *docs, size_t n, int organisation,
                        const char *caption, const char *column) {
    tally *t = sd_xcalloc(n + 1, sizeof *t);
    size_t kinds = 0;
    for (size_t i = 0; i < n; i++) {
        if (!docs[i].rel_json) continue;
        const char *name = organisation ? docs[i].organisation : docs[i].type;
        size_t k = 0;
        while (k < kinds && !(t[k].name == name || (t[k].name && name && !strcmp(t[k].name, name))))
            k++;
        if (k == kinds) t[kinds++].name = name;
        t[k].n++;
    }
    qsort(t, kinds, sizeof *t, tally_order);
    putf(
        b,
        "<div class=\"scroll\"><table>\n<caption>%s</caption>\n<thead><tr><th scope=\"col\">%s</th>"
        "<th scope=\"col\" class=\"num\">Dokument</th></tr></thead>\n<tbody>\n",
        caption, column);
    for (size_t k = 0; k < kinds; k++) {
        put(b, "<tr><td>");
        if (t[k].name)
            esc(b, t[k].name);
        else
            put(b, "<span class=\"quiet\">(anges inte)</span>");
        put(b, "</td><td class=\"num\">");
        put_count(b, t[k].n);
        put(b, "</td></tr>\n");
    }
    if (!kinds) put(b, "<tr><td colspan=\"2\" class=\"quiet\">Inga dokument.</td></tr>\n");
    put(b, "</tbody>\n</table></div>\n");
    free(t);
}

/* The bar chart: how many documents reference each goal, as inline SVG,
 * with the same numbers as a table (with the names) behind a disclosure. */
static void write_chart(sd_buf *b, const sd_rules *rules, const doc_row *docs, size_t n) {
    size_t per_goal[18] = {0}, max = 0, ndocs = 0;
    for (size_t i = 0; i < n; i++) {
        if (!docs[i].rel_json) continue;
        ndocs++;
        for (int g = 1; g <= 17; g++)
            if (docs[i].goals & (1u << g)) per_goal[g]++;
    }
    for (int g = 1; g <= 17; g++)
        if (per_goal[g] > max) max = per_goal[g];
    /* A grid step of 1, 2 or 5 times a power of ten: at most five lines. */
    size_t step = 1;
    for (size_t mult = 1; max / step > 5;) {
        if (step == mult)
            step = 2 * mult;
        else if (step == 2 * mult)
            step = 5 * mult;
        else
            mult *= 10, step = mult;
    }
    size_t top = max ? ((max + step - 1) / step) * step : 1;
    /* One row a goal, named by number and official name (long names need
     * the width a row gives them), the bar to the right of its name. */
    const double width = 760, left = 330, right = 36, upper = 10, row = 22, lower = 40;
    const double plot_w = width - left - right, plot_h = row * 17, height = upper + plot_h + lower;
    const double bar = row * 0.64;
    putf(b,
         "<figure class=\"chart\" style=\"margin:0\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
         "viewBox=\"0 0 %.0f %.0f\" role=\"img\" aria-labelledby=\"chart-title chart-desc\">\n",
         width, height);
    put(b, "<title id=\"chart-title\">Dokument som refererar varje mål i Agenda 2030</title>\n");
    putf(b,
         "<desc id=\"chart-desc\">Stapeldiagram över de 17 målen, av %zu dokument. Samma siffror "
         "finns i tabellen under diagrammet.</desc>\n",
         ndocs);
    for (size_t v = 0; v <= top; v += step) {
        double x = left + plot_w * (double)v / (double)top;
        putf(b,
             "<line class=\"%s\" x1=\"%.1f\" x2=\"%.1f\" y1=\"%.1f\" y2=\"%.1f\"/>"
             "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%zu</text>\n",
             v ? "grid" : "axis", x, x, upper, upper + plot_h, x, upper + plot_h + 16, v);
    }
    for (int g = 1; g <= 17; g++) {
        double w = plot_w * (double)per_goal[g] / (double)top;
        double y = upper + row * (g - 1) + (row - bar) / 2;
        const char *name = rules ? rules->goals[g].name : NULL;
        putf(b,
             "<g><text class=\"name\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
             "<tspan class=\"v\">%d</tspan> ",
             left - 8, y + bar / 2 + 4, g);
        if (name)
            esc(b, name);
        else
            putf(b, "Mål %d", g);
        putf(b,
             "</text><rect class=\"bar\" data-goal=\"%d\" data-count=\"%zu\" x=\"%.1f\" "
             "y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>Mål %d",
             g, per_goal[g], left, y, w, bar, g);
        if (name) put(b, " "), esc(b, name);
        putf(b, ": %zu dokument</title></rect>", per_goal[g]);
        putf(b, "<text class=\"v\" x=\"%.1f\" y=\"%.1f\">%zu</text></g>\n", left + w + 5,
             y + bar / 2 + 4, per_goal[g]);
    }
    putf(b, "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">Dokument</text>\n",
         left + plot_w / 2, height - 4);
    put(b, "</svg>\n<figcaption class=\"quiet\">Antal dokument som refererar målet minst en gång "
           "(rubrik, lista, mållista eller löptext).</figcaption>\n</figure>\n");
    put(b, "<details>\n<summary>Visa som tabell</summary>\n<div class=\"scroll\"><table>\n"
           "<thead><tr><th scope=\"col\" class=\"num\">Mål</th><th scope=\"col\">Namn</th>"
           "<th scope=\"col\" class=\"num\">Dokument</th></tr></thead>\n<tbody>\n");
    for (int g = 1; g <= 17; g++) {
        const char *name = rules ? rules->goals[g].name : NULL;
        putf(b, "<tr><td class=\"num\">%d</td><td>", g);
        esc(b, name);
        putf(b, "</td><td class=\"num\">%zu</td></tr>\n", per_goal[g]);
    }
    put(b, "</tbody>\n</table></div>\n</details>\n");
}

static void write_batch_page(sd_buf *b, const sd_rules *rules, const char *outdir, doc_row *docs,
                             size_t n) {
    size_t ok = 0, reused = 0, failed = 0, skipped = 0;
    unsigned long long warnings = 0, bytes = 0;
    for (size_t i = 0; i < n; i++) {
        const char *status = jstr(docs[i].row, "status");
        if (status && !strcmp(status, "ok")) {
            ok++;
            reused += json_is_true(json_object_get(docs[i].row, "reused"));
            warnings += (unsigned long long)jint(docs[i].row, "warnings");
            bytes += (unsigned long long)jint(docs[i].row, "bytes");
        } else if (status && !strcmp(status, "failed")) {
            failed++;
        } else {
            skipped++;
        }
    }
    page_start(b, "Batchkörning: sammanställning", NULL, style_batch);
    put(b, "<a class=\"skip\" href=\"#documents\">Hoppa till dokumenten</a>\n"
           "<header class=\"top\"><div class=\"wrap\">\n");
    putf(b, "<p class=\"kicker\">Batchkörning · styrdok %s</p>\n<h1>Sammanställning</h1>\n",
         SD_VERSION);
    put(b, "<dl class=\"facts\">\n<div><dt>Utdatakatalog</dt><dd>");
    esc(b, outdir);
    put(b, "</dd></div>\n<div><dt>Manifest</dt><dd><a "
           "href=\"manifest.jsonl\">manifest.jsonl</a></dd></div>\n"
           "<div><dt>Indata</dt><dd>");
    put_count(b, n);
    put(b, n == 1 ? " fil" : " filer");
    put(b, "</dd></div>\n<div><dt>Läst</dt><dd>");
    put_count(b, bytes);
    put(b, " byte</dd></div>\n</dl>\n</div></header>\n<main class=\"stack\" id=\"main\">\n");

    /* Status. */
    put(b,
        "<section class=\"card\" aria-labelledby=\"h-status\">\n<h2 id=\"h-status\">Status</h2>\n"
        "<ul class=\"stats\">\n");
    put(b, "<li class=\"s-ok\" id=\"count-ok\"><b>");
    put_count(b, ok);
    put(b, "</b><span>klara");
    if (reused) put(b, " (varav "), put_count(b, reused), put(b, " återanvända)");
    put(b, "</span></li>\n<li class=\"s-failed\" id=\"count-failed\"><b>");
    put_count(b, failed);
    put(b, "</b><span>misslyckade</span></li>\n<li class=\"s-skipped\" id=\"count-skipped\"><b>");
    put_count(b, skipped);
    put(b, "</b><span>överhoppade</span></li>\n<li class=\"s-warn\" id=\"count-warnings\"><b>");
    put_count(b, warnings);
    put(b, "</b><span>varningar i dokumenten</span></li>\n</ul>\n");
    if (failed || skipped) {
        put(b, "<div class=\"scroll\"><table id=\"failures\">\n<caption>Misslyckade och överhoppade"
               "</caption>\n<thead><tr><th scope=\"col\">Indata</th><th scope=\"col\">Status</th>"
               "<th scope=\"col\">Meddelande</th></tr></thead>\n<tbody>\n");
        for (size_t i = 0; i < n; i++) {
            const char *status = jstr(docs[i].row, "status");
            if (status && !strcmp(status, "ok")) continue;
            int is_failed = status && !strcmp(status, "failed");
            put(b, "<tr><td class=\"msg input\">");
            esc(b, jstr(docs[i].row, "input"));
            putf(b, "</td><td><span class=\"status %s\">%s</span></td><td class=\"msg\">",
                 is_failed ? "failed" : "skipped", is_failed ? "misslyckad" : "överhoppad");
            esc(b, jstr(docs[i].row, "error"));
            put(b, "</td></tr>\n");
        }
        put(b, "</tbody>\n</table></div>\n");
    } else {
        put(b, "<p class=\"quiet\">Inga indata misslyckades eller hoppades över.</p>\n");
    }
    put(b, "</section>\n");

    put(b, "<section class=\"card\" aria-labelledby=\"h-goals\">\n<h2 id=\"h-goals\">Agenda "
           "2030</h2>\n");
    write_chart(b, rules, docs, n);
    put(b, "</section>\n");

    put(b, "<section class=\"card\" aria-labelledby=\"h-kinds\">\n<h2 id=\"h-kinds\">Dokumenttyper "
           "och organisationer</h2>\n<div class=\"grid2\">\n");
    write_tally(b, docs, n, 0, "Efter dokumenttyp", "Dokumenttyp");
    write_tally(b, docs, n, 1, "Efter organisation", "Organisation");
    put(b, "</div>\n</section>\n");

    /* Every document, with links to its JSON and page. */
    put(b, "<section class=\"card\" id=\"documents\" aria-labelledby=\"h-docs\" tabindex=\"-1\">\n"
           "<h2 id=\"h-docs\">Dokument</h2>\n");
    if (!ok)
        put(b, "<p class=\"quiet\">Inga dokument.</p>\n");
    else
        put(b, "<div class=\"scroll\"><table>\n<thead><tr><th scope=\"col\">Dokument</th>"
               "<th scope=\"col\">Typ</th><th scope=\"col\">Organisation</th>"
               "<th scope=\"col\">Mål</th><th scope=\"col\" class=\"num\">Varningar</th>"
               "<th scope=\"col\">Filer</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; ok && i < n; i++) {
        const doc_row *d = &docs[i];
        if (!d->rel_json) continue;
        put(b, "<tr><td>");
        if (d->title)
            esc(b, d->title);
        else
            put(b, "<span class=\"quiet\">(ingen titel)</span>");
        put(b, "<span class=\"path\">");
        esc(b, jstr(d->row, "input"));
        put(b, "</span>");
        if (d->note) put(b, "<span class=\"quiet\">"), esc(b, d->note), put(b, "</span>");
        put(b, "</td><td>");
        esc(b, d->type);
        put(b, "</td><td>");
        esc(b, d->organisation);
        put(b, "</td><td><span class=\"chips\">");
        for (int g = 1; g <= 17; g++)
            if (d->goals & (1u << g))
                putf(b, "<span class=\"chip\" title=\"Mål %d\">%d</span>", g, g);
        put(b, "</span></td><td class=\"num\">");
        put_count(b, (unsigned long long)jint(d->row, "warnings"));
        put(b, "</td><td class=\"links\"><a href=\"");
        sd_html_url_path(b, d->rel_json);
        put(b, "\">JSON</a>");
        if (d->rel_html) {
            put(b, "<a href=\"");
            sd_html_url_path(b, d->rel_html);
            put(b, "\">Granskningssida</a>");
        }
        put(b, "</td></tr>\n");
    }
    if (ok) put(b, "</tbody>\n</table></div>\n");
    put(b, "</section>\n</main>\n");
    putf(b,
         "<footer>Skapad av styrdok %s ur <code>manifest.jsonl</code> och dokumentens "
         "JSON.</footer>\n"
         "</body>\n</html>\n",
         SD_VERSION);
}

sd_status sd_report_batch(sd_extractor *ex, const char *manifest_path, const char *outdir,
                          char **html, sd_error *err) {
    *html = NULL;
    FILE *f = fopen(manifest_path, "r");
    if (!f)
        return sd_error_set(err, SD_ERR_IO, manifest_path, 0, 0, -1, "cannot read the manifest: %s",
                            strerror(errno));
    json_t *rows = json_array();
    sd_buf line = {0};
    for (int c = 0; c != EOF;) {
        sd_buf_clear(&line);
        while ((c = fgetc(f)) != EOF && c != '\n') sd_buf_putc(&line, (char)c);
        /* A line cut off by a kill does not parse: it is passed over. */
        json_t *row = line.len ? json_loadb(line.data, line.len, 0, NULL) : NULL;
        if (json_is_object(row)) json_array_append(rows, row);
        json_decref(row);
    }
    sd_buf_free(&line);
    fclose(f);

    size_t n = json_array_size(rows);
    doc_row *docs = sd_xcalloc(n ? n : 1, sizeof *docs);
    sd_status rc = SD_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        doc_row *d = &docs[i];
        d->row = json_array_get(rows, i);
        const char *status = jstr(d->row, "status"), *output = jstr(d->row, "output");
        if (!status || strcmp(status, "ok") || !output) continue;
        d->rel_json = sd_xstrdup(relative_to(output, outdir));
        /* The manifest writes bytes of a name that are not UTF-8 as U+FFFD:
         * such a path cannot be opened again. */
        if (strstr(output, "\xEF\xBF\xBD")) {
            d->note = sd_xstrdup("filnamnet är inte UTF-8: dokumentet kan inte öppnas härifrån");
            continue;
        }
        read_document(d, output);
        if (ex && !d->note) {
            rc = batch_page(ex, d, output, err);
            if (!d->note) d->rel_html = page_path_for(d->rel_json);
        }
    }
    if (!rc) {
        sd_buf out = {0};
        write_batch_page(&out, ex ? ex->rules : NULL, outdir, docs, n);
        *html = out.data;
    }
    for (size_t i = 0; i < n; i++) {
        free(docs[i].title);
        free(docs[i].type);
        free(docs[i].organisation);
        free(docs[i].rel_json);
        free(docs[i].rel_html);
        free(docs[i].note);
    }
    free(docs);
    json_decref(rows);
    return rc;
}
