// Virtual networks: address space, subnets (with GatewaySubnet) and DNS servers (azure-p2s.md §1.2).
import { h, setChildren, table, field, input, button, banner, splitList, clearErrors, placeApiError } from '../dom.js';
import { listAll, list, paths, get, request, putAndWait, deleteAndWait, session } from '../api.js';
import { proposeGatewaySubnet } from '../cidr.js';
import { pageHeader, createCard, deleteButton, locationSelect, resourceGroupNames, rgSelect, NAME_RULES } from './common.js';

export const GATEWAY_SUBNET = 'GatewaySubnet';

export async function render(page, ctx) {
  if (ctx.mode === 'edit') return renderEdit(page, ctx.params[0], ctx.params[1]);
  const [vnets, rgs] = await Promise.all([listAll('vnets'), resourceGroupNames()]);
  const rows = vnets.map((v) => {
    const rg = rgOf(v);
    const subnets = v.properties?.subnets ?? [];
    return h('tr', {},
      h('td', {}, h('a', { href: `#/virtualNetworks/${encodeURIComponent(rg)}/${encodeURIComponent(v.name)}`, text: v.name })),
      h('td', {}, rg),
      h('td', {}, (v.properties?.addressSpace?.addressPrefixes ?? []).join(', ')),
      h('td', {}, subnets.map((s) => `${s.name} ${s.properties?.addressPrefix ?? ''}`).join('; ')),
      h('td', {}, (v.properties?.dhcpOptions?.dnsServers ?? []).join(', ') || 'Azure-provided'),
      h('td', { class: 'row-actions' }, deleteButton('Delete virtual network ' + v.name, 'Virtual network ' + v.name, async () => {
        await deleteAndWait(paths.vnet(rg, v.name));
        render(page, ctx);
      })));
  });
  setChildren(page,
    pageHeader('Virtual networks', 'Address space, subnets (a gateway needs a subnet named GatewaySubnet) and DNS servers.'),
    table('Virtual networks', ['Name', 'Resource group', 'Address space', 'Subnets', 'DNS servers', ''], rows),
    createForm(page, ctx, rgs));
}

export function rgOf(resource) {
  const m = /\/resourceGroups\/([^/]+)/i.exec(resource.id ?? '');
  return m ? decodeURIComponent(m[1]) : '';
}

function subnetRow(list, index, name = '', prefix = '') {
  const n = input({ value: name, placeholder: index === 0 ? 'e.g. FrontEnd' : 'Subnet name', 'data-subnet-name': '' });
  const p = input({ value: prefix, placeholder: index === 0 ? 'e.g. 10.1.0.0/24' : 'e.g. 10.1.1.0/24', 'data-subnet-prefix': '' });
  const row = h('div', { class: 'subnet-row' },
    field(`vnet-subnet-name-${index}`, 'Subnet name', n),
    field(`vnet-subnet-prefix-${index}`, 'Subnet address range', p),
    button('Remove', () => row.remove(), { class: 'btn btn-quiet', 'aria-label': 'Remove subnet row ' + (index + 1) }));
  list.append(row);
  return row;
}

