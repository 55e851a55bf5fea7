// The layout checks run inside the page (as a string: tsx would otherwise inject helpers that the
// browser does not have). Returns the problems found, each one line naming the element.
export interface LayoutProblem {
  kind: 'overflow' | 'clipped' | 'covered' | 'small-text';
  what: string;
}

/** The in-page script; `minText` is the kiosk minimum in CSS px (0 = no text check). */
export function layoutCheckScript(minText: number): string {
  return `(() => {
  const problems = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  const describe = (el) => {
    const id = el.id ? '#' + el.id : '';
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).slice(0, 3).join('.') : '';
    const data = el.dataset && (el.dataset.action || el.dataset.view || el.dataset.priority || el.dataset.floor || el.dataset.page || '');
    const text = (el.textContent || el.getAttribute('aria-label') || el.value || '').trim().replace(/\\s+/g, ' ').slice(0, 30);
    return el.tagName.toLowerCase() + id + cls + (data ? '[' + data + ']' : '') + (text ? ' "' + text + '"' : '');
  };
  const doc = document.scrollingElement || document.documentElement;
  if (doc.scrollWidth > vw + 1) problems.push({ kind: 'overflow', what: 'page is ' + doc.scrollWidth + ' px wide in a ' + vw + ' px viewport' });
  const visible = (el) => {
    if (el.closest('[inert], [hidden], [aria-hidden="true"]')) return false;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none' || Number(style.opacity) === 0) return false;
    return el.getClientRects().length > 0;
  };
  /** Inside a box that scrolls sideways: reachable by scrolling it, not clipped. */
  const inScroller = (el) => {
    for (let p = el.parentElement; p; p = p.parentElement) {
      const ox = getComputedStyle(p).overflowX;
      if ((ox === 'auto' || ox === 'scroll') && p.scrollWidth > p.clientWidth + 1) return true;
    }
    return false;
  };
  const interactive = document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [role=button], [tabindex]:not([tabindex="-1"])');
  for (const el of interactive) {
    if (!visible(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if ((r.left < -1 || r.right > vw + 1) && !inScroller(el)) { problems.push({ kind: 'clipped', what: describe(el) + ' spans x ' + Math.round(r.left) + '..' + Math.round(r.right) }); continue; }
    const style = getComputedStyle(el);
    if (el.tagName !== 'SELECT' && el.tagName !== 'INPUT' && style.overflowX !== 'visible' && el.scrollWidth > el.clientWidth + 2) {
      problems.push({ kind: 'clipped', what: describe(el) + ' text needs ' + el.scrollWidth + ' px in ' + el.clientWidth });
      continue;
    }
    const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
    if (cx < 0 || cx > vw || cy < 0 || cy > vh) continue; // scrolled out of view: reachable by scrolling
    // Clipped by an ancestor that hides overflow: its centre is outside that ancestor's box.
    let clippedBy = null;
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      const ps = getComputedStyle(p);
      if (ps.overflowX === 'visible' && ps.overflowY === 'visible') continue;
      const pr = p.getBoundingClientRect();
      if (cx < pr.left || cx > pr.right || cy < pr.top || cy > pr.bottom) { clippedBy = p; break; }
    }
    if (clippedBy) { if (!inScroller(el) && getComputedStyle(clippedBy).overflowY === 'hidden') problems.push({ kind: 'clipped', what: describe(el) + ' outside ' + describe(clippedBy).slice(0, 40) }); continue; }
    const hit = document.elementFromPoint(cx, cy);
    if (!hit) continue;
    if (hit === el || el.contains(hit) || hit.contains(el) && hit.tagName === 'LABEL') continue;
    if (el.tagName === 'INPUT' && hit.tagName === 'LABEL' && hit.contains(el)) continue;
    problems.push({ kind: 'covered', what: describe(el) + ' under ' + describe(hit).slice(0, 60) });
  }
  if (${minText} > 0) {
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const seen = new Set();
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.textContent || !node.textContent.trim()) continue;
      const el = node.parentElement;
      if (!el || seen.has(el) || !visible(el)) continue;
      seen.add(el);
      const r = el.getBoundingClientRect();
      if (r.bottom < 0 || r.top > vh || r.right < 0 || r.left > vw) continue;
      const size = parseFloat(getComputedStyle(el).fontSize);
      if (size + 0.5 < ${minText}) problems.push({ kind: 'small-text', what: describe(el) + ' at ' + size + ' px' });
    }
  }
  return problems;
})()`;
}
