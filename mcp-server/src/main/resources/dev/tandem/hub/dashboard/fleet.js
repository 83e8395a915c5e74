// The Fleet view: /api/admin/fleet (docs/fleet.md): the freeze switch with its button, the enrolled hosts (never
// their keys) and the newest audit entries. Shown only when the hub's store is PostgreSQL. Same rules as app.js: DOM
// built with createElement only, no inline style.

export async function loadFleet(ui) {
  const f = await ui.api('/api/admin/fleet');
  const panel = ui.$('fleet-panel');
  panel.hidden = !f.enabled;
  if (!f.enabled) return;
  const state = ui.clear(ui.$('fleet-state'));
  state.append(f.frozen ? 'Frozen: every request but yours is refused.' : 'Running.');
  const button = ui.$('fleet-toggle');
  button.textContent = f.frozen ? 'Thaw the fleet' : 'Freeze the fleet';
  button.dataset.frozen = String(f.frozen);
  button.onclick = async () => {
    button.disabled = true;
    try {
      await ui.api(`/api/admin/fleet/${f.frozen ? 'thaw' : 'freeze'}`, { method: 'POST' });
      await loadFleet(ui);
    } finally {
      button.disabled = false;
    }
  };
  const hosts = ui.clear(ui.$('fleet-hosts').tBodies[0]);
  for (const h of f.hosts || []) {
    hosts.append(ui.el('tr', null,
      ui.el('td', null, h.name),
      ui.el('td', null, h.created),
      ui.el('td', null, h.lastSeen || 'never'),
      ui.el('td', null, h.boundIp || (h.roaming ? '-' : '(first use)')),
      ui.el('td', null, h.roaming ? 'yes' : 'no'),
      ui.el('td', null, h.revoked || 'no')));
  }
  const audit = ui.clear(ui.$('fleet-audit').tBodies[0]);
  for (const e of f.audit || []) {
    audit.append(ui.el('tr', null,
      ui.el('td', null, e.at),
      ui.el('td', null, e.actor),
      ui.el('td', null, e.action),
      ui.el('td', null, e.host || '-'),
      ui.el('td', null, e.detail)));
  }
}
