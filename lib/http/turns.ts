/**
 * Starts the server's requests one per turn of the event loop (more once they have waited), so that a
 * busy server still takes in new connections.
 *
 * Why: libuv (1.45 and later, Node 20's 1.46) accepts one connection per turn of the event loop
 * (libuv pull request 3696). A turn used to start every request whose bytes had arrived, so under load
 * a turn took as long as all of them together (10 ms and more with 50 hires in flight), and a new
 * laptop's connection waited a turn for every connection ahead of it in the accept queue: measured,
 * 200-300 ms between the client's TCP connect and the server's accept, while a request on an open
 * connection waited about 10 ms. The first step of every enrollment (the peek, on a new connection)
 * took that wait. Now requests wait in this first-in, first-out queue instead, turns stay short, and a
 * new connection is accepted and its TLS handshake answered within a turn or two.
 *
 * How many per turn: one, and with it every request that has waited longer than MAX_WAIT_MS. So a
 * flood of work that never queues (requests the gate refuses, say), which makes every turn long,
 * cannot hold a queued request back for a turn per request ahead of it: past MAX_WAIT_MS they all
 * start, as they did before this queue. Under a cohort of 50 in flight few requests wait that long.
 *
 * Nothing is reordered: requests start in the order they were queued. A request whose connection
 * closed while it waited is not started: nobody is left to answer, and a link must not be used up
 * for a client that has gone. On an idle server a start runs on the next turn (setImmediate), well
 * under a millisecond.
 */
export const MAX_WAIT_MS = 100;

type Waiting = { request: { socket: { destroyed: boolean } }; start: () => void; queuedAt: number };

export function startRequestsInTurns({ maxWaitMs = MAX_WAIT_MS } = {}): (
  request: { socket: { destroyed: boolean } },
  start: () => void,
) => void {
  // Unbounded by design, as Node's own handling is: each entry is a request Node has already parsed
  // (a connection can pipeline several), and each would otherwise have started at once.
  const queue: Waiting[] = [];
  let scheduled = false;
  const startSome = () => {
    try {
      do {
        const { request, start } = queue.shift()!;
        if (!request.socket.destroyed) start();
      } while (queue.length > 0 && performance.now() - queue[0]!.queuedAt > maxWaitMs);
    } finally {
      // Queued during this turn's check phase, so it runs on the next turn, after the poll phase.
      scheduled = queue.length > 0;
      if (scheduled) setImmediate(startSome);
    }
  };
  return (request, start) => {
    queue.push({ request, start, queuedAt: performance.now() });
    if (scheduled) return;
    scheduled = true;
    setImmediate(startSome);
  };
}
