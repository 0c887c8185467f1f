/* markdown.h - a converter's Markdown inline markup (internal): emphasis,
 * links and footnote marks are markup around the document's words. */
#ifndef SD_MARKDOWN_H
#define SD_MARKDOWN_H

#include <stddef.h>

/* Removes inline markup from the NUL-terminated text `s`, in place:
 * "**Omvärld**" and "__Omvärld__" become "Omvärld", "[Syfte](#1-syfte)"
 * becomes "Syfte", "[^2]" goes, "\*" becomes "*".  Words and other
 * characters stay; runs of spaces left behind become one.  Returns the new
 * length. */
size_t sd_markdown_strip_inline(char *s);

#endif
