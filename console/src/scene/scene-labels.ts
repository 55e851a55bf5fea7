// The scene's HTML labels (split out of building-scene.ts): one element per room and one per
// floor (key `floor/`), shown only when they have text, placed over the picture after each
// render by label-layout.ts (inside the picture, the important ones never covered).
import { labelRank, layoutLabels, type LabelBox } from './label-layout.js';

/** A label's anchor in the scene; the scene projects it to the picture. */
export interface Anchor {
  x: number;
  y: number;
  z: number;
}

interface Label {
  el: HTMLElement;
  at: Anchor;
  /** Measured size, null when it must be measured again (text or class changed). */
  size: [number, number] | null;
}

export class SceneLabels {
  readonly layer: HTMLElement;
  private readonly labels = new Map<string, Label>();

  constructor() {
    this.layer = document.createElement('div');
    this.layer.className = 'scene-labels';
  }

  add(key: string, at: Anchor): void {
    this.labels.set(key, { el: document.createElement('div'), at, size: null });
  }

  anchor(key: string): Anchor | undefined {
    return this.labels.get(key)?.at;
  }

  /** Sets a label's words and class; empty text hides it. Returns whether anything changed. */
  set(key: string, text: string, className: string): boolean {
    const label = this.labels.get(key);
    if (!label) return false;
    if (!text) {
      if (!label.el.isConnected) return false;
      label.el.remove();
      return true;
    }
    const cls = `scene-label ${className}`;
    if (label.el.className !== cls) { label.el.className = cls; label.size = null; }
    if (label.el.textContent !== text) { label.el.textContent = text; label.size = null; }
    if (!label.el.isConnected) this.layer.append(label.el);
    return true;
  }

  /** A label as drawn (tests measure it), or null when hidden. */
  read(key: string): { text: string; fontPx: number; className: string } | null {
    const label = this.labels.get(key);
    if (!label?.el.isConnected || label.el.style.display === 'none' || label.el.style.visibility === 'hidden') return null;
    return { text: label.el.textContent ?? '', fontPx: parseFloat(getComputedStyle(label.el).fontSize), className: label.el.className };
  }

  /** Shows only the labels of one floor (null: all). */
  focus(floor: string | null): void {
    for (const [key, label] of this.labels) label.el.style.display = floor && !key.startsWith(`${floor}/`) ? 'none' : '';
  }

  /** Places the shown labels; `project` gives an anchor's point in the picture, px. */
  place(width: number, height: number, project: (key: string, at: Anchor) => [number, number]): void {
    if (!this.layer.childElementCount) return;
    const boxes: LabelBox[] = [];
    const els: HTMLElement[] = [];
    for (const [key, label] of this.labels) {
      if (!label.el.isConnected || label.el.style.display === 'none') continue;
      if (!label.size || !label.size[0]) label.size = [label.el.offsetWidth, label.el.offsetHeight];
      const [x, y] = project(key, label.at);
      boxes.push({ key, x, y, w: label.size[0], h: label.size[1], rank: labelRank(label.el.className) });
      els.push(label.el);
    }
    layoutLabels(boxes, width, height).forEach((p, i) => {
      els[i].style.transform = `translate(-50%, -50%) translate(${p.x.toFixed(0)}px, ${p.y.toFixed(0)}px)`;
      els[i].style.visibility = p.visible ? '' : 'hidden';
    });
  }

  dispose(): void {
    this.layer.remove();
    this.labels.clear();
  }
}
