/**
 * The source text a pthread worker of tfjs-backend-wasm's threaded build evaluates (see wasmBrowser.ts for why
 * it must be the shipped file, not the bundled function). tfjs prefixes `var WasmBackendModuleThreadedSimd = ` to
 * whatever the factory's toString() returns, so this returns the shipped file without that declaration: the
 * expression that builds the factory, then the file's own module-export lines (inert in a worker).
 */
const DECLARATION = /^\s*var\s+WasmBackendModuleThreadedSimd\s*=\s*/;

export function threadedFactorySource(file: string): string {
  const m = DECLARATION.exec(file);
  if (!m)
    throw new Error(
      "tfjs-backend-wasm's threaded module no longer starts with 'var WasmBackendModuleThreadedSimd =': its pthread workers cannot be given its source",
    );
  return file.slice(m[0].length);
}
