import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

export interface LoopbackEndpoint {
  /** e.g. http://127.0.0.1:41234 */
  base: string;
  /** Resolves with the number of client sockets still open, once none is (or after ~10 s, a hang guard). */
  socketsClosed(): Promise<number>;
  /** Cuts every open connection (between tests). */
  dropConnections(): void;
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 playing a metadata endpoint (instance metadata, the container
 * endpoint). It tracks the client sockets, so a test can see credkit close its request: the server
 * sees the socket close once the request is destroyed.
 */
export async function serveLoopback(
  handle: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<LoopbackEndpoint> {
  const sockets = new Set<Socket>();
  const server = createServer(handle);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return {
    base: `http://127.0.0.1:${address.port}`,
    socketsClosed: async () => {
      for (let i = 0; i < 1000 && sockets.size > 0; i++) await new Promise((r) => setTimeout(r, 10));
      return sockets.size;
    },
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
