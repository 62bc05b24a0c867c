// A WebSocket peer for the Herald WebSocket benchmark: holds idle connections and broadcasts one
// message to every connection when asked over HTTP, as a Node application would.
//
//   node --expose-gc server.js ws|socketio
//
// Prints {"port": n} once listening. Routes on that port:
//   ws:       GET /ws (WebSocket upgrade); sends {"type":"ready",...} on connect, like Herald
//   socketio: /socket.io/ (Socket.IO 4; the connect acknowledgement plays the part of ready)
//   POST /broadcast   body = the message; ws sends it as text to every client, Socket.IO emits it
//                     as event "notification" to all (an in-memory broadcast, nothing stored)
//   GET  /stats       after a full GC: {"connections", "rss", "heap_used"} in bytes
'use strict';
const http = require('http');

const mode = process.argv[2];
if (mode !== 'ws' && mode !== 'socketio') {
  console.error('usage: node --expose-gc server.js ws|socketio');
  process.exit(2);
}

let count = () => 0;
let broadcast = () => {};

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const server = http.createServer(async (req, res) => {
  if (req.method === 'POST' && req.url === '/broadcast') {
    const body = await readBody(req);
    broadcast(body);
    res.writeHead(202, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ sent_to: count() }));
  } else if (req.method === 'GET' && req.url === '/stats') {
    if (global.gc) global.gc();
    const m = process.memoryUsage();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ connections: count(), rss: m.rss, heap_used: m.heapUsed }));
  } else if (!res.headersSent && !(mode === 'socketio' && req.url.startsWith('/socket.io/'))) {
    res.writeHead(404);
    res.end();
  }
});

if (mode === 'ws') {
  const { WebSocketServer } = require('ws');
  const wss = new WebSocketServer({ server, path: '/ws' });
  wss.on('connection', (socket) => socket.send('{"type":"ready","seq":0,"unread":0}'));
  count = () => wss.clients.size;
  broadcast = (text) => {
    for (const c of wss.clients) c.send(text);
  };
} else {
  const { Server } = require('socket.io');
  const io = new Server(server, { transports: ['websocket'], serveClient: false });
  count = () => io.engine.clientsCount;
  broadcast = (text) => io.emit('notification', JSON.parse(text));
}

// The benchmark's trigger connection stays open between rounds.
server.keepAliveTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: server.address().port }));
});
