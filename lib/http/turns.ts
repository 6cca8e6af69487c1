/**
 * Starts the server's requests one per turn of the event loop, so that a busy server still takes in
 * new connections.
 *
 * Why: libuv (1.45 and later, Node 20's 1.46) accepts one connection per turn of the event loop
 * (libuv pull request 3696). A turn runs every request whose bytes have arrived, so under load a turn
 * takes as long as all of them together (10 ms and more with 50 hires in flight), and a new laptop's
 * connection waits a turn for every connection ahead of it in the accept queue: measured, 200-300 ms
 * between the client's TCP connect and the server's accept, while a request on an open connection
 * waited about 10 ms. The first step of every enrollment (the peek, on a new connection) took that
 * wait. Starting one request per turn keeps each turn short: requests wait in this first-in,
 * first-out queue instead, the loop comes back to its sockets between them, and a new connection is
 * accepted and its TLS handshake answered within a turn or two.
 *
 * Nothing is dropped or reordered: every request starts, in the order it arrived. A request that is
 * already running (waiting on the database or on a crypto job) goes on as before; only starts wait.
 * On an idle server the first start runs on the next turn (setImmediate), well under a millisecond.
 */
export function startOnePerTurn(): (start: () => void) => void {
  // At most one waiting start per open connection: Node's HTTP server hands a connection's next
  // request over only after the previous one has been answered.
  const queue: Array<() => void> = [];
  let scheduled = false;
  const startNext = () => {
    const start = queue.shift()!;
    // Queued during this turn's check phase, so it runs on the next turn, after the poll phase.
    scheduled = queue.length > 0;
    if (scheduled) setImmediate(startNext);
    start();
  };
  return (start) => {
    queue.push(start);
    if (scheduled) return;
    scheduled = true;
    setImmediate(startNext);
  };
}
