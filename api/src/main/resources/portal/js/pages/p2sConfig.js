// "Point-to-site configuration", as in the seed: address pool, tunnel type, authentication type,
// root certificates, revoked certificates, Save, Download VPN client (azure-p2s.md §1.4, §2.1-§2.4, §3.1).
import { h, setChildren, field, input, select, button, banner, clearErrors, showFieldError, formatBytes, shortenIds } from '../dom.js';
import { get, paths, putAndWait, postAction, fetchBlob, session, ApiError } from '../api.js';
import {
  cleanCertificateText, cerFileToCertData, describeCertData, thumbprint, cleanThumbprint,
  THUMBPRINT_PATTERN, daysUntil, MAX_CERT_BYTES,
} from '../der.js';
import { pageHeader } from './common.js';
import { gatewayTabs } from './gatewayNav.js';
import { splitList } from '../dom.js';

/** Portal drop-down labels → vpnClientProtocols (seed; azure-p2s.md §2.2). */
export const TUNNEL_TYPES = [
  ['OpenVPN', 'OpenVPN (SSL)', ['OpenVPN']],
  ['SSTP', 'SSTP (SSL)', ['SSTP']],
  ['IkeV2', 'IKEv2', ['IkeV2']],
  ['IkeV2,OpenVPN', 'IKEv2 and OpenVPN (SSL)', ['IkeV2', 'OpenVPN']],
  ['IkeV2,SSTP', 'IKEv2 and SSTP (SSL)', ['IkeV2', 'SSTP']],
  // Not offered by Azure (both are TLS on 443); p2sgw tells them apart by their first bytes (DESIGN.md "Ports").
  ['OpenVPN,SSTP', 'OpenVPN (SSL) and SSTP (SSL)', ['OpenVPN', 'SSTP']],
  ['IkeV2,OpenVPN,SSTP', 'IKEv2, OpenVPN (SSL) and SSTP (SSL)', ['IkeV2', 'OpenVPN', 'SSTP']],
];
/** Up to 20 trusted root certificates (azure-p2s.md §2.3). */
export const MAX_ROOT_CERTIFICATES = 20;

function tunnelKey(protocols) {
  const canon = (protocols ?? []).map((p) => ({ ikev2: 'IkeV2', sstp: 'SSTP', openvpn: 'OpenVPN' })[String(p).toLowerCase()] ?? p);
  const key = TUNNEL_TYPES.find(([, , ps]) => ps.length === canon.length && ps.every((x) => canon.includes(x)));
  return key ? key[0] : '';
}

