// The gateway's own menu, as in the portal: Overview, Point-to-site configuration, sessions.
import { h } from '../dom.js';

export function gatewayTabs(rg, name, active) {
  const base = `#/virtualNetworkGateways/${encodeURIComponent(rg)}/${encodeURIComponent(name)}`;
  const items = [['overview', 'Overview', base], ['pointToSite', 'Point-to-site configuration', base + '/pointToSite'], ['sessions', 'Point-to-site sessions', base + '/sessions']];
  return h('nav', { class: 'tabs', 'aria-label': 'Gateway ' + name },
    h('ul', {}, items.map(([key, label, href]) => h('li', {}, h('a', {
      href, text: label, 'aria-current': key === active ? 'page' : undefined, 'data-tab': key,
    })))));
}

/** The protocol shown for a session: the prefix of its vpnConnectionId (azure-p2s.md §6.1, "<protocol>_<guid>"). */
export function protocolOf(vpnConnectionId) {
  const i = String(vpnConnectionId).indexOf('_');
  return i > 0 ? vpnConnectionId.slice(0, i) : 'unknown';
}
