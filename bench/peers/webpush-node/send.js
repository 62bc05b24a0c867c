// Sends N Web Push notifications with K in flight using the npm web-push library, to the
// subscriptions in a file written by `PushBench serve-webpush`, and reports messages per second
// and this process's CPU (process.cpuUsage()) per message.
//
//   node send.js <subscriptions.json> [messages=20000] [inFlight=500] [result.json]
//
// web-push signs a fresh VAPID JWT for every request and sends over Node's https module
// (HTTP/1.1 over TLS, keep-alive, at most K sockets), which is how it is used in production.
'use strict';
const fs = require('fs');
const https = require('https');
const webpush = require('web-push');

const [file, messagesArg, inFlightArg, outFile] = process.argv.slice(2);
const messages = parseInt(messagesArg || '20000', 10);
const inFlight = parseInt(inFlightArg || '500', 10);
const setup = JSON.parse(fs.readFileSync(file, 'utf8'));
const agent = new https.Agent({ ca: setup.certificatePem, keepAlive: true, maxSockets: inFlight });
const options = {
  vapidDetails: {
    subject: 'mailto:bench@example.com',
    publicKey: setup.vapid.publicKey,
    privateKey: setup.vapid.privateKey,
  },
  TTL: 3600,
  agent,
};
const payload = JSON.stringify({
  title: 'Your order shipped',
  body: 'x'.repeat(200),
  data: { order: 42 },
  url: 'https://shop.example/o/42',
});

function run(count) {
  return new Promise((resolve) => {
    let next = 0;
    let done = 0;
    let failed = 0;
    const pump = () => {
      if (next >= count) return;
      const subscription = setup.subscriptions[next % setup.subscriptions.length];
      next++;
      webpush
        .sendNotification(subscription, payload, options)
        .catch((e) => {
          if (failed++ < 3) console.error('not accepted:', e.statusCode || '', e.body || e.message);
        })
        .finally(() => {
          done++;
          if (done === count) resolve(failed);
          else pump();
        });
    };
    for (let i = 0; i < Math.min(inFlight, count); i++) pump();
  });
}

(async () => {
  await run(Math.max(Math.floor(messages / 5), 2000)); // warm-up
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const failed = await run(messages);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const result = {
    name: 'webpush-node',
    setup: 'npm web-push@3.6.7 (Node ' + process.version + ') -> MockPushService, TLS, HTTP/1.1, no decryption',
    messages,
    inFlight,
    notAccepted: failed,
    seconds,
    msgsPerSecond: messages / seconds,
    processCpuSeconds: cpuSeconds,
    clientCpuMicrosPerMsg: (cpuSeconds * 1e6) / messages,
    msgsPerClientCpuSecond: messages / cpuSeconds,
    cpuIncludesMock: false,
  };
  console.log(
    `webpush-node   ${result.msgsPerSecond.toFixed(0).padStart(9)} msg/s  ` +
      `${result.clientCpuMicrosPerMsg.toFixed(1).padStart(7)} µs CPU/msg  ` +
      `${result.msgsPerClientCpuSecond.toFixed(0).padStart(8)} msg per CPU-second (Node process only)  not accepted ${failed}`,
  );
  if (outFile) fs.writeFileSync(outFile, JSON.stringify(result, null, 2));
  agent.destroy();
})();
