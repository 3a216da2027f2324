/**
 * Runtimes that compile code while they run (JIT), known by the program a command line runs. They
 * need memory they can make executable, which MemoryDenyWriteExecute=yes forbids.
 *
 * Two strengths of evidence share this list. exposure/breakage.ts holds MemoryDenyWriteExecute=
 * back from a unit that runs any of them (a guess is enough not to suggest a line). The rule
 * breaks-memory-deny-write-execute warns only on the runtimes whose failure a boot showed
 * (test/boot/cases.json), a subset of the same list, so the product never suggests a line that it
 * then warns about.
 */

/** Programs that compile code at run time: JVMs, V8, .NET, Mono, LuaJIT, PyPy, QEMU's TCG, BEAM, browsers, PHP's PCRE JIT. */
const JIT_RUNTIME =
  /(^|\/)(java|node|nodejs|dotnet|mono|luajit|pypy3?|qemu-[\w-]+|qemu|beam(\.smp)?|erl|chromium|firefox|electron|php-fpm[\d.]*)$/;

/** Whether a command's program is a runtime that compiles code at run time. */
export function isJitRuntime(program: string): boolean {
  return JIT_RUNTIME.test(program);
}

/** A JIT runtime seen failing under MemoryDenyWriteExecute=yes in a boot. */
export interface JitFailure {
  /** What the runtime is, for messages. */
  runtime: string;
  program: RegExp;
  /** The runtime's own option that turns its JIT off (it then runs under the setting), or null. */
  withoutJit: string | null;
  /** What the journal showed. */
  failure: string;
  /** The boot case that showed it (test/boot/cases.json). */
  proof: string;
}

const BOOTED: readonly JitFailure[] = [
  {
    runtime: 'Node.js: V8 compiles JavaScript to machine code at run time',
    program: /(^|\/)(node|nodejs)$/,
    withoutJit: '--jitless',
    failure:
      'node aborts at start, "Main process exited, code=killed, status=5/TRAP", after V8\'s "Fatal javascript OOM in MemoryChunk allocation failed during deserialization" ' +
      '(Node.js 18, Debian 12) or "Check failed: 12 == (*__errno_location ())" (Node.js 20, Debian 13)',
    proof: 'node-app-mdwe and debian-13/node-app-mdwe',
  },
];

/** The options a command gives its program: the words after it up to the first that is not an option (the script). */
function programOptions(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (const w of argv.slice(1)) {
    if (!w.startsWith('-')) break;
    out.push(w);
  }
  return out;
}

/**
 * How a command fails under MemoryDenyWriteExecute=yes, when its program is a JIT runtime a boot
 * showed failing and the command does not turn the JIT off; undefined otherwise.
 */
export function bootedJitFailure(program: string, argv: readonly string[]): JitFailure | undefined {
  if (!isJitRuntime(program)) return undefined;
  const f = BOOTED.find((b) => b.program.test(program));
  if (!f) return undefined;
  return f.withoutJit !== null && programOptions(argv).includes(f.withoutJit) ? undefined : f;
}
