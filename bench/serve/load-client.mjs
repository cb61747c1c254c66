// The load generator of the serving benchmark, in its own process so that it never takes the
// server's event loop or cores: autocannon with N connections, each request one sentence (the
// texts in turn), POST /v1/classify. Prints autocannon's result as one JSON line.
import autocannon from 'autocannon';

const [url, connections, seconds, textsJson] = process.argv.slice(2);
const texts = JSON.parse(textsJson);
let next = 0;
const result = await autocannon({
  url: `${url}/v1/classify`,
  connections: Number(connections),
  duration: Number(seconds),
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ inputs: texts[next++ % texts.length] }) }) }],
});
process.stdout.write(JSON.stringify(result) + '\n');
