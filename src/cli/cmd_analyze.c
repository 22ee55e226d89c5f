/*
 * `kumppani analyze [--lang auto|fi|en] [--json]`: text analysis from the command line.
 *
 * Input is standard input: one text per line (a trailing CR is dropped), or with --json one
 * JSON array of strings. Output: one JSON object per text, per line, in input order (see
 * text_result_to_json). A text that cannot be analysed (invalid UTF-8, longer than 64 KiB, an
 * array element that is not a string) yields {"error": "..."} on its line and the rest goes
 * on (a line is never held past 64 KiB); stderr then says how many, and the exit code is 0,
 * or 1 when no text could be analysed at all (input in another encoding, most likely). A
 * UTF-8 byte order mark at the start is skipped (span offsets count from after it); input
 * that starts with UTF-16's is refused. Malformed JSON input, JSON that is no array, and a
 * failed read of the input are runtime errors (exit 1): a read error is never taken for the
 * end of the input.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "text/text.h"
#include "util/buf.h"

#define ANALYZE_MAX_JSON_INPUT (256u * 1024 * 1024)

/* Texts read and texts that could not be analysed (an error line each). */
struct analyze_count {
	size_t texts, failed;
};

/* Write an error line (its text could not be analysed). 0, or -1 if the write failed. */
static int emit_error(struct buf *out, const char *msg, struct analyze_count *n)
{
	buf_reset(out);
	buf_adds(out, "{\"error\":");
	buf_add_json_str(out, msg, strlen(msg));
	buf_adds(out, "}\n");
	n->texts++;
	n->failed++;
	return fwrite(out->ptr, 1, out->len, stdout) == out->len ? 0 : -1;
}

static int emit(struct text_analyzer *ta, const char *s, size_t len, enum text_lang lang, struct buf *out,
                struct analyze_count *n)
{
	struct text_result r;
	buf_reset(out);
	int rc = text_analyze(ta, s, len, lang, &r);
	n->texts++;
	n->failed += rc != 0;
	if (rc) {
		buf_adds(out, "{\"error\":");
		buf_add_json_str(out, text_strerror(rc), strlen(text_strerror(rc)));
		buf_addc(out, '}');
	} else if (text_result_to_json(&r, out) < 0) {
		buf_reset(out);
		buf_adds(out, "{\"error\":\"result too large\"}");
	}
	text_result_release(&r);
	buf_addc(out, '\n');
	return fwrite(out->ptr, 1, out->len, stdout) == out->len ? 0 : -1;
}

/* Line mode reads at most this much of one line: a text over TEXT_MAX_INPUT is refused by
 * the analysis anyway, so a longer line is answered with its error line and skipped to its
 * end without being held in memory (a 700 MB line costs no more than a short one). */
#define ANALYZE_LINE_CAP (TEXT_MAX_INPUT + 2)

/* A byte order mark at the start of the input: UTF-8's is skipped (spans count from after
 * it), UTF-16's is refused (1). */
static int skip_bom(const unsigned char *p, size_t n, size_t *skip)
{
	*skip = n >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf ? 3 : 0;
	if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff))) {
		fprintf(stderr, "kumppani analyze: the input is UTF-16 or UTF-32 (it starts with a byte order mark); "
		                "convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)\n");
		return 1;
	}
	return 0;
}

static int run_lines(struct text_analyzer *ta, enum text_lang lang, struct buf *out, struct analyze_count *n)
{
	char *line = malloc(ANALYZE_LINE_CAP + 1);
	int rc = 0, c = 0;
	if (!line) {
		fprintf(stderr, "kumppani analyze: out of memory\n");
		return 1;
	}
	int first = 1;
	while (c != EOF) {
		size_t len = 0;
		int over = 0;
		while ((c = getc_unlocked(stdin)) != EOF && c != '\n') {
			if (len < ANALYZE_LINE_CAP)
				line[len++] = (char)c;
			else
				over = 1;
			if (first && len == 3) { /* the first line's first bytes: a byte order mark? */
				size_t skip;
				if (skip_bom((const unsigned char *)line, len, &skip)) {
					free(line);
					return 1;
				}
				len -= skip;
				first = 0;
			}
		}
		if (first && len >= 2) {
			size_t skip;
			if (skip_bom((const unsigned char *)line, len, &skip)) {
				free(line);
				return 1;
			}
		}
		first = 0;
		if (c == EOF && len == 0 && !over)
			break; /* the end (or a read error, told below) */
		if (len && line[len - 1] == '\r' && !over)
			len--;
		if (over) {
			if (emit_error(out, text_strerror(TEXT_ETOOLONG), n) < 0) {
				rc = -1;
				break;
			}
		} else if (emit(ta, line, len, lang, out, n) < 0) {
			rc = -1;
			break;
		}
	}
	free(line);
	if (rc == 0 && ferror(stdin)) {
		/* a read that failed is no end of input: what was not read is not analysed */
		fprintf(stderr, "kumppani analyze: could not read standard input\n");
		return 1;
	}
	return rc;
}

