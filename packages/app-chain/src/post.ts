import type * as Http from 'node:http';

export interface PostAnswer {
  status: number;
  /** The body as text; empty when it was larger than the cap (the connection is dropped then). */
  body: string;
  headers: Http.IncomingHttpHeaders;
}

/**
 * One POST to an AWS endpoint with an answer of bounded size. The headers are set after the request
 * is created, never passed in its options: `NODE_DEBUG=http,net` prints the options object, and a
 * signed request's headers hold the security token.
 */
export function postBounded(
  http: Pick<typeof Http, 'request'>,
  request: {
    url: URL;
    headers: Record<string, string>;
    body: string;
    agent: Http.Agent | false;
    signal?: AbortSignal | undefined;
    maxBodyBytes: number;
  },
): Promise<PostAnswer> {
  const { url } = request;
  return new Promise<PostAnswer>((resolve, reject) => {
    const req = http.request(
      {
        method: 'POST',
        hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        agent: request.agent,
        ...(request.signal && { signal: request.signal }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > request.maxBodyBytes) {
            res.destroy();
            resolve({ status: res.statusCode ?? 0, body: '', headers: res.headers });
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: res.headers,
          }),
        );
      },
    );
    for (const [name, value] of Object.entries(request.headers)) req.setHeader(name, value);
    req.on('error', reject);
    req.end(request.body);
  });
}
