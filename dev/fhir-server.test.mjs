// Behaviour tests for the FHIR dev server. Run: node --test dev/fhir-server.test.mjs
// (needs dev/node_modules: `npm ci` in dev/). Starts its own server on a free loopback port.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let child;
let base;

/** Starts a server with the given extra arguments; resolves once it printed its URL. */
async function startServer(args = [], port = '0') {
  const server = spawn(process.execPath, ['--experimental-websocket', join(here, 'fhir-server.mjs'), '--host', '127.0.0.1', '--port', port, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  server.stdout.setEncoding('utf8');
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start: ' + out)), 60_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = /^FHIR dev server listening on (http:\/\/127\.0\.0\.1:\d+\/)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    server.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
  return { server, url };
}

before(async () => {
  ({ server: child, url: base } = await startServer());
});

after(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0, 'server exits 0 on SIGTERM');
  }
});

async function call(method, path, body, headers = {}, at = base) {
  const res = await fetch(at + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/fhir+json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}

const urn = () => `urn:uuid:${randomUUID()}`;

describe('fhir dev server', () => {
  test('metadata and healthz', async () => {
    const r = await call('GET', 'metadata');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^application\/fhir\+json; charset=utf-8/);
    assert.equal(r.body.resourceType, 'CapabilityStatement');
    assert.equal(r.body.fhirVersion, '4.0.1');
    const h = await fetch(base + 'healthz');
    assert.equal(h.status, 200);
  });

  test('update-as-create, update, unchanged update, read, vread, delete', async () => {
    const obs = { resourceType: 'Observation', id: 'abc-1', status: 'final', code: { text: 'x' } };
    let r = await call('PUT', 'Observation/abc-1', obs);
    assert.equal(r.status, 201);
    assert.equal(r.headers.get('etag'), 'W/"1"');
    assert.equal(r.headers.get('location'), `${base}Observation/abc-1/_history/1`);
    assert.ok(r.headers.get('last-modified'));
    r = await call('PUT', 'Observation/abc-1', { ...obs, status: 'amended' });
    assert.equal(r.status, 200);
    assert.equal(r.body.meta.versionId, '2');
    r = await call('PUT', 'Observation/abc-1', { ...obs, status: 'amended', meta: { versionId: '2' } });
    assert.equal(r.status, 200);
    assert.equal(r.body.meta.versionId, '2', 'unchanged content does not create a version');
    r = await call('GET', 'Observation/abc-1');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('etag'), 'W/"2"');
    r = await call('GET', 'Observation/abc-1/_history/1');
    assert.equal(r.body.status, 'final');
    r = await call('PUT', 'Observation/abc-1', obs, { 'if-match': 'W/"1"' });
    assert.equal(r.status, 412);
    r = await call('DELETE', 'Observation/abc-1');
    assert.equal(r.status, 204);
    r = await call('GET', 'Observation/abc-1');
    assert.equal(r.status, 410);
    r = await call('DELETE', 'Observation/abc-1');
    assert.equal(r.status, 204, 'delete is idempotent');
    r = await call('GET', 'Observation/abc-1/_history');
    assert.deepEqual(
      r.body.entry.map((e) => e.request.method),
      ['DELETE', 'PUT', 'POST']
    );
  });

  test('search by identifier, conditional create and update', async () => {
    const patient = { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: 'T-1' }] };
    let r = await call('POST', 'Patient', patient, { 'if-none-exist': 'identifier=urn:mrn|T-1' });
    assert.equal(r.status, 201);
    const id = r.body.id;
    r = await call('POST', 'Patient', patient, { 'if-none-exist': 'identifier=urn:mrn|T-1' });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, id);
    r = await call('GET', 'Patient?identifier=urn:mrn|T-1');
    assert.equal(r.body.type, 'searchset');
    assert.equal(r.body.total, 1);
    assert.equal(r.body.entry[0].fullUrl, `${base}Patient/${id}`);
    r = await call('PUT', 'Patient?identifier=urn:mrn|T-1', { ...patient, gender: 'female' });
    assert.equal(r.status, 200);
    assert.equal(r.body.id, id);
    assert.equal(r.body.meta.versionId, '2');
    r = await call('GET', 'Patient?identifer=urn:mrn|T-1');
    assert.equal(r.status, 400, 'unknown search parameter is rejected, not "no match"');
    r = await call('GET', 'Patient/_history');
    assert.equal(r.body.type, 'history');
    r = await call('GET', '_history');
    assert.equal(r.body.type, 'history');
  });

  test('search by identifier with a percent-encoded system and value (the pipeline patient check)', async () => {
    const system = 'urn:oid:2.16.840.1.113883.19.5.1';
    const value = `MRN ${randomUUID()}/&+`;
    const patient = { resourceType: 'Patient', identifier: [{ system, value }], birthDate: '1980-02-02' };
    const query = `identifier=${encodeURIComponent(system)}|${encodeURIComponent(value)}`;
    let r = await call('POST', 'Patient', patient, { 'if-none-exist': query });
    assert.equal(r.status, 201);
    r = await call('GET', `Patient?${query}&_count=50`);
    assert.equal(r.status, 200);
    assert.equal(r.body.entry.length, 1);
    assert.equal(r.body.entry[0].resource.birthDate, '1980-02-02');
    r = await call('GET', `Patient?identifier=${encodeURIComponent('urn:oid:2.16.840.1.113883.19.5.2')}|${encodeURIComponent(value)}`);
    assert.equal(r.body.entry?.length ?? 0, 0, 'another system is another identifier');
  });

  test('transaction: urn:uuid rewriting, ifNoneExist, contained resources, per-entry responses', async () => {
    const pat = urn();
    const spec = urn();
    const obs = urn();
    const extra = Array.from({ length: 60 }, (_, i) => ({
      fullUrl: urn(),
      resource: { resourceType: 'Observation', id: `tx-x${i}`, status: 'final', code: { text: 'x' }, subject: { reference: pat } },
      request: { method: 'PUT', url: `Observation/tx-x${i}` },
    }));
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: pat,
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: 'TX-1' }] },
          request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:mrn|TX-1' },
        },
        {
          fullUrl: spec,
          resource: { resourceType: 'Specimen', id: 'tx-spec', subject: { reference: pat } },
          request: { method: 'PUT', url: 'Specimen/tx-spec' },
        },
        {
          fullUrl: obs,
          resource: {
            resourceType: 'Observation',
            id: 'tx-obs',
            status: 'final',
            code: { text: 'variant' },
            contained: [{ resourceType: 'Device', id: 'seq', deviceName: [{ name: 'NovaSeq', type: 'model-name' }] }],
            device: { reference: '#seq' },
            subject: { reference: pat },
            specimen: { reference: spec },
          },
          request: { method: 'PUT', url: 'Observation/tx-obs' },
        },
        ...extra,
      ],
    };
    let r = await call('POST', '', bundle);
    assert.equal(r.status, 200);
    assert.equal(r.body.type, 'transaction-response');
    assert.equal(r.body.entry.length, bundle.entry.length);
    assert.equal(r.body.entry[0].response.status, '201');
    assert.equal(r.body.entry[1].response.status, '201');
    assert.equal(r.body.entry[1].response.location, `${base}Specimen/tx-spec/_history/1`);
    const patientId = r.body.entry[0].resource.id;
    const stored = (await call('GET', 'Observation/tx-obs')).body;
    assert.equal(stored.subject.reference, `Patient/${patientId}`);
    assert.equal(stored.specimen.reference, 'Specimen/tx-spec');
    assert.equal(stored.device.reference, '#seq');
    assert.equal(stored.contained[0].id, 'seq');

    // Re-sending converges: the patient is found, nothing changes version.
    r = await call('POST', '', bundle);
    assert.equal(r.status, 200);
    assert.equal(r.body.entry[0].response.status, '200');
    assert.equal(r.body.entry[0].resource.id, patientId);
    assert.ok(r.body.entry.slice(1).every((e) => e.response.status === '200' && e.response.etag === 'W/"1"'));
  });

  test('failed transaction rolls back', async () => {
    const r = await call('POST', '', {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        { resource: { resourceType: 'Patient', id: 'rb-1' }, request: { method: 'PUT', url: 'Patient/rb-1' } },
        { resource: { resourceType: 'Patient', id: 'rb-2' }, request: { method: 'PUT', url: 'Patient/rb-3' } },
      ],
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.resourceType, 'OperationOutcome');
    assert.equal((await call('GET', 'Patient/rb-1')).status, 404);
  });

  test('errors are OperationOutcomes', async () => {
    let r = await call('POST', 'Patient', '{not json');
    assert.equal(r.status, 400);
    assert.equal(r.body.resourceType, 'OperationOutcome');
    r = await call('GET', 'NoSuchType/1');
    assert.equal(r.status, 404);
    assert.equal(r.body.resourceType, 'OperationOutcome');
    r = await call('GET', 'Patient/does-not-exist');
    assert.equal(r.status, 404);
    r = await call('POST', 'Patient', { resourceType: 'Observation' });
    assert.equal(r.status, 400);
  });

  test('Prefer: return=minimal', async () => {
    const r = await call('PUT', 'Patient/pm-1', { resourceType: 'Patient', id: 'pm-1' }, { prefer: 'return=minimal' });
    assert.equal(r.status, 201);
    assert.equal(r.text, '');
    assert.equal(r.headers.get('etag'), 'W/"1"');
  });
});

