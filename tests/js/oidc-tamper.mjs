// A man in the middle for the OpenID Connect tests: passes everything between the app and the
// provider through, except that it rewrites the ID token in token responses — its payload changed
// (another subject, or an expiry in the past, or another nonce) but its signature kept, as a forger
// without the provider's key would have to. Usage: node oidc-tamper.mjs <port> <provider port> <none|sub|exp|nonce>
import http from 'node:http';

const [port, providerPort, what] = process.argv.slice(2);
const decode = (part) => JSON.parse(Buffer.from(part, 'base64url').toString());
const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const headers = { ...request.headers, host: `localhost:${providerPort}` };
    const upstream = http.request({ port: Number(providerPort), host: 'localhost', path: request.url, method: request.method, headers }, (answer) => {
      const body = [];
      answer.on('data', (chunk) => body.push(chunk));
      answer.on('end', () => {
        let text = Buffer.concat(body).toString();
        if (request.url.startsWith('/token') && answer.statusCode === 200) {
          const tokens = JSON.parse(text);
          const [header, payload, signature] = tokens.id_token.split('.');
          const claims = decode(payload);
          if (what === 'sub') claims.sub = 'someone-else';
          if (what === 'exp') { claims.exp = Math.floor(Date.now() / 1000) - 3600; claims.iat = claims.exp - 60; }
          if (what === 'nonce') claims.nonce = 'not-the-one-we-sent';
          tokens.id_token = `${header}.${encode(claims)}.${signature}`;
          text = JSON.stringify(tokens);
          console.log(JSON.stringify({ tampered: what }));
        }
        const outHeaders = { ...answer.headers };
        delete outHeaders['content-length'];
        // Addresses in the provider's answers (discovery, redirects) point back through us; its issuer stays its own.
        if (request.url.startsWith('/.well-known/openid-configuration')) {
          const discovery = JSON.parse(text);
          for (const [key, value] of Object.entries(discovery)) {
            if (key !== 'issuer' && typeof value === 'string') discovery[key] = value.split(`localhost:${providerPort}`).join(`localhost:${port}`);
          }
          text = JSON.stringify(discovery);
        }
        if (outHeaders.location) outHeaders.location = outHeaders.location.split(`localhost:${providerPort}`).join(`localhost:${port}`);
        response.writeHead(answer.statusCode, outHeaders);
        response.end(text);
      });
    });
    upstream.end(Buffer.concat(chunks));
  });
}).listen(Number(port), () => console.log(JSON.stringify({ ready: Number(port) })));
