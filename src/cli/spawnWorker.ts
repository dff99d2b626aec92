import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a module. When running from TypeScript sources (tsx), the worker first
 * registers tsx's loader, which worker threads do not inherit; a bundled build loads the module directly.
 */
export function spawnModuleWorker(url: URL): Worker {
  if (url.pathname.endsWith('.ts')) {
    const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
    return new Worker(code, { eval: true });
  }
  return new Worker(url);
}
