import http from 'node:http';

// Stands in for the HR system and the MDM during end-to-end runs: a plain HTTP server on 127.0.0.1
// that records every webhook it receives. Tests read the record with GET /received.
export type ReceivedWebhook = {
  channel: 'hr' | 'mdm';
  headers: Record<string, string>;
  body: string;
};

export function startReceiver(port: number): http.Server {
  const received: ReceivedWebhook[] = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/received') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(received));
      return;
    }
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      received.push({
        channel: req.url === '/hr' ? 'hr' : 'mdm',
        headers: req.headers as Record<string, string>,
        body,
      });
      res.writeHead(204).end();
    });
  });
  server.listen(port, '127.0.0.1');
  server.unref();
  return server;
}
