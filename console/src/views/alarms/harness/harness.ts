// Mounts the alarm view without the shell, signed in as ?u=&p= (test only).
import type { SessionInfo, SiteTree } from '../../../../../contracts/api.js';
import type { ViewContext } from '../../view.js';
import { alarmsView } from '../alarms-view.js';

const q = new URLSearchParams(location.search);
const login = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: q.get('u'), password: q.get('p') }) });
const session = (await login.json()) as SessionInfo;
const site = (await (await fetch('/api/site', { headers: { authorization: `Bearer ${session.token}` } })).json()) as SiteTree;
const ctx = { session, site } as ViewContext; // the alarm view uses only these two
alarmsView.mount(document.getElementById('app')!, { building: q.get('b') ?? undefined }, ctx);
document.body.dataset.ready = '1';
