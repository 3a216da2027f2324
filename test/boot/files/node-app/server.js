// A tiny web application for the boot tier's node-app service: it answers every request with a
// line naming itself and the Node.js version, after some work in JavaScript (so V8 compiles code).
'use strict';
const http = require('node:http');

const port = Number(process.env.PORT || 3000);

function work() {
  let sum = 0;
  for (let i = 0; i < 1e6; i++) sum += i % 7;
  return sum;
}

http.createServer((req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end(`node-app ok ${process.version} ${work()}\n`);
}).listen(port, '127.0.0.1', () => console.log(`node-app listening on 127.0.0.1:${port}`));
