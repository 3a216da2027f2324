/**
 * How the language server's process is started. The VS Code client, bench/lsp.ts and the LSP tests
 * all start it with these, so that what the bench measures is what users run.
 *
 * MALLOC_ARENA_MAX=2: glibc gives threads that call malloc arenas of their own and keeps what was
 * freed in them. After 500 units were opened, V8's worker threads (concurrent compilation and
 * marking) held ~3.5 MB resident in each of four such arenas (/proc/PID/smaps); with two arenas
 * shared by all threads the server's RSS was ~7 MB lower, with no measurable change in latency.
 *
 * MALLOC_MMAP_THRESHOLD_ / MALLOC_TRIM_THRESHOLD_ at glibc's initial 128 KiB: otherwise glibc raises
 * both each time a large block is freed, and then keeps what the compilers' and the parser's large
 * temporary blocks used. After the same 500 units: ~4-5 MB less RSS (98-100 → 94-95 MB), keystroke
 * latency unchanged.
 *
 * C libraries other than glibc ignore these variables.
 */
export const SERVER_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '131072',
  MALLOC_TRIM_THRESHOLD_: '131072',
};
