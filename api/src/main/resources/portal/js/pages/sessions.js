// "Point-to-site sessions": live sessions from getVpnClientConnectionHealth, refreshed
// automatically, with Disconnect, and traffic over time from successive polls (azure-p2s.md §6.1, §6.2).
// As in Azure, only a Contributor may view them (the list names users, their public addresses and
// certificate thumbprints): a read-only token gets a page that says so instead of an empty table.
import { h, svg, table, button, banner, formatBytes, formatDuration } from '../dom.js';
import { paths, postAction, session } from '../api.js';
import { pageHeader } from './common.js';
import { gatewayTabs, protocolOf } from './gatewayNav.js';

/** Poll interval; Azure's own data is up to 5 minutes old, ours is live (azure-p2s.md §6.1). */
export const REFRESH_MS = 5000;
/** Points kept for the chart (5 minutes at REFRESH_MS). */
const HISTORY_POINTS = 60;
/** The second sample, so the traffic chart has a rate to draw without waiting a full REFRESH_MS. */
const FIRST_SAMPLE_MS = 1000;
const COLUMNS = ['User', 'Address', 'Public address', 'Protocol', 'Connected since (UTC)', 'Duration', 'Received / sent', ''];
/** Totals per gateway across polls, kept while the tab is open so the chart survives navigation. */
const histories = new Map();

/** "13:02:04 UTC": the table's times are UTC (its header says so), so the refresh time is too, whatever the browser's zone. */
function utcTime(date) {
  return `${date.toISOString().slice(11, 19)} UTC`;
}

/** Why a read-only token sees no sessions; `detail` is the API's own refusal when there was one. */
function contributorOnly(detail) {
  return h('div', { class: 'note', id: 'sessions-forbidden', role: 'status' },
    h('p', { text: 'Sessions are not shown to read-only tokens. As in Azure, viewing and disconnecting '
      + 'point-to-site sessions needs the Contributor role: the list shows users\' names, their public '
      + 'addresses and certificate thumbprints. Your token has the Reader role; sign in with a '
      + 'Contributor token to see the sessions.' }),
    detail ? h('p', { class: 'hint', text: detail }) : null);
}

export async function render(page, ctx) {
  const [rg, name] = ctx.params;
  const gwPath = paths.gateway(rg, name);
  if (!session.canWrite) {
    // The API would answer 403 AuthorizationFailed; say why before asking.
    page.replaceChildren(
      pageHeader('Point-to-site sessions', `${name} · Virtual network gateway`),
      gatewayTabs(rg, name, 'sessions'),
      contributorOnly());
    return;
  }
  const history = histories.get(gwPath) ?? [];
  histories.set(gwPath, history);

  const auto = h('input', { type: 'checkbox', id: 'sessions-auto', checked: true });
  const updated = h('span', { class: 'op-status', id: 'sessions-updated', role: 'status', 'aria-live': 'polite' });
  const refreshBtn = button('Refresh', () => refresh(), { id: 'sessions-refresh' });
  const tableSlot = h('div', { id: 'sessions-table' });
  const chartSlot = h('figure', { class: 'card chart', id: 'traffic-chart' });
  const toolbar = h('div', { class: 'toolbar' }, refreshBtn,
    h('label', { class: 'check', for: 'sessions-auto' }, auto, ` Refresh every ${REFRESH_MS / 1000} s`), updated);
  page.replaceChildren(
    pageHeader('Point-to-site sessions', `${name} · Virtual network gateway`),
    gatewayTabs(rg, name, 'sessions'),
    toolbar,
    tableSlot,
    chartSlot);

  let timer = 0;
  let busy = false;
  /** A refresh asked for while one is running (e.g. right after Disconnect) runs when it ends. */
  let again = false;
  // The table is built once and its rows are updated in place, keyed by vpnConnectionId, so a
  // refresh neither moves keyboard focus off a Disconnect button nor disturbs a screen reader.
  const rowsById = new Map();
  const tbody = h('tbody', {});
  const empty = h('tr', { class: 'empty-row' }, h('td', { colspan: String(COLUMNS.length), class: 'empty', text: 'No client is connected.' }));
  tableSlot.replaceChildren(table('Connected VPN clients', COLUMNS, []));
  tableSlot.querySelector('tbody').replaceWith(tbody);

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const health = await postAction(gwPath + '/getVpnClientConnectionHealth');
      const list = health?.value ?? [];
      record(history, list);
      updateRows(list);
      chartSlot.replaceChildren(h('figcaption', { text: 'Traffic (all sessions, bytes per second)' }), ...chart(history, chartSlot.clientWidth));
      updated.textContent = `${list.length} session${list.length === 1 ? '' : 's'} · updated ${utcTime(new Date())}`;
      updated.dataset.refreshes = String(Number(updated.dataset.refreshes ?? 0) + 1); // lets a test wait for a refresh
    } catch (e) {
      if (e.status === 403) {
        // The token lost its Contributor role (or whoami was stale): stop polling and say why.
        clearInterval(timer);
        auto.checked = false;
        toolbar.remove();
        chartSlot.remove();
        tableSlot.replaceChildren(contributorOnly(e.message));
      } else {
        banner.error(e);
      }
    } finally {
      busy = false;
    }
    if (again) {
      again = false;
      await refresh();
    }
  }
  function schedule() {
    clearInterval(timer);
    if (auto.checked) timer = setInterval(refresh, REFRESH_MS);
  }
  auto.addEventListener('change', schedule);
  ctx.onLeave(() => clearInterval(timer));

  function updateRows(list) {
    const seen = new Set();
    for (const s of list) {
      const id = String(s.vpnConnectionId ?? '');
      seen.add(id);
      let row = rowsById.get(id);
      if (!row) {
        row = newRow(s);
        rowsById.set(id, row);
        tbody.append(row); // existing rows are never moved: moving a node drops its keyboard focus
      }
      const cells = [s.vpnUserName ?? '', s.privateIpAddress ?? '', s.publicIpAddress ?? '', protocolOf(id),
        String(s.vpnConnectionTime ?? '').replace('T', ' '), formatDuration(s.vpnConnectionDuration),
        `${formatBytes(s.ingressBytesTransferred)} / ${formatBytes(s.egressBytesTransferred)}`];
      cells.forEach((text, i) => { if (row.cells[i].textContent !== text) row.cells[i].textContent = text; });
    }
    for (const [id, row] of rowsById) {
      if (!seen.has(id)) { row.remove(); rowsById.delete(id); }
    }
    if (list.length) empty.remove(); else if (!empty.isConnected) tbody.append(empty);
  }

  function newRow(s) {
    const tds = COLUMNS.map((label, i) => h('td', { class: i === 6 ? 'num' : undefined, 'data-label': label || undefined }));
    tds[tds.length - 1].className = 'row-actions';
    const disconnect = button('Disconnect', async () => {
      disconnect.disabled = true;
      try {
        await postAction(gwPath + '/disconnectVirtualNetworkGatewayVpnConnections', { vpnConnectionIds: [s.vpnConnectionId] });
        banner.success(`Disconnected ${s.vpnUserName ?? ''} (${s.vpnConnectionId}).`);
        await refresh();
      } catch (e) {
        banner.error(e);
        disconnect.disabled = false;
      }
    }, { class: 'btn btn-danger', 'aria-label': `Disconnect ${s.vpnUserName ?? ''} ${s.privateIpAddress ?? ''}` });
    tds[tds.length - 1].append(disconnect);
    return h('tr', { 'data-session': s.vpnConnectionId }, tds);
  }

  await refresh();
  // The chart needs two samples: take the second one soon instead of a full interval later.
  if (auto.checked) {
    const first = setTimeout(refresh, FIRST_SAMPLE_MS);
    ctx.onLeave(() => clearTimeout(first));
  }
  schedule();
}

