// Virtual network gateways: list and create (seed "Create the VPN gateway"; azure-p2s.md §1.3, §2.6).
import { h, setChildren, table, field, input, select, banner } from '../dom.js';
import { listAll, list, paths, putAndWait, session } from '../api.js';
import { pageHeader, createCard, locationSelect, resourceGroupNames, rgSelect, NAME_RULES } from './common.js';
import { rgOf, GATEWAY_SUBNET } from './virtualNetworks.js';

/** Which SKUs each generation offers (azure-p2s.md §2.6: Gen1 Basic/VpnGw1-3(AZ), Gen2 VpnGw2-5(AZ)). */
export const SKUS_BY_GENERATION = {
  Generation1: ['VpnGw1', 'VpnGw2', 'VpnGw3', 'VpnGw1AZ', 'VpnGw2AZ', 'VpnGw3AZ', 'Basic'],
  Generation2: ['VpnGw2', 'VpnGw3', 'VpnGw4', 'VpnGw5', 'VpnGw2AZ', 'VpnGw3AZ', 'VpnGw4AZ', 'VpnGw5AZ'],
};
/** The SKU list of the create form, smallest first. */
const ALL_SKUS = ['VpnGw1', 'VpnGw2', 'VpnGw3', 'VpnGw4', 'VpnGw5', 'VpnGw1AZ', 'VpnGw2AZ', 'VpnGw3AZ', 'VpnGw4AZ', 'VpnGw5AZ', 'Basic'];

export function gatewayLink(gw) {
  return `#/virtualNetworkGateways/${encodeURIComponent(rgOf(gw))}/${encodeURIComponent(gw.name)}`;
}

export async function render(page, ctx) {
  const [gws, rgs] = await Promise.all([listAll('gateways'), resourceGroupNames()]);
  const rows = gws.map((g) => {
    const p = g.properties ?? {};
    return h('tr', {},
      h('td', {}, h('a', { href: gatewayLink(g), text: g.name })),
      h('td', {}, rgOf(g)),
      h('td', {}, p.sku?.name ?? ''),
      h('td', {}, p.vpnGatewayGeneration ?? ''),
      h('td', {}, h('span', { class: 'state state-' + String(p.provisioningState ?? '').toLowerCase(), text: p.provisioningState ?? '' })),
      h('td', {}, (p.vpnClientConfiguration?.vpnClientProtocols ?? []).join(', ') || 'Not configured'));
  });
  setChildren(page,
    pageHeader('Virtual network gateways', 'Route-based VPN gateways that accept point-to-site clients.'),
    table('Virtual network gateways', ['Name', 'Resource group', 'SKU', 'Generation', 'Provisioning state', 'Point-to-site'], rows),
    await createForm(rgs));
}