describe('fhir dev server with --snapshot', () => {
  test('keeps every resource and version across a SIGTERM and a restart on the same port', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'fhir-snapshot-'));
    const file = join(folder, 'snapshot.json');
    try {
      let { server, url } = await startServer(['--snapshot', file]);
      const at = (method, path, body, headers) => call(method, path, body, headers, url);
      const pat = urn();
      let r = await at('POST', '', {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: pat,
            resource: { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: 'SNAP-1' }] },
            request: { method: 'POST', url: 'Patient', ifNoneExist: 'identifier=urn:mrn|SNAP-1' },
          },
          {
            resource: { resourceType: 'Observation', id: 'snap-obs', status: 'final', code: { text: 'x' }, subject: { reference: pat } },
            request: { method: 'PUT', url: 'Observation/snap-obs' },
          },
        ],
      });
      assert.equal(r.status, 200);
      const patientId = r.body.entry[0].resource.id;
      assert.equal((await at('PUT', 'Observation/snap-obs', { resourceType: 'Observation', id: 'snap-obs', status: 'amended', code: { text: 'x' } })).status, 200);
      assert.equal((await at('PUT', 'Observation/snap-gone', { resourceType: 'Observation', id: 'snap-gone', status: 'final', code: { text: 'y' } })).status, 201);
      assert.equal((await at('DELETE', 'Observation/snap-gone')).status, 204);

      server.kill('SIGTERM');
      assert.equal((await once(server, 'exit'))[0], 0, 'exits 0 once the snapshot is written');
      assert.equal(JSON.parse(readFileSync(file, 'utf8')).format, 'precisionmed-fhir-dev-server-snapshot/1');

      const port = new URL(url).port;
      ({ server, url } = await startServer(['--snapshot', file], port));
      try {
        r = await at('GET', 'Observation/snap-obs');
        assert.equal(r.status, 200);
        assert.equal(r.body.status, 'amended');
        assert.equal(r.body.meta.versionId, '2');
        assert.equal(r.body.subject, undefined);
        assert.equal((await at('GET', 'Observation/snap-obs/_history/1')).body.status, 'final');
        assert.equal((await at('GET', 'Observation/snap-gone')).status, 410, 'a deletion survives too');
        r = await at('GET', 'Patient?identifier=urn:mrn|SNAP-1');
        assert.deepEqual(r.body.entry.map((e) => e.resource.id), [patientId], 'search sees the loaded resources');
        r = await at('POST', 'Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: 'SNAP-1' }] }, { 'if-none-exist': 'identifier=urn:mrn|SNAP-1' });
        assert.equal(r.status, 200, 'conditional create finds the loaded patient');
        r = await at('PUT', 'Observation/snap-obs', { resourceType: 'Observation', id: 'snap-obs', status: 'final', code: { text: 'x' } });
        assert.equal(r.body.meta.versionId, '3', 'versions go on from the loaded ones');
      } finally {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('fhir dev server: conditional creates under concurrency (as the Azure FHIR service)', () => {
  /** A transaction that conditionally creates the Patient with this MRN and puts one Observation about it. */
  const reportFor = (mrn, observationId) => {
    const pat = urn();
    return {
      resourceType: 'Bundle',
      type: 'transaction',
      entry: [
        {
          fullUrl: pat,
          resource: { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: mrn }] },
          request: { method: 'POST', url: 'Patient', ifNoneExist: `identifier=urn:mrn|${mrn}` },
        },
        {
          resource: { resourceType: 'Observation', id: observationId, status: 'final', code: { text: 'x' }, subject: { reference: pat } },
          request: { method: 'PUT', url: `Observation/${observationId}` },
        },
      ],
    };
  };
  const patientsOf = async (mrn, at) => (await call('GET', `Patient?identifier=urn:mrn|${mrn}`, undefined, {}, at)).body.entry ?? [];

  async function withServer(args, run) {
    const { server, url } = await startServer(args);
    try {
      await run(url);
    } finally {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  }

  test('without options, concurrent conditional creates for one identifier make one Patient (requests run one at a time)', async () => {
    const mrn = `SER-${randomUUID()}`;
    const answers = await Promise.all([1, 2, 3].map((i) => call('POST', '', reportFor(mrn, `ser-${mrn}-${i}`))));
    assert.deepEqual(answers.map((r) => r.status), [200, 200, 200]);
    assert.deepEqual(answers.map((r) => r.body.entry[0].response.status).sort(), ['200', '200', '201']);
    assert.equal((await patientsOf(mrn, base)).length, 1);
  });

  test('transaction whose conditional create matches several Patients: 412 and nothing written', async () => {
    const mrn = `DUP-${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      assert.equal((await call('POST', 'Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: mrn }] })).status, 201);
    }
    const r = await call('POST', '', reportFor(mrn, `dup-${mrn}`));
    assert.equal(r.status, 412);
    assert.equal(r.body.resourceType, 'OperationOutcome');
    assert.equal((await call('GET', `Observation/dup-${mrn}`)).status, 404, 'rolled back');
    assert.equal((await patientsOf(mrn, base)).length, 2);
  });

  test('--race-conditional-creates 2: two concurrent transactions both see no match and both create; the next one gets 412', async () => {
    await withServer(['--race-conditional-creates', '2'], async (url) => {
      const mrn = `RACE-${randomUUID()}`;
      const answers = await Promise.all([1, 2].map((i) => call('POST', '', reportFor(mrn, `race-${i}`), {}, url)));
      assert.deepEqual(answers.map((r) => r.status), [200, 200]);
      assert.deepEqual(answers.map((r) => r.body.entry[0].response.status), ['201', '201']);
      const patients = await patientsOf(mrn, url);
      assert.equal(patients.length, 2, 'the race made two Patients for one identifier');
      const subjects = await Promise.all([1, 2].map(async (i) => (await call('GET', `Observation/race-${i}`, undefined, {}, url)).body.subject.reference));
      assert.deepEqual(subjects.sort(), patients.map((e) => `Patient/${e.resource.id}`).sort(), 'each report points at the Patient it created');

      const next = await call('POST', '', reportFor(mrn, 'race-3'), {}, url);
      assert.equal(next.status, 412, 'a conditional create now matches several');
      const plain = await call('POST', 'Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: mrn }] }, { 'if-none-exist': `identifier=urn:mrn|${mrn}` }, url);
      assert.equal(plain.status, 412, 'the race is over: later conditional creates behave normally');
    });
  });

  test('--race-conditional-creates 2: a racer whose identifier already has a Patient uses it (the race only affects no-match creates)', async () => {
    await withServer(['--race-conditional-creates', '2'], async (url) => {
      const mrn = `KNOWN-${randomUUID()}`;
      assert.equal((await call('POST', 'Patient', { resourceType: 'Patient', identifier: [{ system: 'urn:mrn', value: mrn }] }, {}, url)).status, 201);
      const answers = await Promise.all([1, 2].map((i) => call('POST', '', reportFor(mrn, `known-${i}`), {}, url)));
      assert.deepEqual(answers.map((r) => r.body.entry[0].response.status), ['200', '200']);
      assert.equal((await patientsOf(mrn, url)).length, 1);
    });
  });

  test('--fail-conditional-creates 1: the first conditional create gets 412 with nothing written, the retry succeeds', async () => {
    await withServer(['--fail-conditional-creates', '1'], async (url) => {
      const mrn = `FAIL-${randomUUID()}`;
      const unconditional = await call('PUT', 'Observation/not-conditional', { resourceType: 'Observation', id: 'not-conditional', status: 'final', code: { text: 'x' } }, {}, url);
      assert.equal(unconditional.status, 201, 'requests without a conditional create are not affected');
      let r = await call('POST', '', reportFor(mrn, 'fail-1'), {}, url);
      assert.equal(r.status, 412);
      assert.equal(r.body.issue[0].code, 'required');
      assert.match(r.body.issue[0].details.text, /not selective enough/);
      assert.equal((await call('GET', 'Observation/fail-1', undefined, {}, url)).status, 404);
      assert.equal((await patientsOf(mrn, url)).length, 0);
      r = await call('POST', '', reportFor(mrn, 'fail-1'), {}, url);
      assert.equal(r.status, 200);
      assert.equal(r.body.entry[0].response.status, '201');
      assert.equal((await patientsOf(mrn, url)).length, 1);
    });
  });
});
