/*
 * log: one line per event on stderr, safe from any thread. Levels: error, warn, info,
 * debug (debug only when KUMPPANI_DEBUG is set). The access log uses log_access().
 */
#ifndef KP_UTIL_LOG_H
#define KP_UTIL_LOG_H

enum log_level { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG };

void log_msg(enum log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Quiet mode (tests, CLI commands): info and access lines are dropped. */
void log_set_quiet(int quiet);
void log_access(const char *line);

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
