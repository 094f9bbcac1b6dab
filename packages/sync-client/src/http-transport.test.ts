import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, createGzip } from 'node:zlib';
import {
  PROTOCOL_VERSION,
  PULL_HAS_MORE_HEADER,
  PULL_NEXT_CURSOR_HEADER,
  PUSH_MORE_FOLLOWS_HEADER,
  PUSH_SEND_NEXT_HEADER,
} from '@clinicdesk/sync-protocol';
import { describe, expect, it } from 'vitest';
import { createHttpTransport } from './http-transport';
import { TransportError } from './transport';

// The server is replaced by an injected fetch answering fixed bodies: these tests are about how
// the transport reads a pull answer. An answer cut off mid-body needs a real connection, so that
// one comes from a small node:http server. Real HTTP against ClinicDesk's server is covered by
// the end-to-end sync tests.

const A = '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a0001';
const B = '0190b8e5-6f3a-7cc2-9a43-3b1e6d0a0002';

const envelope = {
  hasMore: false,
  nextCursor: 9,
  ackSeq: 0,
  decisions: [],
  clinic: {
    status: 'active',
    limits: { patients: null, doctors: 2, receptionists: 2, labTechs: null },
    usage: { patients: 1, doctors: 1, receptionists: 1, labTechs: 0 },
    lease: { issuedAt: '2026-03-14T09:00:00.000Z', expiresAt: '2026-03-21T09:00:00.000Z', token: 't' },
  },
};

const runs = [
  { entity: 'patient', fields: ['id', 'firstName'], rows: [[4, 1, 'create', A, 'Asha']] },
  {
    entity: 'visit',
    fields: ['status', 'id'],
    rows: [
      [7, 2, 'update', 'waiting', B],
      [9, 3, 'delete', 'cancelled', A],
    ],
  },
];

