import {
  ServerResponse,
  type IncomingMessage,
  type OutgoingHttpHeader,
  type OutgoingHttpHeaders,
} from 'node:http';

type Headers = OutgoingHttpHeaders | OutgoingHttpHeader[];

/** How long a connection that will carry no further request is kept for its last answer to arrive. */
export const CLOSING_CONNECTION_GRACE_MS = 5_000;

/**
 * The server's answers: an answer sent before its request's body has all arrived closes the
 * connection.
 *
 * A route that refuses a body part-way (a webhook past its 64 KiB, say) stops reading it, and Next.js
 * then discards the request. Node reads no more of that connection, so a client's next request on it
 * would get no answer at all: it would stall until an idle timeout closed the connection (the fuzzer
 * found one). Instead the answer says `Connection: close`, so the client sends its next request on a
 * new connection, and the connection is closed once the answer is out.
 */
export class FrontDoorResponse<
  Request extends IncomingMessage = IncomingMessage,
> extends ServerResponse<Request> {
  constructor(request: Request) {
    super(request);
    // Node lets go of the request's socket once the answer is sent: keep hold of it now.
    const socket = request.socket;
    this.once('finish', () => {
      if (request.complete) return;
      socket.end();
      setTimeout(() => socket.destroy(), CLOSING_CONNECTION_GRACE_MS).unref();
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
