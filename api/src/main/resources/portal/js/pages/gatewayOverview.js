// Gateway Overview: essentials, a live count of connected clients, a VNet ↔ gateway ↔ clients
// diagram, and root certificates expiring within 30 days (issue 5).
import { h, svg, banner, setChildren, table } from '../dom.js';
import { get, paths, parseId, postAction, deleteAndWait, session, ApiError } from '../api.js';
import { describeCertData, daysUntil, EXPIRY_WARNING_DAYS, } from '../der.js';
import { pageHeader, deleteButton } from './common.js';
import { gatewayTabs } from './gatewayNav.js';

/** Connected-client count refresh; the API's own data may be older (azure-p2s.md §6.1). */
const LIVE_REFRESH_MS = 5000;
/** While a PUT is running the gateway is re-read this often until provisioningState settles. */
const PROVISIONING_REFRESH_MS = 2000;
/** p2sgw's own status: the gateway this server serves, its endpoint, and each tunnel type's listener. */
const STATUS_PATH = '/providers/P2sgw/status';

export async function render(page, ctx) {
  const [rg, name] = ctx.params;
  const gw = await get(paths.gateway(rg, name));
  const p = gw.properties ?? {};
  const ipc = p.ipConfigurations?.[0]?.properties ?? {};
  const subnetId = parseId(ipc.subnet?.id);
  const pipId = parseId(ipc.publicIPAddress?.id);
  const [pip, vnet, status] = await Promise.all([
    pipId.name ? get(paths.publicIp(pipId.resourceGroup || rg, pipId.name)).catch(() => null) : null,
    subnetId.parentName ? get(paths.vnet(subnetId.resourceGroup || rg, subnetId.parentName)).catch(() => null) : null,
    get(STATUS_PATH).catch(() => null),
  ]);
  const cfg = p.vpnClientConfiguration ?? {};
  const address = pip?.properties?.ipAddress ?? '';
  const state = p.provisioningState ?? 'Unknown';
  const clients = h('span', { id: 'connected-clients', text: '…' });
  const essentials = h('dl', { class: 'essentials' },
    item('Resource group', rg),
    item('Location', gw.location ?? ''),
    item('SKU', p.sku?.name ?? ''),
    item('Generation', p.vpnGatewayGeneration ?? ''),
    item('Gateway type', p.gatewayType ?? ''),
    item('VPN type', p.vpnType ?? ''),
    item('Virtual network', subnetId.parentName || ''),
    item('Public IP address', address ? `${address} (${pipId.name})` : pipId.name, 'public-address'),
    item('Provisioning state', h('span', { class: 'state state-' + state.toLowerCase(), id: 'provisioning-state', text: state })),
    item('Tunnel types', (cfg.vpnClientProtocols ?? []).join(', ') || 'Point-to-site not configured', 'tunnel-types'),
    item('Client address pool', (cfg.vpnClientAddressPool?.addressPrefixes ?? []).join(', ') || '—'),
    item('Connected clients', clients));
  const diagram = h('figure', { class: 'card diagram' },
    h('figcaption', { text: 'Topology' }),
    topology(vnet, gw, address, cfg));
  // setChildren leaves out a null (no expiry warnings); replaceChildren wrote it as the text "null".
  setChildren(page, ...[
    pageHeader(name, `Virtual network gateway · ${rg}`, deleteButton('Delete gateway ' + name, 'Gateway ' + name, async () => {
      await deleteAndWait(paths.gateway(rg, name));
      banner.flash('success', 'Gateway ' + name + ' deleted.');
      location.hash = '#/virtualNetworkGateways';
    })),
    gatewayTabs(rg, name, 'overview'),
    expiryWarnings(cfg),
    h('section', { class: 'card', 'aria-labelledby': 'essentials-h' }, h('h2', { id: 'essentials-h', text: 'Essentials' }), essentials),
    hostServes(status, gw),
    diagram].filter((n) => n != null));

  const refreshClients = async () => {
    try {
      const health = await postAction(paths.gateway(rg, name) + '/getVpnClientConnectionHealth');
      const n = (health?.value ?? []).length;
      clients.textContent = String(n);
      const label = document.getElementById('diagram-clients');
      if (label) label.textContent = n === 1 ? '1 client' : n + ' clients';
    } catch (e) {
      clients.textContent = e instanceof ApiError && e.status === 403 ? 'needs the Contributor role' : '—';
    }
  };
  if (!session.canWrite) {
    // As in Azure, session health needs Contributor (azure-p2s.md §6.1): a Reader's poll would only be refused.
    clients.textContent = 'needs the Contributor role';
  } else if (cfg.vpnClientProtocols?.length) {
    await refreshClients();
    const t = setInterval(refreshClients, LIVE_REFRESH_MS);
    ctx.onLeave(() => clearInterval(t));
  } else {
    clients.textContent = '0';
  }
  if (!/^(Succeeded|Failed|Canceled)$/.test(state)) {
    const t = setTimeout(() => render(page, ctx), PROVISIONING_REFRESH_MS);
    ctx.onLeave(() => clearTimeout(t));
  }
}

