// The portal's only way to the gateway: the ARM-shaped REST API (azure-p2s.md §1.1), with the
// bearer token kept in sessionStorage so it is gone when the tab closes.

export const NETWORK_API_VERSION = '2024-05-01';
export const RESOURCES_API_VERSION = '2024-05-01';
/** Long-running operations are polled at this interval (ARM: honour Retry-After when given). */
const POLL_INTERVAL_MS = 1000;
/** A create that has not finished after this long is reported as still running, not as failed. */
const POLL_LIMIT_MS = 120000;
const TOKEN_KEY = 'p2sgw.token';
const SUBSCRIPTION_KEY = 'p2sgw.subscription';
export const DEFAULT_SUBSCRIPTION = '00000000-0000-0000-0000-000000000000';

/** An ARM error: HTTP status plus the CloudError body's code and message (and target and details when given). */
export class ApiError extends Error {
  constructor(status, code, message, target, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.target = target ?? '';
    this.details = Array.isArray(details) ? details : [];
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY) ?? ''; },
  get subscription() { return sessionStorage.getItem(SUBSCRIPTION_KEY) || DEFAULT_SUBSCRIPTION; },
  signIn(token, subscription) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(SUBSCRIPTION_KEY, subscription || DEFAULT_SUBSCRIPTION);
  },
  signOut() {
    sessionStorage.removeItem(TOKEN_KEY);
  },
  /** Filled from /providers/P2sgw/whoami after sign-in. */
  identity: { name: '', role: 'Reader' },
  get canWrite() { return this.identity.role === 'Contributor' || this.identity.role === 'Owner'; },
};

function withVersion(path, version) {
  if (/[?&]api-version=/.test(path)) return path;
  return path + (path.includes('?') ? '&' : '?') + 'api-version=' + version;
}

async function errorFrom(resp) {
  let code = 'HttpError' + resp.status;
  let message = resp.statusText || ('HTTP ' + resp.status);
  let target;
  let details;
  try {
    const body = await resp.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
      target = body.error.target;
      details = body.error.details;
    }
  } catch { /* not JSON: keep the status line */ }
  if (resp.status === 401) message = 'Your token was not accepted. Sign in again. (' + message + ')';
  return new ApiError(resp.status, code, message, target, details);
}

