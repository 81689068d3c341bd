// Resource groups: list, create, delete (azure-p2s.md §1.2).
import { h, setChildren, table, field, input, banner } from '../dom.js';
import { list, paths, request, deleteAndWait, RESOURCES_API_VERSION, followOperation } from '../api.js';
import { pageHeader, createCard, deleteButton, locationSelect, NAME_RULES } from './common.js';

export async function render(page, ctx) {
  const groups = await list(paths.resourceGroups(), { version: RESOURCES_API_VERSION });
  const rows = groups.map((g) => h('tr', {},
    h('td', {}, g.name),
    h('td', {}, g.location ?? ''),
    h('td', {}, g.properties?.provisioningState ?? ''),
    h('td', { class: 'row-actions' }, deleteButton('Delete resource group ' + g.name, 'Resource group ' + g.name, async () => {
      await deleteAndWait(paths.resourceGroup(g.name), undefined, { version: RESOURCES_API_VERSION });
      render(page, ctx);
    }))));
  const name = input({ placeholder: 'e.g. TestRG1', required: true });
  const loc = locationSelect();
  const form = createCard('rg-create', 'Create a resource group', [
    field('rg-name', 'Name', name),
    field('rg-location', 'Region', loc),
  ], async () => {
    const resp = await request('PUT', paths.resourceGroup(name.value.trim()), { location: loc.value }, { version: RESOURCES_API_VERSION });
    await followOperation(resp);
    await render(page, ctx);
    banner.success('Resource group ' + name.value.trim() + ' created.');
  }, NAME_RULES('rg-name'));
  setChildren(page,
    pageHeader('Resource groups', 'Containers for virtual networks, public IP addresses and gateways.'),
    table('Resource groups', ['Name', 'Region', 'State', ''], rows),
    form);
}