async function createForm(rgs) {
  if (!session.canWrite) return null;
  const rg = rgSelect(rgs);
  const name = input({ placeholder: 'e.g. VNet1GW', required: true });
  const loc = locationSelect();
  const type = select([['Vpn', 'VPN'], ['ExpressRoute', 'ExpressRoute (not supported here)', true]], 'Vpn');
  const vpnType = select([['RouteBased', 'Route-based'], ['PolicyBased', 'Policy-based (no point-to-site)', true]], 'RouteBased');
  const generation = select([['Generation1', 'Generation1'], ['Generation2', 'Generation2']], 'Generation2');
  // Every SKU is offered (VpnGw1 and Basic too, which are Generation1 only); picking one that the chosen generation
  // lacks switches the generation, as the SKU decides it in Azure's portal (azure-p2s.md §2.6).
  const sku = select(ALL_SKUS, 'VpnGw2');
  const vnet = select([], undefined, { required: true });
  const pip = select([], undefined, { required: true });
  generation.addEventListener('change', () => {
    if (!SKUS_BY_GENERATION[generation.value].includes(sku.value)) sku.value = SKUS_BY_GENERATION[generation.value][0];
  });
  sku.addEventListener('change', () => {
    if (!SKUS_BY_GENERATION[generation.value].includes(sku.value)) {
      generation.value = Object.keys(SKUS_BY_GENERATION).find((g) => SKUS_BY_GENERATION[g].includes(sku.value));
    }
  });
  async function fillChoices() {
    if (!rg.value) return;
    const [vnets, ips] = await Promise.all([list(paths.vnets(rg.value)), list(paths.publicIps(rg.value))]);
    vnet.replaceChildren(...(vnets.length ? vnets.map((v) => {
      const gs = (v.properties?.subnets ?? []).find((s) => s.name === GATEWAY_SUBNET);
      return h('option', { value: v.name, text: gs ? `${v.name} (GatewaySubnet ${gs.properties?.addressPrefix ?? ''})` : `${v.name} (no GatewaySubnet yet)` });
    }) : [h('option', { value: '', text: 'No virtual network in this resource group', disabled: true })]));
    // A public IP that another gateway's ipConfiguration uses (its ipConfiguration back-reference, as in Azure) is
    // not offered: the API would refuse it with PublicIPAddressInUse (issue 16).
    const free = ips.filter((p) => !p.properties?.ipConfiguration?.id);
    const none = ips.length ? 'Every public IP address in this resource group is in use by a gateway'
      : 'No public IP address in this resource group';
    pip.replaceChildren(...(free.length ? free.map((p) => h('option', { value: p.name, text: p.name }))
      : [h('option', { value: '', text: none, disabled: true })]));
  }
  rg.addEventListener('change', fillChoices);
  await fillChoices();
  return createCard('gw-create', 'Create a virtual network gateway', [
    field('gw-rg', 'Resource group', rg),
    field('gw-name', 'Name', name),
    field('gw-location', 'Region', loc),
    field('gw-type', 'Gateway type', type),
    field('gw-vpntype', 'VPN type', vpnType),
    field('gw-generation', 'Generation', generation),
    field('gw-sku', 'SKU', sku, 'VpnGw1 and Basic are Generation1 only, VpnGw4 and VpnGw5 Generation2 only. Basic has no IKEv2 and no OpenVPN.'),
    field('gw-vnet', 'Virtual network', vnet, 'It must have a subnet named GatewaySubnet.'),
    field('gw-pip', 'Public IP address', pip),
  ], async (form, progress) => {
    const sub = session.subscription;
    const vnetId = `/subscriptions/${sub}/resourceGroups/${rg.value}/providers/Microsoft.Network/virtualNetworks/${vnet.value}`;
    const body = {
      location: loc.value,
      properties: {
        gatewayType: type.value,
        vpnType: vpnType.value,
        vpnGatewayGeneration: generation.value,
        sku: { name: sku.value, tier: sku.value },
        activeActive: false,
        enableBgp: false,
        ipConfigurations: [{
          name: 'default',
          properties: {
            privateIPAllocationMethod: 'Dynamic',
            subnet: { id: `${vnetId}/subnets/${GATEWAY_SUBNET}` },
            publicIPAddress: { id: `/subscriptions/${sub}/resourceGroups/${rg.value}/providers/Microsoft.Network/publicIPAddresses/${pip.value}` },
          },
        }],
      },
    };
    const gwName = name.value.trim();
    progress('Creating… (provisioning state: Updating)');
    const gw = await putAndWait(paths.gateway(rg.value, gwName), body, (s) => progress('Creating… (' + s + ')'));
    banner.flash('success', `Gateway ${gwName}: ${gw?.properties?.provisioningState ?? 'created'}.`);
    location.hash = `#/virtualNetworkGateways/${encodeURIComponent(rg.value)}/${encodeURIComponent(gwName)}`;
  }, [
    [/GatewaySubnet|subnet|virtual network|vnet/i, 'gw-vnet'],
    [/public ?ip/i, 'gw-pip'],
    [/generation/i, 'gw-generation'],
    [/sku/i, 'gw-sku'],
    [/vpnType|policy/i, 'gw-vpntype'],
    ...NAME_RULES('gw-name'),
  ]);
}
