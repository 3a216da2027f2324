/* SPDX-License-Identifier: MIT
 *
 * seccomp-resolve: ask the real libseccomp which system-call names it knows on the native architecture.
 *
 * Build (needs libseccomp-dev):   gcc -O2 -Wall -o seccomp-resolve scripts/seccomp-resolve.c -lseccomp
 *
 *   seccomp-resolve < names.txt     one name per line on stdin; prints "name number" per line, where number is
 *                                   what seccomp_syscall_resolve_name() returns (negative = libseccomp does not
 *                                   map the name to a real system call on this architecture)
 *   seccomp-resolve --all [MAX]     prints "name number" for every number 0..MAX-1 (default 4096) that
 *                                   seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, n) maps to a name
 *   seccomp-resolve --version       prints the version of the libseccomp that is actually loaded, e.g. "2.5.4"
 *
 * To ask another build of the library, put its libseccomp.so.2 first on the search path, e.g.
 *   LD_LIBRARY_PATH=/path/to/trixie/usr/lib/x86_64-linux-gnu ./seccomp-resolve --version
 * (or run it through that suite's own loader, as the systemd oracle wrappers do:
 *   /path/ld-linux-x86-64.so.2 --library-path /path/lib ./seccomp-resolve).
 * This program uses only the libseccomp API that exists since 2.3, so one binary works with 2.5.x and 2.6.x.
 */
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int print_version(void) {
        const struct scmp_version *v = seccomp_version();
        if (!v) {
                fputs("seccomp-resolve: seccomp_version() failed\n", stderr);
                return 1;
        }
        printf("%u.%u.%u\n", v->major, v->minor, v->micro);
        return 0;
}

static int dump_all(long max) {
        for (long n = 0; n < max; n++) {
                char *name = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, (int) n);
                if (!name)
                        continue;
                printf("%s %ld\n", name, n);
                free(name);
        }
        return 0;
}

static int resolve_stdin(void) {
        char line[512];

        while (fgets(line, sizeof line, stdin)) {
                size_t len = strcspn(line, "\r\n");
                line[len] = '\0';
                if (len == 0)
                        continue;
                printf("%s %d\n", line, seccomp_syscall_resolve_name(line));
        }
        return ferror(stdin) ? 1 : 0;
}

int main(int argc, char *argv[]) {
        if (argc >= 2 && strcmp(argv[1], "--version") == 0)
                return print_version();
        if (argc >= 2 && strcmp(argv[1], "--all") == 0)
                return dump_all(argc >= 3 ? strtol(argv[2], NULL, 10) : 4096);
        if (argc >= 2) {
                fputs("usage: seccomp-resolve [--version | --all [MAX]] < names\n", stderr);
                return 2;
        }
        return resolve_stdin();
}
