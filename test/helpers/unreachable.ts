/**
 * Servers that cannot be used, for tests of what the connector does then: a port nothing listens
 * on, and a listener that accepts connections and never answers (a hung server).
 */
import { createServer, type Server, type Socket } from 'node:net';

export interface SilentListener {
  port: number;
  close(): Promise<void>;
}

/** Accepts connections on a loopback port and never answers. */
export async function startSilentListener(): Promise<SilentListener> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the silent listener has no port');
  return {
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on (a listener is started and closed to find one). */
export async function refusedPort(): Promise<number> {
  const listener = await startSilentListener();
  await listener.close();
  return listener.port;
}
