import {
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from 'node:http';
import type { Socket } from 'node:net';

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

/**
 * How long a connection whose answer went out before its request's body had all arrived is kept
 * open to read (and discard) the rest of that body. Past it the connection is dropped, whatever is
 * still arriving.
 */
export const LINGER_MS = 5_000;

/**
 * The server's answers: an answer sent before its request's body has all arrived closes the
 * connection, once the rest of that body has been read.
 *
 * A route that refuses a body part-way (a webhook past its 64 KiB, say), or the request gate refusing
 * a request from its head alone, stops reading it, and Next.js may then discard the request. Node
 * reads no more of that connection, so a client's next request on it would get no answer at all: it
 * would stall until an idle timeout closed the connection (the fuzzer found one). Instead the answer
 * says `Connection: close`, so the client sends its next request on a new connection.
 *
 * Closing that connection as soon as the answer is out would lose the answer: a client still sending
 * its body finds the connection reset (EPIPE or ECONNRESET, the fuzzer found that too), because a
 * socket closed with unread data in it is reset rather than closed. So the connection lingers, as web
 * servers' "lingering close" does: the rest of the body is read and discarded, then the connection is
 * closed; a body that has not ended within LINGER_MS is cut off.
 */
export class FrontDoorResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  constructor(request: Request) {
    super(request);
    // Node lets go of the request's socket once the answer is sent: keep hold of it now. This
    // listener runs before Node's own, which closes a `Connection: close` connection.
    const socket = request.socket;
    this.once('finish', () => {
      if (!request.complete && !socket.destroyed) linger(request, socket);
    });
  }

  override writeHead(statusCode: number, statusMessage?: string, headers?: Headers): this;
  override writeHead(statusCode: number, headers?: Headers): this;
  override writeHead(statusCode: number, reasonOrHeaders?: string | Headers, headers?: Headers) {
    if (!this.req.complete && !this.headersSent) this.setHeader('connection', 'close');
    // Node reads the second argument as the headers when it is not a string.
    return super.writeHead(statusCode, reasonOrHeaders as string, headers);
  }
}

/** Reads and discards the rest of `request`'s body, then closes `socket`; LINGER_MS at most. */
function linger(request: IncomingMessage, socket: Socket): void {
  const cutOff = setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.once('close', () => clearTimeout(cutOff));
  // Node closes the connection of a `Connection: close` answer as soon as it is out (destroySoon);
  // this connection is closed below instead, once the body has ended: then, as Node would have, it is
  // closed once its writes are out, and no request sent after the body is read (the answer said
  // `Connection: close`).
  const destroySoon = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {};
  // A handler that has given up on the body destroys the request, which would destroy the socket
  // with the body's rest unread: while the connection lingers that means "discard the rest".
  const destroy = request.destroy.bind(request);
  request.destroy = (error?: Error) => {
    if (socket.destroyed || request.complete) return destroy(error);
    return request;
  };
  request.once('end', destroySoon);
  // Flowing with no reader: what arrives is discarded, and the parser keeps reading the socket.
  request.removeAllListeners('data');
  request.resume();
}
