// Public IP addresses: Standard SKU with Static allocation is what a gateway needs (azure-p2s.md §1.2).
import { h, setChildren, table, field, input, select, banner } from '../dom.js';
import { listAll, paths, putAndWait, deleteAndWait, parseId } from '../api.js';
import { pageHeader, createCard, deleteButton, locationSelect, resourceGroupNames, rgSelect, NAME_RULES } from './common.js';
import { rgOf } from './virtualNetworks.js';

export async function render(page, ctx) {
  const [ips, rgs] = await Promise.all([listAll('publicIps'), resourceGroupNames()]);
  const rows = ips.map((p) => {
    const rg = rgOf(p);
    return h('tr', {},
      h('td', {}, p.name),
      h('td', {}, rg),
      h('td', {}, p.properties?.ipAddress ?? '(assigned when a gateway uses it)'),
      h('td', {}, [p.sku?.name ?? '', p.properties?.publicIPAllocationMethod ?? ''].filter(Boolean).join(' / ')),
      h('td', {}, usedBy(p)),
      h('td', { class: 'row-actions' }, deleteButton('Delete public IP address ' + p.name, 'Public IP address ' + p.name, async () => {
        await deleteAndWait(paths.publicIp(rg, p.name));
        render(page, ctx);
      })));
  });
  const rg = rgSelect(rgs);
  const name = input({ placeholder: 'e.g. VNet1GWpip', required: true });
  const loc = locationSelect();
  const sku = select([['Standard', 'Standard'], ['Basic', 'Basic (only for Basic gateways)']], 'Standard');
  const alloc = select(['Static', 'Dynamic'], 'Static');
  sku.addEventListener('change', () => { if (sku.value === 'Standard') alloc.value = 'Static'; });
  const form = createCard('pip-create', 'Create a public IP address', [
    field('pip-rg', 'Resource group', rg),
    field('pip-name', 'Name', name),
    field('pip-location', 'Region', loc),
    field('pip-sku', 'SKU', sku),
    field('pip-allocation', 'Assignment', alloc, 'Standard public IPs must be Static.'),
  ], async (f, progress) => {
    await putAndWait(paths.publicIp(rg.value, name.value.trim()), {
      location: loc.value, sku: { name: sku.value }, properties: { publicIPAllocationMethod: alloc.value },
    }, progress);
    await render(page, ctx);
    banner.success('Public IP address ' + name.value.trim() + ' created.');
  }, [[/alloc|static|dynamic/i, 'pip-allocation'], [/sku/i, 'pip-sku'], ...NAME_RULES('pip-name')]);
  setChildren(page,
    pageHeader('Public IP addresses', 'The address VPN clients connect to. A gateway takes one.'),
    table('Public IP addresses', ['Name', 'Resource group', 'Address', 'SKU / assignment', 'Associated', ''], rows),
    form);
}

/**
 * The gateway that uses a public IP, from its ipConfiguration back-reference
 * (".../virtualNetworkGateways/VNet1GW/ipConfigurations/default"), linked to the gateway; empty when unused.
 */
function usedBy(p) {
  const id = p.properties?.ipConfiguration?.id;
  if (!id) return '';
  const m = /\/resourceGroups\/([^/]+)\/providers\/Microsoft\.Network\/virtualNetworkGateways\/([^/]+)/i.exec(id);
  if (!m) return parseId(id).name;
  const [, rg, gw] = m.map(decodeURIComponent);
  return h('a', { href: `#/virtualNetworkGateways/${encodeURIComponent(rg)}/${encodeURIComponent(gw)}`, text: gw });
}
