import { connect, Socket } from 'node:net';

/** One HTTP/1.1 exchange over a raw socket: what a slow or hostile client does that fetch cannot. */
export interface RawExchange {
  socket: Socket;
  /** Every byte the server sent, as text. */
  readonly received: string;
  /** Resolves with the status code once the status line arrived. */
  status: Promise<number>;
  /** Resolves when the server ends or destroys the connection. */
  closed: Promise<void>;
  /** Writes body bytes, unless the connection is gone. */
  write(bytes: string | Buffer): boolean;
}

/** Opens a connection and sends `head` (request line and headers, without the blank line). */
export function rawExchange(port: number, head: string[]): Promise<RawExchange> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    let gotStatus: (status: number) => void = () => undefined;
    const status = new Promise<number>((done) => (gotStatus = done));
    const closed = new Promise<void>((done) => socket.once('close', () => done()));
    socket.on('data', (data) => {
      received += data.toString('latin1');
      const match = /^HTTP\/1\.1 (\d{3})/.exec(received);
      if (match) gotStatus(Number(match[1]));
    });
    socket.on('error', () => undefined);
    socket.once('connect', () => {
      socket.write(`${head.join('\r\n')}\r\n\r\n`);
      resolve({
        socket,
        get received() {
          return received;
        },
        status,
        closed,
        write: (bytes) => !socket.destroyed && socket.write(bytes),
      });
    });
    socket.once('error', reject);
  });
}

/** A POST head for `path` with these extra header lines. */
export const postHead = (path: string, headers: Record<string, string | number>) => [
  `POST ${path} HTTP/1.1`,
  'Host: 127.0.0.1',
  ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
];
