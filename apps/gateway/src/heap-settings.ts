/**
 * Young-generation size for the gateway's heap, set by re-executing Node with `--max-semi-space-size` before any
 * dependency loads (V8 reads heap limits only at start; `process.execve` keeps the pid, stdio and environment, and
 * costs about 40 ms). On a 64-bit machine with much memory V8 lets each semi-space grow to 32 MiB, and start-up
 * alone grows them there: measured on Node 24 (issue 21), 8 MiB takes idle RSS from ~220 MB to ~175 MB and peak
 * RSS under c=64 load from ~300 MB to ~225 MB at the same CPU per request (2 MiB promotes so much that RSS under
 * load grows again). A size given by the operator (command line or NODE_OPTIONS) is kept as it is.
 */
const SEMI_SPACE_MIB = 8;
const FLAG = '--max-semi-space-size';

function alreadySet(): boolean {
  return process.execArgv.some((arg) => arg.startsWith(FLAG)) || (process.env.NODE_OPTIONS ?? '').includes(FLAG);
}

if (typeof process.execve === 'function' && !alreadySet()) {
  process.execve(
    process.execPath,
    [process.execPath, `${FLAG}=${SEMI_SPACE_MIB}`, ...process.execArgv, ...process.argv.slice(1)],
    process.env,
  );
}
