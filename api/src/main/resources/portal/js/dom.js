// Small DOM helpers: elements built with textContent (never innerHTML with data), labelled fields
// with an error slot each, a page banner, and number/time formatting.

export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'value') el.value = v;
    else if (k === 'checked' || k === 'disabled' || k === 'selected' || k === 'required' || k === 'readOnly') el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, kids);
  return el;
}

/**
 * Replaces an element's children, leaving out null/false as h() does: Element.replaceChildren writes a null as the
 * text "null" (a reader's page got "null" where the create form is hidden, the overview above "Essentials").
 */
export function setChildren(el, ...kids) {
  el.replaceChildren();
  append(el, kids);
}

function append(el, kids) {
  for (const k of kids.flat(Infinity)) {
    if (k === undefined || k === null || k === false) continue;
    el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  }
}

const SVG_NS = 'http://www.w3.org/2000/svg';
export function svg(tag, attrs = {}, ...kids) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'text') el.textContent = v; else el.setAttribute(k, String(v));
  }
  append(el, kids);
  return el;
}

/**
 * A labelled form field: label, control, optional hint, and an error slot that validation
 * messages from the API are put into (aria-describedby ties them to the control).
 */
export function field(id, label, control, hint) {
  control.id = id;
  const errorId = id + '-error';
  const hintId = id + '-hint';
  const described = [hint ? hintId : '', errorId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', described);
  return h('div', { class: 'field', 'data-field': id },
    h('label', { for: id, text: label }),
    control,
    hint ? h('p', { class: 'hint', id: hintId, text: hint }) : null,
    h('p', { class: 'field-error', id: errorId, role: 'alert', hidden: true }));
}

export function input(attrs = {}) {
  return h('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });
}

export function select(options, value, attrs = {}) {
  const s = h('select', attrs);
  for (const o of options) {
    const [v, label, disabled] = Array.isArray(o) ? o : [o, o, false];
    s.append(h('option', { value: v, text: label, selected: v === value, disabled }));
  }
  if (value !== undefined) s.value = value;
  return s;
}

export function button(label, onclick, attrs = {}) {
  return h('button', { type: 'button', class: 'btn', onclick, ...attrs }, label);
}

/** Shows {@code message} under the field {@code id}, marks the control invalid and focuses it. */
export function showFieldError(root, id, message, focus = true) {
  const slot = root.querySelector('#' + CSS.escape(id + '-error'));
  const control = root.querySelector('#' + CSS.escape(id));
  if (!slot || !control) return false;
  slot.textContent = message;
  slot.hidden = false;
  control.setAttribute('aria-invalid', 'true');
  if (focus) control.focus();
  return true;
}

export function clearErrors(root) {
  for (const s of root.querySelectorAll('.field-error')) { s.textContent = ''; s.hidden = true; }
  for (const c of root.querySelectorAll('[aria-invalid]')) c.removeAttribute('aria-invalid');
  banner.clear();
}

/** An ARM resource id inside an error message, up to the next blank, quote or comma. */
const ARM_ID = /\/subscriptions\/[^\s'",]+/gi;

/**
 * The names an ARM id stands for: ".../virtualNetworkGateways/VNet1GW/ipConfigurations/default" reads
 * "VNet1GW/default". Full ids ran past the card and their type words misled the field rules (issue 16).
 */
export function shortenIds(text) {
  return String(text ?? '').replace(ARM_ID, (id) => {
    const parts = id.replace(/[.)]+$/, '').split('/').filter(Boolean);
    const tail = id.slice(id.replace(/[.)]+$/, '').length);
    const p = parts.findIndex((x) => x.toLowerCase() === 'providers');
    const rest = p >= 0 ? parts.slice(p + 2) : parts.slice(2);
    const names = rest.filter((_, i) => i % 2 === 1);
    return (names.length ? names.join('/') : parts[parts.length - 1] ?? id) + tail;
  });
}

/**
 * Puts an API error under the field it concerns (issue 16): the first rule whose pattern matches the error's code
 * names the field; failing that, its target (ARM's error.target, or a detail's); failing that, its message with ARM
 * ids left out (an id's type and resource names said "virtual network" for a public IP error: PublicIPAddressInUse
 * landed under "Virtual network"). Anything else goes to the page banner. Shown with names instead of full ids.
 * @param rules [[RegExp, fieldId], ...]
 */
export function placeApiError(root, err, rules) {
  const shown = shortenIds(err.message) + (err.code ? ' (' + err.code + ')' : '');
  const targets = [err.target, ...(err.details ?? []).map((d) => d?.target)].filter(Boolean).join(' ');
  const texts = [err.code ?? '', targets, String(err.message ?? '').replace(ARM_ID, ' ')];
  for (const text of texts) {
    if (!text) continue;
    for (const [pattern, id] of rules) {
      if (pattern.test(text) && showFieldError(root, id, shown)) return id;
    }
  }
  banner.error(err);
  return '';
}

export const banner = {
  el: () => document.getElementById('banner'),
  show(kind, message) {
    const el = this.el();
    el.className = 'banner ' + kind;
    el.textContent = message;
    el.hidden = false;
  },
  error(err) {
    this.show('error', err.code ? `${shortenIds(err.message)} (${err.code})` : String(err.message ?? err));
  },
  info(message) { this.show('info', message); },
  success(message) { this.show('success', message); },
  /** Shows a message on the next page (after a navigation, which clears the banner). */
  flash(kind, message) { this.pending = [kind, message]; },
  pending: null,
  clear() {
    const el = this.el();
    if (!el) return;
    if (this.pending) {
      const [kind, message] = this.pending;
      this.pending = null;
      this.show(kind, message);
      return;
    }
    el.hidden = true;
    el.textContent = '';
  },
};

export function formatBytes(n) {
  const v = Number(n) || 0;
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (x >= 1024 && i < units.length - 1) { x /= 1024; i++; }
  return (i === 0 ? String(x) : x.toFixed(1)) + ' ' + units[i];
}

export function formatDuration(seconds) {
  let s = Math.max(0, Math.floor(Number(seconds) || 0));
  const d = Math.floor(s / 86400); s -= d * 86400;
  const hh = Math.floor(s / 3600); s -= hh * 3600;
  const mm = Math.floor(s / 60); s -= mm * 60;
  const pad = (x) => String(x).padStart(2, '0');
  return (d ? d + 'd ' : '') + `${pad(hh)}:${pad(mm)}:${pad(s)}`;
}

export function formatDate(date) {
  return date.toISOString().slice(0, 10);
}

/** Splits "10.1.0.0/16, 10.2.0.0/16" or one-per-line text into a list. */
export function splitList(text) {
  return String(text).split(/[\s,;]+/).map((s) => s.trim()).filter(Boolean);
}

/** Table with a caption inside a horizontally scrolling wrapper (narrow windows). */
export function table(caption, headers, rows) {
  // Each cell carries its column name so a narrow window can show rows as stacked cards.
  for (const tr of rows) {
    [...tr.children].forEach((td, i) => { if (headers[i]) td.setAttribute('data-label', headers[i]); });
  }
  return h('div', { class: 'table-wrap stack', tabindex: '0', role: 'region', 'aria-label': caption },
    h('table', {},
      h('caption', { text: caption }),
      h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col', text: x })))),
      h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: headers.length, class: 'empty', text: 'None yet.' })))));
}
