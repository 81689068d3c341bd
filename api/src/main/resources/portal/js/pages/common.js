// Pieces shared by the resource pages: the page header, the create-form card, delete buttons,
// resource-group and location pickers.
import { h, field, input, select, button, banner, clearErrors, placeApiError, showFieldError } from '../dom.js';
import { list, paths, session, RESOURCES_API_VERSION } from '../api.js';

export const LOCATIONS = ['eastus', 'eastus2', 'westus', 'westus2', 'centralus', 'northeurope', 'westeurope', 'uksouth', 'southeastasia', 'australiaeast'];

/** Rules mapping an ARM error about a name to the name field (azure-p2s.md §2.3 "Resource name ... is invalid"). */
export const NAME_RULES = (id) => [[/resource name|\bname\b|InvalidResourceName/i, id]];

export function pageHeader(title, subtitle, ...actions) {
  return h('div', { class: 'page-header' },
    h('div', {}, h('h1', { tabindex: '-1', text: title }), subtitle ? h('p', { class: 'subtitle', text: subtitle }) : null),
    h('div', { class: 'header-actions' }, actions));
}

export async function resourceGroupNames() {
  return (await list(paths.resourceGroups(), { version: RESOURCES_API_VERSION })).map((g) => g.name);
}

export function rgSelect(names, value) {
  return select(names.length ? names : [['', 'Create a resource group first', true]], value ?? names[0], { required: true });
}

export function locationSelect(value = 'eastus') {
  return select(LOCATIONS.includes(value) ? LOCATIONS : [value, ...LOCATIONS], value);
}

/**
 * A collapsible "Create" card. Only contributors see it (read-only tokens see no write controls).
 * {@code onSubmit(form)} throws ApiError on failure; {@code rules} place its message.
 */
export function createCard(id, title, fields, onSubmit, rules, submitLabel = 'Create') {
  if (!session.canWrite) return null;
  const status = h('span', { class: 'op-status', role: 'status', 'aria-live': 'polite' });
  const submit = h('button', { type: 'submit', class: 'btn btn-primary', id: id + '-submit' }, submitLabel);
  const form = h('form', { class: 'card create', id, novalidate: true },
    h('h2', { text: title }), fields, h('div', { class: 'actions' }, submit, status));
  // A field's message goes once the user edits that field (it spoke of the value that was there).
  form.addEventListener('input', (ev) => {
    const slot = ev.target.id ? form.querySelector('#' + CSS.escape(ev.target.id + '-error')) : null;
    if (!slot) return;
    slot.hidden = true;
    slot.textContent = '';
    ev.target.removeAttribute('aria-invalid');
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    // Required fields are checked here, before anything is sent: an empty name made the URL a collection's and
    // the API answered "does not support http method 'PUT'" (issue 16).
    if (!requiredFilled(form)) return;
    submit.disabled = true;
    status.textContent = 'Working…';
    try {
      await onSubmit(form, (s) => { status.textContent = s; });
      status.textContent = '';
    } catch (e) {
      status.textContent = '';
      placeApiError(form, e, typeof rules === 'function' ? rules() : rules ?? []);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}

/** Shows "… is required." under every empty required field of {@code form}; true when there is none. */
export function requiredFilled(form) {
  let ok = true;
  for (const control of form.querySelectorAll('[required]')) {
    if (String(control.value ?? '').trim()) continue;
    const label = form.querySelector(`label[for="${CSS.escape(control.id)}"]`)?.textContent ?? 'This field';
    showFieldError(form, control.id, label + ' is required.', ok);
    ok = false;
  }
  return ok;
}

/** A Delete button (contributors only) that asks once, inline, without a modal. */
export function deleteButton(label, what, action) {
  if (!session.canWrite) return null;
  const b = button('Delete', async () => {
    if (b.dataset.armed !== 'true') {
      b.dataset.armed = 'true';
      b.textContent = 'Confirm delete';
      b.classList.add('btn-danger');
      b.setAttribute('aria-label', 'Confirm deleting ' + what);
      return;
    }
    b.disabled = true;
    b.textContent = 'Deleting…';
    try {
      await action();
      banner.success(what + ' deleted.');
    } catch (e) {
      banner.error(e);
      b.disabled = false;
      b.textContent = 'Delete';
      b.dataset.armed = 'false';
    }
  }, { 'aria-label': label });
  return b;
}

export { field, input, select, button };
