// Text bindings for components that must redraw every string on a language switch: bind an
// element to a function of the current locale once, call apply() from relabel().
export class Labels {
  private readonly bindings: Array<[Element, () => string, string | undefined]> = [];

  /** Sets the text now and on every apply(); `attr` binds an attribute (title, aria-label…) instead. */
  bind<E extends Element>(el: E, text: () => string, attr?: string): E {
    this.bindings.push([el, text, attr]);
    this.set(el, text(), attr);
    return el;
  }

  apply(): void {
    for (const [el, text, attr] of this.bindings) this.set(el, text(), attr);
  }

  private set(el: Element, value: string, attr?: string): void {
    if (attr) {
      if (el.getAttribute(attr) !== value) el.setAttribute(attr, value);
    } else if (el.textContent !== value) {
      el.textContent = value;
    }
  }
}
