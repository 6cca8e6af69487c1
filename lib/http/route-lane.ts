import type { IncomingMessage, ServerResponse } from 'node:http';
import { writeRefusal } from '@/lib/http/refusal';

// The enrollment ceremony's JSON routes are app/api route handlers: a Fetch API Request in, a
// Response out, nothing of Next.js's request context used. server.ts serves those few straight from
// Node's request, after the same request gate and front door as every other request, instead of
// through Next.js's router: in a CPU profile of the enrollment bench (bench/server.bench.ts) Next.js's
// request handling was the largest share of the server's time that was neither our code nor the
// database. Next.js still serves the same handlers at the same paths (and everything else).

export type RouteHandler = (request: Request) => Promise<Response>;
export type RouteLane = ReadonlyMap<string, { method: string; handler: RouteHandler }>;

/**
 * The request body as a Fetch API stream, read only as the handler reads it. A handler that stops
 * part-way (a body over its limit) leaves the rest unread; the front door's response then closes the
 * connection (lib/http/unread-body.ts) rather than the socket being destroyed before the answer.
 */
function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let settled = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.pause();
      req.on('data', (chunk: Buffer) => {
        if (settled) return;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if ((controller.desiredSize ?? 0) <= 0) req.pause();
      });
      req.on('end', () => {
        if (settled) return;
        settled = true;
        controller.close();
      });
      req.on('error', (error) => {
        if (settled) return;
        settled = true;
        controller.error(error);
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      settled = true;
      req.pause();
    },
  });
}

/** Node's request as the Fetch API Request a route handler takes. */
export function toWebRequest(req: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const one of value) headers.append(name, one);
    else headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    ...(hasBody ? { body: bodyOf(req), duplex: 'half' } : {}),
  } as RequestInit);
}

/** Writes a Fetch API Response to Node's response (the headers the front door set stay unless replaced). */
export async function writeWebResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [name, value] of response.headers) {
    if (name !== 'set-cookie') res.setHeader(name, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader('set-cookie', cookies);
  const body = response.body ? Buffer.from(await response.arrayBuffer()) : undefined;
  res.end(body);
}

/** The handler for this request, if the lane serves its path and method (else Next.js does). */
export function laneHandler(lane: RouteLane, req: IncomingMessage): RouteHandler | null {
  const url = req.url ?? '';
  const query = url.indexOf('?');
  const route = lane.get(query === -1 ? url : url.slice(0, query));
  return route && route.method === req.method ? route.handler : null;
}

/**
 * Runs a route handler for Node's request; never rejects. A handler that throws is a 500 with a problem
 * body, logged here as Next.js would log it; nothing of the error reaches the client.
 */
export async function serveFromLane(
  req: IncomingMessage,
  res: ServerResponse,
  handler: RouteHandler,
  origin: string,
): Promise<void> {
  let response: Response;
  try {
    response = await handler(toWebRequest(req, origin));
  } catch (error) {
    console.error(`${req.method} ${req.url?.split('?')[0]} failed:`, error);
    if (!res.headersSent)
      writeRefusal(
        res,
        {
          status: 500,
          code: 'internal_error',
          message:
            'Firstkey could not complete this request; try again, and tell IT if it persists',
        },
        req.method,
      );
    return;
  }
  try {
    await writeWebResponse(res, response);
  } catch (error) {
    // The response body could not be read or written (the client went away): nobody is left to answer.
    console.error(
      `${req.method} ${req.url?.split('?')[0]}: the answer could not be written:`,
      error,
    );
    res.destroy();
  }
}