/** One request; returns {status, headers, body}. Throws ApiError for non-2xx. */
export async function request(method, path, body, { version = NETWORK_API_VERSION, token = session.token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = 'Bearer ' + token;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let resp;
  try {
    resp = await fetch(withVersion(path, version), {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
  } catch (e) {
    throw new ApiError(0, 'NetworkError', 'The gateway API could not be reached: ' + e.message);
  }
  if (resp.status === 401 && path !== '/providers/P2sgw/whoami') {
    window.dispatchEvent(new CustomEvent('p2sgw:unauthorized'));
  }
  if (!resp.ok) throw await errorFrom(resp);
  const text = await resp.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = text; }
  }
  return { status: resp.status, headers: resp.headers, body: parsed };
}

export const get = (path, opts) => request('GET', path, undefined, opts).then((r) => r.body);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Follows an ARM long-running operation (azure-p2s.md §1.1): polls Azure-AsyncOperation for
 * {status}, or Location until it answers 200. {@code onProgress} receives the status text.
 */
export async function followOperation(resp, onProgress = () => {}) {
  const asyncUrl = resp.headers.get('Azure-AsyncOperation');
  const location = resp.headers.get('Location');
  const deadline = Date.now() + POLL_LIMIT_MS;
  if (asyncUrl) {
    while (Date.now() < deadline) {
      const op = (await request('GET', asyncUrl, undefined, { version: NETWORK_API_VERSION })).body ?? {};
      onProgress(op.status ?? 'InProgress');
      if (op.status === 'Succeeded') return { status: 'Succeeded' };
      if (op.status === 'Failed' || op.status === 'Canceled') {
        const e = op.error ?? {};
        throw new ApiError(200, e.code ?? 'OperationFailed', e.message ?? 'The operation ' + op.status.toLowerCase() + '.', e.target, e.details);
      }
      await sleep(retryAfter(resp));
    }
    return { status: 'InProgress' };
  }
  if (location && resp.status === 202) {
    while (Date.now() < deadline) {
      const r = await request('GET', location);
      if (r.status !== 202) return { status: 'Succeeded', body: r.body };
      onProgress('InProgress');
      await sleep(retryAfter(r));
    }
    return { status: 'InProgress' };
  }
  return { status: 'Succeeded', body: resp.body };
}

function retryAfter(resp) {
  const s = Number(resp.headers?.get?.('Retry-After'));
  return Number.isFinite(s) && s > 0 ? Math.min(s * 1000, 5000) : POLL_INTERVAL_MS;
}

/** PUT, then follow the operation to its end. Returns the final resource (re-read). */
export async function putAndWait(path, body, onProgress, opts) {
  const resp = await request('PUT', path, body, opts);
  const op = await followOperation(resp, onProgress);
  if (op.status !== 'Succeeded') return resp.body;
  return (await request('GET', path, undefined, opts)).body;
}

export async function deleteAndWait(path, onProgress, opts) {
  const resp = await request('DELETE', path, undefined, opts);
  await followOperation(resp, onProgress);
}

/** p2sgw's advisory header beyond ARM (e.g. a package for a gateway this server does not serve, issue 16). */
export const WARNING_HEADER = 'x-p2sgw-warning';

/**
 * POST an action (generatevpnclientpackage, getVpnClientConnectionHealth, ...); follows 202s.
 * `onWarning` receives the API's x-p2sgw-warning, when the answer carries one.
 */
export async function postAction(path, body, onWarning) {
  const resp = await request('POST', path, body ?? {});
  const warning = resp.headers?.get?.(WARNING_HEADER);
  if (warning && onWarning) onWarning(warning);
  if (resp.status === 202) {
    const op = await followOperation(resp);
    if (op.body !== undefined) return op.body;
  }
  return resp.body;
}

/** Fetches a URL with the bearer token and returns the bytes as a Blob (for the client package). */
export async function fetchBlob(url) {
  const headers = {};
  if (session.token) headers.Authorization = 'Bearer ' + session.token;
  const resp = await fetch(url, { headers, cache: 'no-store' });
  if (!resp.ok) throw await errorFrom(resp);
  return resp.blob();
}

// ---- ARM ids -------------------------------------------------------------------------------

export const paths = {
  resourceGroups: () => `/subscriptions/${session.subscription}/resourcegroups`,
  resourceGroup: (rg) => `/subscriptions/${session.subscription}/resourcegroups/${enc(rg)}`,
  provider: (rg) => `/subscriptions/${session.subscription}/resourceGroups/${enc(rg)}/providers/Microsoft.Network`,
  vnets: (rg) => `${paths.provider(rg)}/virtualNetworks`,
  vnet: (rg, n) => `${paths.vnets(rg)}/${enc(n)}`,
  subnet: (rg, vnet, n) => `${paths.vnet(rg, vnet)}/subnets/${enc(n)}`,
  publicIps: (rg) => `${paths.provider(rg)}/publicIPAddresses`,
  publicIp: (rg, n) => `${paths.publicIps(rg)}/${enc(n)}`,
  gateways: (rg) => `${paths.provider(rg)}/virtualNetworkGateways`,
  gateway: (rg, n) => `${paths.gateways(rg)}/${enc(n)}`,
};

function enc(s) { return encodeURIComponent(s); }

/** Splits an ARM id into {subscription, resourceGroup, type, name, parent}. */
export function parseId(id) {
  const parts = String(id ?? '').split('/').filter(Boolean);
  const out = { subscription: '', resourceGroup: '', name: parts[parts.length - 1] ?? '', parentName: '' };
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const k = parts[i].toLowerCase();
    if (k === 'subscriptions') out.subscription = parts[i + 1];
    if (k === 'resourcegroups') out.resourceGroup = parts[i + 1];
  }
  if (parts.length >= 10) out.parentName = parts[parts.length - 3];
  return out;
}

/** GET a list; a missing collection (404) reads as empty. ARM lists are {value:[...], nextLink}. */
export async function list(path, opts) {
  const out = [];
  let next = path;
  let pages = 0;
  const MAX_PAGES = 50;
  while (next && pages++ < MAX_PAGES) {
    let body;
    try {
      body = await get(next, opts);
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) return out;
      throw e;
    }
    out.push(...(body?.value ?? []));
    next = body?.nextLink ?? '';
  }
  return out;
}

/** Every resource of one kind across all resource groups. */
export async function listAll(kind) {
  const rgs = await list(paths.resourceGroups(), { version: RESOURCES_API_VERSION });
  const lists = await Promise.all(rgs.map((rg) => list(paths[kind](rg.name))));
  return lists.flat();
}