export async function render(page, ctx) {
  const [rg, name] = ctx.params;
  const gwPath = paths.gateway(rg, name);
  const gw = await get(gwPath);
  const cfg = gw.properties?.vpnClientConfiguration ?? {};
  const ro = !session.canWrite;
  let seq = 0;

  const pool = input({ value: (cfg.vpnClientAddressPool?.addressPrefixes ?? []).join(', '), placeholder: 'e.g. 172.16.201.0/24', readOnly: ro });
  const currentTunnel = tunnelKey(cfg.vpnClientProtocols) || 'OpenVPN';
  const tunnel = select(TUNNEL_TYPES.map(([k, label]) => [k, label]), currentTunnel, { disabled: ro });
  const auth = select([['Certificate', 'Azure certificate'], ['Radius', 'RADIUS authentication (not supported)', true], ['AAD', 'Azure Active Directory (not supported)', true]], 'Certificate', { disabled: ro });
  if (gw.properties?.sku?.name === 'Basic') {
    tunnel.value = 'SSTP';
    tunnel.disabled = true; // Basic: SSTP with certificates only; the portal hides these (azure-p2s.md §2.2)
  }

  // ---- root certificates -------------------------------------------------------------------
  const rootBody = h('tbody', {});
  function rootRow(existing) {
    const i = seq++;
    const nameIn = input({ value: existing?.name ?? '', placeholder: 'e.g. P2SRootCert', 'data-root-name': '', readOnly: ro || Boolean(existing) });
    const data = h('textarea', {
      rows: 3, spellcheck: 'false', placeholder: 'Paste the certificate (PEM or the Base-64 body)',
      'data-root-data': '', readOnly: ro || Boolean(existing),
    });
    data.value = existing?.properties?.publicCertData ?? '';
    const details = h('p', { class: 'cert-details', id: `root-details-${i}`, 'aria-live': 'polite' });
    const file = h('input', { type: 'file', accept: '.cer,.crt,.pem,.der', id: `root-file-${i}`, class: 'file-input', disabled: ro || Boolean(existing) });
    const update = async () => {
      const cleaned = cleanCertificateText(data.value);
      if (cleaned !== data.value) data.value = cleaned; // one continuous line (seed "Upload root certificate")
      details.textContent = '';
      details.className = 'cert-details';
      if (!cleaned) return;
      if (!existing) ensureEmptyRoot(); // as in the portal, a filled row opens the next one
      const d = describeCertData(cleaned);
      if (!d.ok) {
        details.textContent = 'Not a readable certificate: ' + d.error;
        details.classList.add('bad');
        return;
      }
      const days = daysUntil(d.info.notAfter);
      const tp = await thumbprint(d.der);
      setChildren(details,
        h('span', { class: 'cert-subject', text: 'Subject: CN=' + d.info.subjectCN }),
        h('span', { class: 'cert-expiry', text: ` · Expires ${d.info.notAfter.toISOString().slice(0, 10)} (${days < 0 ? 'expired' : 'in ' + days + ' days'})` }),
        d.info.selfIssued ? ' · self-signed root' : ` · issued by CN=${d.info.issuerCN}`,
        tp ? h('span', { class: 'cert-thumb', text: ' · Thumbprint ' + tp.toUpperCase() }) : null);
      // Accepted as Azure accepts it, but not shown as a good root: no client chains to a non-CA, none to an expired one.
      const problems = [];
      if (!d.info.isCA) problems.push('this is not a CA certificate, so client certificates cannot chain to it');
      if (days < 0) problems.push('it has expired, so no client certificate issued by it is accepted');
      if (problems.length) {
        details.append(h('span', { class: 'cert-warning', text: ' · Warning: ' + problems.join('; ') + '.' }));
        details.classList.add('warn');
      } else if (days <= 30) {
        details.classList.add('warn');
      }
      if (!nameIn.value && d.info.subjectCN && !existing) nameIn.value = d.info.subjectCN.replace(/[^A-Za-z0-9_.-]/g, '');
    };
    data.addEventListener('input', update);
    data.addEventListener('change', update);
    file.addEventListener('change', async () => {
      const f = file.files?.[0];
      if (!f) return;
      if (f.size > MAX_CERT_BYTES) { details.textContent = 'That file is too large to be a certificate.'; return; }
      data.value = cerFileToCertData(new Uint8Array(await f.arrayBuffer()));
      await update();
    });
    const remove = ro ? null : button('Remove', () => { tr.remove(); ensureEmptyRoot(); }, { class: 'btn btn-quiet', 'aria-label': 'Remove root certificate ' + (existing?.name ?? 'row ' + (i + 1)) });
    const tr = h('tr', { 'data-root-row': existing ? 'saved' : 'new' },
      h('td', {}, field(`root-name-${i}`, 'Name', nameIn)),
      h('td', {}, field(`root-data-${i}`, 'Public certificate data', data), details,
        ro || existing ? null : h('div', { class: 'file-pick' }, h('label', { for: `root-file-${i}`, text: 'Or load a .cer file' }), file)),
      h('td', { class: 'row-actions' }, remove));
    rootBody.append(tr);
    update();
    return tr;
  }
  function ensureEmptyRoot() {
    if (ro) return;
    const rows = [...rootBody.querySelectorAll('tr[data-root-row="new"]')];
    if (!rows.some((r) => !r.querySelector('[data-root-data]').value && !r.querySelector('[data-root-name]').value)
        && rootBody.children.length < MAX_ROOT_CERTIFICATES) rootRow();
  }
  for (const c of cfg.vpnClientRootCertificates ?? []) rootRow(c);
  ensureEmptyRoot();

  // ---- revoked certificates ----------------------------------------------------------------
  const revokedBody = h('tbody', {});
  function revokedRow(existing) {
    const i = seq++;
    const nameIn = input({ value: existing?.name ?? '', placeholder: 'Friendly name', 'data-revoked-name': '', readOnly: ro || Boolean(existing) });
    const tp = input({ value: existing?.properties?.thumbprint ?? '', placeholder: 'Paste a thumbprint; spaces and colons are removed', 'data-revoked-thumb': '', readOnly: ro || Boolean(existing), class: 'mono' });
    const clean = () => {
      const c = cleanThumbprint(tp.value);
      if (c !== tp.value) tp.value = c;
      if (c && !existing) ensureEmptyRevoked();
    };
    tp.addEventListener('input', clean);
    tp.addEventListener('change', clean);
    const remove = ro ? null : button('Remove', () => { tr.remove(); ensureEmptyRevoked(); }, { class: 'btn btn-quiet', 'aria-label': 'Remove revoked certificate ' + (existing?.name ?? 'row ' + (i + 1)) });
    const tr = h('tr', { 'data-revoked-row': existing ? 'saved' : 'new' },
      h('td', {}, field(`revoked-name-${i}`, 'Name', nameIn)),
      h('td', {}, field(`revoked-thumb-${i}`, 'Thumbprint', tp)),
      h('td', { class: 'row-actions' }, remove));
    revokedBody.append(tr);
    return tr;
  }
  function ensureEmptyRevoked() {
    if (ro) return;
    const rows = [...revokedBody.querySelectorAll('tr[data-revoked-row="new"]')];
    if (!rows.some((r) => !r.querySelector('[data-revoked-thumb]').value && !r.querySelector('[data-revoked-name]').value)) revokedRow();
  }
  for (const c of cfg.vpnClientRevokedCertificates ?? []) revokedRow(c);
  ensureEmptyRevoked();

  // ---- actions -----------------------------------------------------------------------------
  const status = h('span', { class: 'op-status', id: 'p2s-status', role: 'status', 'aria-live': 'polite' });
  const save = h('button', { type: 'submit', class: 'btn btn-primary', id: 'p2s-save', disabled: ro }, 'Save');
  const discard = button('Discard', () => render(page, ctx), { id: 'p2s-discard', disabled: ro, 'data-discards': '' });
  const download = button('Download VPN client', () => downloadPackage(), { id: 'p2s-download', disabled: ro || !cfg.vpnClientProtocols?.length });
  const form = h('form', { class: 'p2s', id: 'p2s-form', novalidate: true },
    h('div', { class: 'toolbar' }, save, discard, download, status),
    ro ? h('p', { class: 'note', text: 'Your token is read-only: you can see this configuration but not change it.' }) : null,
    h('section', { class: 'card' },
      h('h2', { text: 'Address pool, tunnel type and authentication' }),
      field('p2s-pool', 'Address pool', pool, 'A private range that overlaps neither the virtual network nor the networks clients connect from. /29 or larger.'),
      field('p2s-tunnel', 'Tunnel type', tunnel),
      field('p2s-auth', 'Authentication type', auth)),
    h('section', { class: 'card', 'aria-labelledby': 'roots-h' },
      h('h2', { id: 'roots-h', text: 'Root certificates' }),
      h('p', { class: 'hint', text: `Up to ${MAX_ROOT_CERTIFICATES}. Paste a whole PEM or load a .cer file: it is cleaned to one line and its subject and expiry are shown before you save.` }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'edit-table', id: 'root-certs' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Public certificate data' }), h('th', { scope: 'col', text: '' }))),
        rootBody))),
    h('section', { class: 'card', 'aria-labelledby': 'revoked-h' },
      h('h2', { id: 'revoked-h', text: 'Revoked certificates' }),
      h('p', { class: 'hint', text: 'The SHA-1 thumbprint of a client certificate; copy it from Windows or "openssl x509 -fingerprint": spaces and colons are removed.' }),
      h('div', { class: 'table-wrap' }, h('table', { class: 'edit-table', id: 'revoked-certs' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: 'Name' }), h('th', { scope: 'col', text: 'Thumbprint' }), h('th', { scope: 'col', text: '' }))),
        revokedBody))));

  function collect() {
    const roots = [...rootBody.querySelectorAll('tr')].map((tr) => ({
      nameId: tr.querySelector('[data-root-name]').id,
      dataId: tr.querySelector('[data-root-data]').id,
      name: tr.querySelector('[data-root-name]').value.trim(),
      data: cleanCertificateText(tr.querySelector('[data-root-data]').value),
    })).filter((r) => r.name || r.data);
    const revoked = [...revokedBody.querySelectorAll('tr')].map((tr) => ({
      nameId: tr.querySelector('[data-revoked-name]').id,
      thumbId: tr.querySelector('[data-revoked-thumb]').id,
      name: tr.querySelector('[data-revoked-name]').value.trim(),
      thumbprint: cleanThumbprint(tr.querySelector('[data-revoked-thumb]').value),
    })).filter((r) => r.name || r.thumbprint);
    return { roots, revoked };
  }

  /** Checks the portal can do before sending; the API still validates everything (azure-p2s.md §2). */
  function localErrors({ roots, revoked }) {
    const errors = [];
    for (const r of roots) {
      if (!r.name) errors.push([r.nameId, 'Name the certificate.']);
      if (!r.data) errors.push([r.dataId, 'Paste the public certificate data.']);
      else if (!describeCertData(r.data).ok) errors.push([r.dataId, 'This is not a Base-64 encoded X.509 certificate.']);
    }
    for (const r of revoked) {
      if (!r.name) errors.push([r.nameId, 'Name the revoked certificate.']);
      if (!THUMBPRINT_PATTERN.test(r.thumbprint)) errors.push([r.thumbId, 'A thumbprint is 40 hexadecimal digits (SHA-1).']);
    }
    return errors;
  }

  /** Puts an API error next to the field it is about; otherwise in the banner. */
  function placeError(err, { roots, revoked }) {
    const text = [err.target, ...(err.details ?? []).map((d) => d?.target)].filter(Boolean).join(' ') + ' ' + err.message;
    const msg = shortenIds(err.message) + (err.code ? ` (${err.code})` : '');
    const mentions = (n) => n && text.toLowerCase().includes(n.toLowerCase());
    let id = '';
    if (/address ?pool|vpnClientAddressPool/i.test(text)) id = 'p2s-pool';
    else if (/protocol|tunnel|SSTP|OpenVPN|IKEv2/i.test(text) && !/certificate/i.test(text)) id = 'p2s-tunnel';
    else if (/authentication ?type|vpnAuthenticationTypes/i.test(text)) id = 'p2s-auth';
    else if (/revoked|thumbprint/i.test(text)) {
      const r = revoked.find((x) => mentions(x.name) || mentions(x.thumbprint)) ?? revoked[0];
      if (r) id = /resource name|name .* invalid/i.test(text) && mentions(r.name) ? r.nameId : r.thumbId;
    } else if (/certificate|publicCertData|resource name/i.test(text)) {
      const r = roots.find((x) => mentions(x.name)) ?? roots[roots.length - 1];
      const rv = revoked.find((x) => mentions(x.name));
      if (/resource name/i.test(text) && rv) id = rv.nameId;
      else if (r) id = /resource name|name .* invalid/i.test(text) ? r.nameId : r.dataId;
    }
    if (!(id && showFieldError(form, id, msg))) banner.error(err);
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    if (ro) return;
    clearErrors(form);
    const values = collect();
    const errs = localErrors(values);
    if (errs.length) {
      errs.forEach(([id, m], k) => showFieldError(form, id, m, k === 0));
      return;
    }
    const fresh = await get(gwPath);
    const protocols = TUNNEL_TYPES.find(([k]) => k === tunnel.value)[2];
    fresh.properties.vpnClientConfiguration = {
      ...(fresh.properties.vpnClientConfiguration ?? {}),
      vpnClientAddressPool: { addressPrefixes: splitList(pool.value) },
      vpnClientProtocols: protocols,
      vpnAuthenticationTypes: [auth.value],
      vpnClientRootCertificates: values.roots.map((r) => ({ name: r.name, properties: { publicCertData: r.data } })),
      vpnClientRevokedCertificates: values.revoked.map((r) => ({ name: r.name, properties: { thumbprint: r.thumbprint } })),
    };
    save.disabled = true;
    status.textContent = 'Saving… (Updating)';
    try {
      const saved = await putAndWait(gwPath, fresh, (s) => { status.textContent = 'Saving… (' + s + ')'; });
      banner.flash('success', `Point-to-site configuration saved. Provisioning state: ${saved?.properties?.provisioningState ?? 'Succeeded'}. Download the VPN client again if you changed the pool, tunnel type or roots.`);
      await render(page, ctx);
      banner.clear();
    } catch (e) {
      status.textContent = '';
      save.disabled = false;
      placeError(e, values);
    }
  });

  async function downloadPackage() {
    download.disabled = true;
    status.textContent = 'Generating the VPN client package…';
    try {
      // azure-p2s.md §1.1: generatevpnclientpackage answers a JSON string, the package URL.
      let warning = '';
      const url = await postAction(gwPath + '/generatevpnclientpackage', { processorArchitecture: 'Amd64', authenticationMethod: 'EAPTLS' },
        (w) => { warning = w; });
      if (typeof url !== 'string' || !url) throw new ApiError(200, 'NoPackageUrl', 'The API did not return a package URL.');
      const blob = await fetchBlob(url);
      const fileName = `${name}.zip`;
      const href = URL.createObjectURL(blob);
      const a = h('a', { href, download: fileName, hidden: true });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(href), 60000);
      status.textContent = `Downloaded ${fileName} (${formatBytes(blob.size)}).`;
      // Still downloaded, as in Azure; but its clients cannot connect to this server (issue 16).
      if (warning) banner.show('warning', warning);
    } catch (e) {
      status.textContent = '';
      banner.error(e);
    } finally {
      download.disabled = false;
    }
  }

  setChildren(page,
    pageHeader('Point-to-site configuration', `${name} · Virtual network gateway`),
    gatewayTabs(rg, name, 'pointToSite'),
    form);
}