function transportAnswering(body: unknown) {
  const urls: string[] = [];
  const transport = createHttpTransport({
    baseUrl: 'http://clinicdesk.test',
    auth: { accessToken: async () => 'token', refresh: async () => {} },
    fetch: async (url) => {
      urls.push(String(url));
      return new Response(JSON.stringify(body), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    },
  });
  return { transport, urls };
}

describe('the HTTP transport reading a pull page', () => {
  it('asks with its protocol version and keeps the runs as they came', async () => {
    const { transport, urls } = transportAnswering({ runs, ...envelope });
    const page = await transport.pull(0, 5000);
    expect(urls[0]).toContain(`protocolVersion=${PROTOCOL_VERSION}`);
    expect(page.runs).toEqual(runs);
    expect(page.nextCursor).toBe(9);
  });

  const row = (head: unknown[], ...values: unknown[]) => [...head, ...values];
  it.each([
    ['change objects (protocol 1)', { changes: [], ...envelope }, /runs: expected an array/],
    ['an unknown key in a run', { runs: [{ ...runs[0], clinicId: A }], ...envelope }, /unrecognized key/],
    ['a run without rows', { runs: [{ ...runs[0], rows: [] }], ...envelope }, /rows must be a non-empty/],
    [
      'a run that names no id',
      { runs: [{ entity: 'patient', fields: ['firstName'], rows: [[4, 1, 'create', 'Asha']] }], ...envelope },
      /names the id field/,
    ],
    [
      'a field named twice',
      { runs: [{ entity: 'patient', fields: ['id', 'id'], rows: [[4, 1, 'create', A, A]] }], ...envelope },
      /field names repeat/,
    ],
    [
      'a field name that is no identifier',
      {
        runs: [{ entity: 'patient', fields: ['id', 'first name'], rows: [[4, 1, 'create', A, 'x']] }],
        ...envelope,
      },
      /field names are identifiers/,
    ],
    [
      'a row missing a value',
      { runs: [{ ...runs[0], rows: [[4, 1, 'create', A]] }], ...envelope },
      /one value per field/,
    ],
    ['changes out of order across runs', { runs: [runs[1], runs[0]], ...envelope }, /ascending seq order/],
    [
      'a version 0',
      { runs: [{ ...runs[0], rows: [row([4, 0, 'create'], A, 'x')] }], ...envelope },
      /version/,
    ],
    [
      'an unknown op',
      { runs: [{ ...runs[0], rows: [row([4, 1, 'upsert'], A, 'x')] }], ...envelope },
      /op must be/,
    ],
    [
      'an id that is no UUID',
      { runs: [{ ...runs[0], rows: [row([4, 1, 'create'], 'p-1', 'x')] }], ...envelope },
      /UUID/,
    ],
    ['nextCursor before the last change', { runs, ...envelope, nextCursor: 8 }, /nextCursor is before/],
  ])('refuses %s as an unexpected answer', async (_label, body, message) => {
    const { transport } = transportAnswering(body);
    const failure = await transport.pull(0, 5000).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(TransportError);
    expect(failure).toMatchObject({ kind: 'server', message: expect.stringMatching(message) });
  });
});

/** The transport to a node:http server on loopback. */
function transportTo(port: number) {
  return createHttpTransport({
    baseUrl: `http://127.0.0.1:${port}`,
    auth: { accessToken: async () => 'token', refresh: async () => {} },
  });
}

describe('the HTTP transport when a pull answer is cut off after its head', () => {
  it('hears the head, then fails as a dropped connection (the device asks again), over real HTTP', async () => {
    // A server that, like ClinicDesk's when writing a page fails after its head went out, sends
    // the status, the page's end and a flushed gzip header, then closes the connection.
    const server = createServer((_req, res) => {
      res.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-encoding': 'gzip',
        [PULL_NEXT_CURSOR_HEADER]: '9',
        [PULL_HAS_MORE_HEADER]: 'true',
      });
      const body = createGzip();
      body.pipe(res);
      body.write('{"runs":[');
      body.flush(constants.Z_SYNC_FLUSH, () => setTimeout(() => res.socket?.destroy(), 20));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const transport = transportTo(port);
      const heads: unknown[] = [];
      const failure = await transport
        .pull(0, 5000, { onHead: (head) => heads.push(head) })
        .catch((error: unknown) => error);
      expect(heads).toEqual([{ nextCursor: 9, hasMore: true }]);
      expect(failure).toBeInstanceOf(TransportError);
      expect(failure).toMatchObject({
        kind: 'network',
        message: expect.stringMatching(/Connection dropped while reading the answer/),
      });
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the HTTP transport pushing with more groups to follow', () => {
  it('says more follow, and hears "send the next" from the head before the answer is written, over real HTTP', async () => {
    const events: string[] = [];
    let finish = () => {};
    const written = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const server = createServer((req, res) => {
      events.push(`more-follows: ${String(req.headers[PUSH_MORE_FOLLOWS_HEADER])}`);
      req.resume();
      req.on('end', () => {
        // As ClinicDesk's server does once it holds the clinic's lock: the head, then later the answer.
        res.writeHead(200, {
          'content-type': 'application/json; charset=utf-8',
          [PUSH_SEND_NEXT_HEADER]: 'true',
        });
        res.write(' ');
        void written.then(() =>
          res.end(JSON.stringify({ ackSeq: 1, results: [{ mutationId: A, seq: 1, status: 'applied' }] })),
        );
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const transport = transportTo(port);
      const request = {
        protocolVersion: PROTOCOL_VERSION,
        schemaVersion: 1,
        groups: [
          {
            mutationId: A,
            seq: 1,
            createdAt: '2026-03-14T09:00:00.000Z',
            ops: [{ op: 'delete' as const, entity: 'patient', id: B }],
          },
        ],
      };
      const answer = transport.push(request, {
        onSendNext: () => {
          events.push('send next');
          finish();
        },
      });
      expect(await answer).toEqual({ ackSeq: 1, results: [{ mutationId: A, seq: 1, status: 'applied' }] });
      expect(events).toEqual(['more-follows: true', 'send next']);
      // Without a wish to send more, the header is not sent.
      const plain = transportTo(port);
      await plain.push({ ...request, groups: [{ ...request.groups[0], seq: 2 }] as typeof request.groups });
      expect(events.at(-1)).toBe('more-follows: undefined');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