/**
 * What this server serves (issue 16): whether it is this gateway, where clients reach it (name, public address,
 * ports, as the client package names them) and, per enabled tunnel type, whether a listener serves it.
 */
function hostServes(status, gw) {
  if (!status) return null;
  const served = String(status.servedGateway ?? '');
  const mine = served.toLowerCase() === String(gw.id ?? '').toLowerCase();
  const e = status.endpoint ?? {};
  const which = mine ? 'This server serves this gateway.'
    : served ? `This server serves gateway ${parseId(served).name}, not this one: this gateway's clients cannot connect here.`
      : 'This server serves no gateway yet (it serves the first gateway given a point-to-site configuration).';
  const ports = [`TCP ${e.tcpPort} (OpenVPN, SSTP)`, `UDP ${e.openVpnUdpPort} (OpenVPN)`,
    `UDP ${(e.ikeUdpPorts ?? [500, 4500]).join(' and ')} (IKEv2)`].join(' · ');
  const rows = mine ? (status.tunnelTypes ?? []).map((t) => h('tr', {},
    h('td', { text: t.tunnelType }),
    h('td', {}, h('span', { class: 'state ' + (t.served ? 'state-succeeded' : 'state-failed'), text: t.served ? 'Served' : 'Not served' })),
    h('td', { text: t.detail ?? '' }))) : [];
  return h('section', { class: 'card', id: 'host-serves', 'aria-labelledby': 'host-serves-h' },
    h('h2', { id: 'host-serves-h', text: 'What this server serves' }),
    h('p', { id: 'host-served-gateway', text: which }),
    h('dl', { class: 'essentials' },
      item('Server name', e.serverName ?? '', 'host-server-name'),
      item('Public address', e.publicAddress ?? '', 'host-public-address'),
      item('Ports', ports, 'host-ports'),
      item('Data plane', status.dataPlane ?? '', 'host-data-plane')),
    mine ? table('Listeners per tunnel type', ['Tunnel type', 'Listener', 'Detail'], rows) : null);
}

function item(term, value, id) {
  return h('div', { class: 'essential' }, h('dt', { text: term }), h('dd', { id }, value));
}

/** Root certificates that expire within EXPIRY_WARNING_DAYS, or have expired, or cannot be read. */
function expiryWarnings(cfg) {
  const warnings = [];
  for (const root of cfg.vpnClientRootCertificates ?? []) {
    const d = describeCertData(root.properties?.publicCertData ?? '');
    if (!d.ok) { warnings.push(`Root certificate ${root.name} could not be read (${d.error}).`); continue; }
    const days = daysUntil(d.info.notAfter);
    const when = d.info.notAfter.toISOString().slice(0, 10);
    if (days < 0) warnings.push(`Root certificate ${root.name} (CN=${d.info.subjectCN}) expired on ${when}. Clients chained to it cannot connect.`);
    else if (days <= EXPIRY_WARNING_DAYS) warnings.push(`Root certificate ${root.name} (CN=${d.info.subjectCN}) expires on ${when}, in ${days} day${days === 1 ? '' : 's'}.`);
  }
  if (!warnings.length) return null;
  return h('section', { class: 'warning', id: 'expiry-warnings', role: 'alert' },
    h('h2', { text: 'Certificates expiring soon' }), h('ul', {}, warnings.map((w) => h('li', { text: w }))));
}

/** VNet ↔ gateway ↔ clients, drawn with plain SVG so it scales with the window. */
function topology(vnet, gw, address, cfg) {
  const vnetName = vnet?.name ?? 'virtual network';
  const space = (vnet?.properties?.addressSpace?.addressPrefixes ?? []).join(', ');
  const pool = (cfg.vpnClientAddressPool?.addressPrefixes ?? []).join(', ') || 'no pool';
  const box = (x, label, sub, id) => svg('g', {},
    svg('rect', { x, y: 20, width: 180, height: 80, rx: 8, class: 'node' }),
    svg('text', { x: x + 90, y: 52, 'text-anchor': 'middle', class: 'node-title', text: label }),
    svg('text', { x: x + 90, y: 76, 'text-anchor': 'middle', class: 'node-sub', text: sub, ...(id ? { id } : {}) }));
  return svg('svg', { viewBox: '0 0 640 120', role: 'img', 'aria-label': `Virtual network ${vnetName} connected to gateway ${gw.name}, which VPN clients reach` },
    svg('line', { x1: 200, y1: 60, x2: 230, y2: 60, class: 'link' }),
    svg('line', { x1: 410, y1: 60, x2: 440, y2: 60, class: 'link link-clients' }),
    box(20, vnetName, space),
    box(230, gw.name, address || 'no public address'),
    box(440, 'VPN clients', '…', 'diagram-clients'),
    svg('text', { x: 530, y: 114, 'text-anchor': 'middle', class: 'node-sub', text: 'pool ' + pool }));
}
