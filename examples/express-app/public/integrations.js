// The Integrations page's only script: it tells the user what happened and refreshes the list.
// The element already did the work: the helper verified the result (complete-url) and the app
// stored it in onConnected before truto-connect-success fired.
const notice = document.getElementById('notice');

function say(text, kind) {
  if (!notice) return;
  const p = document.createElement('p');
  p.className = `notice ${kind}`;
  p.textContent = text;
  notice.replaceChildren(p);
}

/** Fetches this page again and swaps in the parts that change. */
async function refresh() {
  const response = await fetch(location.pathname, { headers: { accept: 'text/html' }, cache: 'no-store' });
  if (!response.ok) return;
  const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
  for (const id of ['connections', 'events']) {
    const next = fresh.getElementById(id);
    if (next) document.getElementById(id)?.replaceWith(document.adoptNode(next));
  }
}

document.addEventListener('truto-connect-success', (event) => {
  const company = event.detail.connection?.context?.companyName;
  say(company ? `Acme HR connected: ${company}.` : 'Acme HR connected.', 'success');
  void refresh();
  // Webhooks follow within a moment; show them too.
  setTimeout(() => void refresh(), 2000);
});

document.addEventListener('truto-connect-error', (event) => {
  say(`The connection failed: ${event.detail.message} (${event.detail.code}).`, 'error');
  void refresh();
});

// After redirect mode, drop ?truto=... from the address so a reload does not repeat the notice.
if (location.search) history.replaceState(null, '', location.pathname);
