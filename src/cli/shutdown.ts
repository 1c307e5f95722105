// Ends the process only after everything we started is gone (processes, containers, networks,
// temp dirs), whatever the exit path.
type Disposer = () => Promise<void>;
const finalizers: Disposer[] = [];

/** Called by the runtime wiring to hook its cleanup registry into exit. */
export function onShutdown(dispose: Disposer): void {
  finalizers.push(dispose);
}

export async function runCleanupAndExit(code: number): Promise<void> {
  for (const dispose of finalizers.splice(0).reverse()) {
    try {
      await dispose();
    } catch (err) {
      process.stderr.write(`warning: cleanup failed: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  }
  process.exitCode = code;
  // Worker threads or sockets left by a dependency must not keep a finished run alive.
  setTimeout(() => process.exit(code), 200).unref();
}
