import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTestApp, type TestApp } from './testing/test-app';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp(
    { BODY_LIMIT_BYTES: '2048' },
    {
      setup(app) {
        const typed = app.withTypeProvider<ZodTypeProvider>();
        // A route that fails the way a bug or an outage would, to check what a 5xx shows the caller.
        typed.get('/__test/explode', async () => {
          throw new Error('connection to 10.0.0.7 failed: password authentication failed for user "owner"');
        });
        // A strict body like every real route's, to check the shared validation path.
        typed.post(
          '/__test/echo',
          { schema: { body: z.object({ name: z.string().min(1), age: z.number().int() }).strict() } },
          async (request) => request.body,
        );
      },
    },
  );
});
afterAll(async () => {
  await t?.close();
});

describe('health and docs', () => {
  it('answers /health with the database state', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('serves OpenAPI JSON generated from the zod schemas, and the docs page', async () => {
    const json = await t.app.inject({ method: 'GET', url: '/docs/json' });
    expect(json.statusCode).toBe(200);
    const spec = json.json();
    expect(spec.openapi).toMatch(/^3\./);
    expect(
      spec.paths['/health'].get.responses['200'].content['application/json'].schema.properties.database,
    ).toBeDefined();
    const page = await t.app.inject({ method: 'GET', url: '/docs' });
    expect([200, 302]).toContain(page.statusCode);
  });
});

describe('error bodies', () => {
  it('answers an unknown route with the uniform 404 body', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });

  it('refuses a missing or malformed token with 401 UNAUTHORIZED', async () => {
    const none = await t.app.inject({ method: 'GET', url: '/v1/clinic/' });
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('UNAUTHORIZED');
    const bad = await t.app.inject({
      method: 'GET',
      url: '/v1/clinic/',
      headers: { authorization: 'Bearer abc.def.ghi' },
    });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('UNAUTHORIZED');
  });

  it('refuses a body that is not JSON with 400 VALIDATION_FAILED', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/__test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"broken":',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses invalid fields and unknown fields with 400 VALIDATION_FAILED and field details', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/__test/echo',
      payload: { name: 'Asha', age: 30 },
    });
    expect(ok.statusCode).toBe(200);
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/__test/echo',
      payload: { name: '', age: 'thirty' },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('VALIDATION_FAILED');
    expect(invalid.json().error.details.issues.length).toBeGreaterThanOrEqual(2);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/__test/echo',
      payload: { name: 'Asha', age: 30, clinicId: '00000000-0000-0000-0000-000000000000' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('VALIDATION_FAILED');
  });

  it('refuses an oversized body with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/__test/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(4096) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('gives a 5xx without internals', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/__test/explode' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: { code: 'INTERNAL', message: expect.any(String) } });
    expect(res.body).not.toMatch(/10\.0\.0\.7|password|owner|stack|Error:/);
  });
});
