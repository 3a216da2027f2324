/**
 * How the language server's process is started. The VS Code client, bench/lsp.ts and the LSP tests
 * all start it with these, so that what the bench measures is what users run.
 *
 * MALLOC_ARENA_MAX=2: glibc gives threads that call malloc arenas of their own and keeps what was
 * freed in them. After 500 units were opened, V8's worker threads (concurrent compilation and
 * marking) held ~3.5 MB resident in each of four such arenas (/proc/PID/smaps); with two arenas
 * shared by all threads the server's RSS was ~7 MB lower, with no measurable change in latency.
 * C libraries other than glibc ignore the variable.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = { MALLOC_ARENA_MAX: '2' };
