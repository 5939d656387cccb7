// A response endpoint for the delivery tests: a real HTTP server on 127.0.0.1 (another origin
// than the shop, so the widget's posts are cross-origin with a CORS preflight) that records
// every request and answers as the test says.
//
//   const endpoint = await startEndpoint();
//   endpoint.failFirst(3, 500);                    // 500 to the first three posts, then 200
//   endpoint.answer = (post, index) => ({ status: 429, headers: { 'Retry-After': '2' } });
//   await endpoint.down();                         // port closed: connection refused
//   await endpoint.up();                           // the same port again
//   await endpoint.waitFor((e) => e.accepted().length === 1);
//
// Each post is recorded as { at, index, key, headers, text, json, status, aborted }: `key` is
// the Idempotency-Key, `status` what was answered, `aborted` whether the browser dropped the
// request before the answer was written (as it does to a plain fetch when the page is left).

import { createServer } from 'node:http';

/** Starts the endpoint on an OS-picked port. */
export async function startEndpoint() {
  const posts = [];
  let preflights = 0;
  let port = 0;

  const endpoint = {
    posts,
    /** How to answer a post: `(post, index) => ({ status, headers, delay })`; default 200. */
    answer: () => ({ status: 200 }),
    get preflights() {
      return preflights;
    },
    get origin() {
      return `http://127.0.0.1:${port}`;
    },
    get url() {
      return `http://127.0.0.1:${port}/responses`;
    },
    /** 2xx-answered posts. */
    accepted() {
      return posts.filter((post) => post.status >= 200 && post.status < 300);
    },
    /** The Idempotency-Keys of the accepted posts. */
    acceptedKeys() {
      return this.accepted().map((post) => post.key);
    },
    /** Answers `status` to the first `count` posts (from now on), then 200. */
    failFirst(count, status) {
      let left = count;
      this.answer = () => (left-- > 0 ? { status } : { status: 200 });
    },
    /** Polls `predicate(endpoint)` every 50 ms until it holds; fails after `timeout` ms. */
    async waitFor(predicate, { timeout = 15_000, what = 'the endpoint' } = {}) {
      const end = Date.now() + timeout;
      while (!predicate(this)) {
        if (Date.now() > end) {
          throw new Error(`timed out waiting for ${what}; received: ${describe(posts)}`);
        }
        await sleep(50);
      }
    },
    /** Closes the port: connections are refused until `up()`. */
    async down() {
      server.closeAllConnections();
      await new Promise((done) => server.close(() => done()));
    },
    /** Listens again, on the same port (retrying for up to 5 s if it is briefly taken). */
    async up() {
      for (let attempt = 1; ; attempt += 1) {
        try {
          await listen(port);
          return;
        } catch (error) {
          if (error.code !== 'EADDRINUSE' || attempt >= 50) throw error;
          await sleep(100);
        }
      }
    },
    async close() {
      if (server.listening) {
        await this.down();
      }
    },
  };

  const server = createServer(async (request, response) => {
    const cors = {
      'Access-Control-Allow-Origin': request.headers.origin ?? '*',
      'Access-Control-Allow-Methods': 'POST',
      'Access-Control-Allow-Headers': request.headers['access-control-request-headers'] ?? '',
      'Access-Control-Expose-Headers': 'Retry-After',
      'Access-Control-Max-Age': '600',
      Vary: 'Origin',
    };
    if (request.method === 'OPTIONS') {
      preflights += 1;
      response.writeHead(204, cors);
      response.end();
      return;
    }
    const chunks = [];
    for await (const chunk of request) {
      chunks.push(chunk);
    }
    const text = Buffer.concat(chunks).toString('utf8');
    let json = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Kept as text; the test fails on it.
    }
    const post = {
      at: Date.now(),
      index: posts.length,
      method: request.method,
      path: request.url,
      key: request.headers['idempotency-key'] ?? null,
      headers: request.headers,
      text,
      json,
      status: null,
      aborted: false,
    };
    posts.push(post);
    response.on('close', () => {
      if (!response.writableEnded) {
        post.aborted = true;
      }
    });
    const { status = 200, headers = {}, delay = 0 } = endpoint.answer(post, post.index) ?? {};
    if (delay > 0) {
      await sleep(delay);
    }
    post.status = status;
    response.writeHead(status, { ...cors, ...headers, 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ ok: status < 300 }));
  });

  function listen(at) {
    return new Promise((done, fail) => {
      server.once('error', fail);
      server.listen(at, '127.0.0.1', () => {
        server.off('error', fail);
        port = server.address().port;
        done();
      });
    });
  }

  await listen(0);
  return endpoint;
}

/** The posts received, one line each, for failure messages. */
export function describe(posts) {
  if (posts.length === 0) {
    return '(nothing)';
  }
  return posts
    .map((p) => `\n  #${p.index} ${p.key} ${p.json?.status ?? '?'} → ${p.status ?? 'pending'}`)
    .join('');
}

export function sleep(ms) {
  return new Promise((done) => setTimeout(done, ms));
}