static int run_json(struct text_analyzer *ta, enum text_lang lang, struct buf *out, struct analyze_count *cnt)
{
	struct buf in = BUF_INIT(ANALYZE_MAX_JSON_INPUT);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, stdin)) > 0)
		if (buf_add(&in, chunk, n) < 0) {
			fprintf(stderr, "kumppani analyze: input larger than %u bytes\n", ANALYZE_MAX_JSON_INPUT);
			buf_release(&in);
			return 1;
		}
	if (ferror(stdin)) {
		fprintf(stderr, "kumppani analyze: could not read standard input\n");
		buf_release(&in);
		return 1;
	}
	size_t skip;
	if (skip_bom((const unsigned char *)in.ptr, in.len, &skip)) {
		buf_release(&in);
		return 1;
	}
	json_error_t jerr;
	/* `arr` is the only reference; json_decref(arr) at the end frees every element. Any JSON
	 * value parses, so that a string or a number is told it is no array (below), not that it
	 * is malformed. */
	json_t *arr = json_loadb(in.ptr + skip, in.len - skip, JSON_ALLOW_NUL | JSON_DECODE_ANY,
	                         &jerr); /* "\u0000" as in line mode */
	buf_release(&in);
	if (!arr) {
		fprintf(stderr, "kumppani analyze: malformed JSON at line %d column %d: %s\n", jerr.line,
			jerr.column, jerr.text);
		return 1;
	}
	if (!json_is_array(arr)) {
		fprintf(stderr, "kumppani analyze: --json expects a JSON array of strings\n");
		json_decref(arr);
		return 1;
	}
	size_t i;
	json_t *v;
	int rc = 0;
	json_array_foreach(arr, i, v)
	{
		if (!json_is_string(v)) {
			if (emit_error(out, "element is not a string", cnt) < 0)
				rc = 1;
		} else if (emit(ta, json_string_value(v), json_string_length(v), lang, out, cnt) < 0) {
			rc = 1;
		}
		if (rc)
			break;
	}
	json_decref(arr);
	return rc;
}

int cmd_analyze(int argc, char **argv)
{
	const struct cli_command *cmd = cli_find("analyze");
	if (cmd && cli_wants_help(cmd, argc, argv))
		return CLI_EXIT_OK;
	enum text_lang lang = TEXT_LANG_AUTO;
	int json = 0, r;
	const char *lang_s = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			if (json)
				return cmd ? cli_usage_error(cmd, "--json is given twice") : CLI_EXIT_USAGE;
			json = 1;
		} else if (cmd && (r = cli_opt(cmd, argc, argv, &i, "--lang", &lang_s)) != 0) {
			if (r < 0)
				return CLI_EXIT_USAGE;
			int l = text_lang_parse(lang_s);
			if (l == -2 || l == TEXT_LANG_OTHER) {
				if (cmd)
					return cli_usage_error(cmd, "--lang must be auto, fi or en");
				return CLI_EXIT_USAGE;
			}
			lang = (enum text_lang)l;
		} else {
			if (cmd)
				return cli_usage_error(cmd, "unknown argument '%s'", argv[i]);
			return CLI_EXIT_USAGE;
		}
	}
	char err[256];
	struct text_analyzer *ta = text_analyzer_new(err, sizeof err);
	if (!ta) {
		fprintf(stderr, "kumppani analyze: %s\n", err);
		return CLI_EXIT_FAIL;
	}
	struct buf out = BUF_INIT(1024 * 1024);
	struct analyze_count n = {0, 0};
	int rc = json ? run_json(ta, lang, &out, &n) : run_lines(ta, lang, &out, &n);
	buf_release(&out);
	text_analyzer_free(ta);
	if (fflush(stdout) != 0 || rc < 0) {
		fprintf(stderr, "kumppani analyze: write error\n");
		return CLI_EXIT_FAIL;
	}
	if (!rc && n.failed) {
		fprintf(stderr,
		        "kumppani analyze: %zu of %zu texts could not be analysed (their lines hold \"error\")\n",
		        n.failed, n.texts);
		if (n.failed == n.texts) /* nothing was: the input is likely in another encoding */
			return CLI_EXIT_FAIL;
	}
	return rc ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}
