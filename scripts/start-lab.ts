/** `npm start`: serves the built lab on http://127.0.0.1:5173 (HOST and PORT override) and says where. */
import { serveDirectory } from './labServer.ts';

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 5173);
try {
  const { url } = await serveDirectory('dist', host, port);
  console.log(`\nTrainmap lab: ${url}\n(open it in a browser with WebGPU or WebAssembly; Ctrl-C stops the server)\n`);
} catch (e) {
  const code = (e as NodeJS.ErrnoException).code;
  console.error(
    code === 'EADDRINUSE' ? `port ${port} on ${host} is in use; set PORT=… to choose another` : (e as Error).message,
  );
  process.exit(1);
}