/** Adds one poll's totals; the chart plots rates between successive polls. */
function record(history, list) {
  const total = (k) => list.reduce((a, s) => a + (Number(s[k]) || 0), 0);
  history.push({ t: Date.now(), ingress: total('ingressBytesTransferred'), egress: total('egressBytesTransferred'), n: list.length });
  while (history.length > HISTORY_POINTS) history.shift();
}

function rates(history) {
  const out = [];
  for (let i = 1; i < history.length; i++) {
    const dt = (history[i].t - history[i - 1].t) / 1000;
    if (dt <= 0) continue;
    // A session that ended makes the totals drop; that is not negative traffic.
    out.push({
      t: history[i].t,
      ingress: Math.max(0, history[i].ingress - history[i - 1].ingress) / dt,
      egress: Math.max(0, history[i].egress - history[i - 1].egress) / dt,
    });
  }
  return out;
}

/** Chart width in SVG units: the figure's own width (so text keeps its size on a narrow window), within bounds. */
const CHART_MIN_W = 300;
const CHART_MAX_W = 640;

function chart(history, available) {
  const W = Math.round(Math.min(CHART_MAX_W, Math.max(CHART_MIN_W, (available || CHART_MAX_W) - 40)));
  const H = 190, L = 24, R = 12, T = 24, B = 28;
  const pts = rates(history);
  const max = Math.max(1, ...pts.map((p) => Math.max(p.ingress, p.egress)));
  const x = (i) => L + (pts.length <= 1 ? 0 : (i / (pts.length - 1)) * (W - L - R));
  const y = (v) => T + (1 - v / max) * (H - T - B);
  const line = (k) => pts.map((p, i) => `${x(i).toFixed(1)},${y(p[k]).toFixed(1)}`).join(' ');
  const last = pts[pts.length - 1];
  const summary = last ? `Latest: received ${formatBytes(last.ingress)}/s, sent ${formatBytes(last.egress)}/s` : 'Collecting data: the chart needs two polls.';
  const graph = svg('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': summary, class: 'traffic' },
    svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }),
    svg('line', { x1: L, y1: T, x2: L, y2: H - B, class: 'axis' }),
    // The scale sits above the plot, right of the axis: a left margin would have to fit any number.
    svg('text', { x: L + 6, y: T - 8, class: 'tick', text: formatBytes(max) + '/s' }),
    svg('text', { x: L - 6, y: H - B, 'text-anchor': 'end', class: 'tick', text: '0' }),
    pts.length ? svg('polyline', { points: line('ingress'), class: 'series ingress' }) : null,
    pts.length ? svg('polyline', { points: line('egress'), class: 'series egress' }) : null,
    svg('text', { x: L + 4, y: H - 8, class: 'legend ingress', text: '— received' }),
    svg('text', { x: L + 90, y: H - 8, class: 'legend egress', text: '— sent' }));
  // The summary is HTML under the chart, so it wraps on a narrow window instead of overlapping the legend.
  return [graph, h('p', { class: 'chart-summary', id: 'traffic-summary', text: summary })];
}