function createForm(page, ctx, rgs) {
  const rg = rgSelect(rgs);
  const name = input({ placeholder: 'e.g. VNet1', required: true });
  const loc = locationSelect();
  const space = input({ placeholder: 'e.g. 10.1.0.0/16', required: true });
  const dns = input({ placeholder: 'Leave empty for Azure-provided DNS' });
  const subnetList = h('div', { class: 'subnet-list' });
  let counter = 0;
  subnetRow(subnetList, counter++);
  const subnets = h('fieldset', { class: 'subnets', id: 'vnet-subnets', tabindex: '-1', 'aria-describedby': 'vnet-subnets-error' },
    h('legend', { text: 'Subnets' }),
    subnetList,
    h('p', { class: 'field-error', id: 'vnet-subnets-error', role: 'alert', hidden: true }),
    h('div', { class: 'inline-actions' },
      button('Add subnet', () => subnetRow(subnetList, counter++).querySelector('input').focus(), { id: 'vnet-add-subnet' }),
      button('Add GatewaySubnet', () => {
        // A free /27 inside the address space (azure-p2s.md §1.2: /27 or larger recommended), or empty when the
        // space is not filled in yet or has no room.
        const used = readSubnets().map((s) => s.prefix);
        const r = subnetRow(subnetList, counter++, GATEWAY_SUBNET, proposeGatewaySubnet(splitList(space.value), used) ?? '');
        r.querySelector('[data-subnet-prefix]').focus();
      }, { id: 'vnet-add-gateway-subnet' })));
  const readSubnets = () => [...subnetList.querySelectorAll('.subnet-row')].map((r) => ({
    name: r.querySelector('[data-subnet-name]').value.trim(),
    prefixField: r.querySelector('[data-subnet-prefix]').id,
    prefix: r.querySelector('[data-subnet-prefix]').value.trim(),
  })).filter((s) => s.name || s.prefix);
  // A message naming a subnet goes under that subnet's range; other subnet messages under the group.
  const rules = () => [
    ...readSubnets().map((s) => [new RegExp('\\b' + s.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\b'), s.prefixField]),
    [/subnet/i, 'vnet-subnets'],
    [/dns/i, 'vnet-dns'],
    [/address ?space|addressPrefixes|prefix|CIDR/i, 'vnet-space'],
    ...NAME_RULES('vnet-name'),
  ];
  return createCard('vnet-create', 'Create a virtual network', [
    field('vnet-rg', 'Resource group', rg),
    field('vnet-name', 'Name', name),
    field('vnet-location', 'Region', loc),
    field('vnet-space', 'Address space', space, 'One or more CIDR prefixes, separated by commas.'),
    field('vnet-dns', 'DNS servers', dns, 'Optional. The gateway pushes these to VPN clients.'),
    subnets,
  ], async (form, progress) => {
    const body = {
      location: loc.value,
      properties: {
        addressSpace: { addressPrefixes: splitList(space.value) },
        dhcpOptions: { dnsServers: splitList(dns.value) },
        subnets: readSubnets().map((s) => ({ name: s.name, properties: { addressPrefix: s.prefix } })),
      },
    };
    await putAndWait(paths.vnet(rg.value, name.value.trim()), body, progress);
    await render(page, ctx);
    banner.success('Virtual network ' + name.value.trim() + ' created.');
  }, rules);
}

async function renderEdit(page, rg, name) {
  const v = await get(paths.vnet(rg, name));
  const readOnly = !session.canWrite;
  const space = input({ value: (v.properties?.addressSpace?.addressPrefixes ?? []).join(', '), readOnly });
  const dns = input({ value: (v.properties?.dhcpOptions?.dnsServers ?? []).join(', '), readOnly, placeholder: 'Empty: Azure-provided DNS' });
  const saveStatus = h('span', { class: 'op-status', role: 'status', 'aria-live': 'polite' });
  const settings = h('form', { class: 'card', id: 'vnet-settings', novalidate: true },
    h('h2', { text: 'Settings' }),
    field('vnet-space', 'Address space', space, 'One or more CIDR prefixes, separated by commas.'),
    field('vnet-dns', 'DNS servers', dns, 'Empty means Azure-provided DNS. Regenerate client packages after a change.'),
    readOnly ? null : h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'btn btn-primary', id: 'vnet-save' }, 'Save'), saveStatus));
  settings.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(settings);
    const fresh = await get(paths.vnet(rg, name));
    fresh.properties.addressSpace = { addressPrefixes: splitList(space.value) };
    fresh.properties.dhcpOptions = { dnsServers: splitList(dns.value) };
    try {
      saveStatus.textContent = 'Saving…';
      await putAndWait(paths.vnet(rg, name), fresh, (s) => { saveStatus.textContent = s; });
      saveStatus.textContent = '';
      banner.success('Virtual network ' + name + ' saved.');
    } catch (e) {
      saveStatus.textContent = '';
      placeApiError(settings, e, [[/dns/i, 'vnet-dns'], [/address|prefix|subnet/i, 'vnet-space']]);
    }
  });
  const subnets = await list(paths.vnet(rg, name) + '/subnets').catch(() => v.properties?.subnets ?? []);
  const rows = (subnets.length ? subnets : v.properties?.subnets ?? []).map((s) => h('tr', {},
    h('td', {}, s.name),
    h('td', {}, s.properties?.addressPrefix ?? ''),
    h('td', {}, s.name === GATEWAY_SUBNET ? 'Reserved for the gateway' : ''),
    h('td', { class: 'row-actions' }, deleteButton('Delete subnet ' + s.name, 'Subnet ' + s.name, async () => {
      await deleteAndWait(paths.subnet(rg, name, s.name));
      renderEdit(page, rg, name);
    }))));
  const sName = input({ placeholder: 'e.g. GatewaySubnet', required: true });
  const sPrefix = input({ placeholder: 'e.g. 10.1.255.0/27', required: true });
  const addSubnet = createCard('subnet-create', 'Add a subnet', [
    field('subnet-name', 'Name', sName, 'Name the gateway subnet exactly GatewaySubnet; /27 or larger is recommended.'),
    field('subnet-prefix', 'Address range', sPrefix),
  ], async () => {
    await putAndWait(paths.subnet(rg, name, sName.value.trim()), { properties: { addressPrefix: sPrefix.value.trim() } });
    await renderEdit(page, rg, name);
    banner.success('Subnet ' + sName.value.trim() + ' added.');
  }, [[/address|prefix|overlap|CIDR/i, 'subnet-prefix'], ...NAME_RULES('subnet-name')], 'Add subnet');
  setChildren(page,
    pageHeader(name, `Virtual network · ${rg} · ${v.location ?? ''}`, h('a', { class: 'btn btn-quiet', href: '#/virtualNetworks', text: 'All virtual networks' })),
    settings,
    table('Subnets', ['Name', 'Address range', '', ''], rows),
    addSubnet);
}
