/** Small DOM helpers: the page's elements are found by their data-testid, as the tests find them. */

export function byTestId<T extends Element = HTMLElement>(id: string, root: ParentNode = document): T {
  const found = root.querySelector<T & Element>(`[data-testid="${id}"]`);
  if (!found) throw new Error(`the page has no element with data-testid="${id}"`);
  return found as T;
}

type Attrs = Record<string, string | number | boolean | undefined>;

/** Creates an element with attributes (`class`, `data-*`, …; false/undefined leave one out) and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  setAttrs(node, attrs);
  node.append(...children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  setAttrs(node, attrs);
  node.append(...children);
  return node;
}

function setAttrs(node: Element, attrs: Attrs): void {
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
}

/** One line for an error shown in the page (our errors already name the file, field and fix). */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Shows a status line; `kind` 'error' colours it and marks it for tests. */
export function setStatus(node: HTMLElement, text: string, kind: 'info' | 'error' = 'info'): void {
  node.textContent = text;
  node.classList.toggle('error', kind === 'error');
  node.dataset.kind = kind;
}

/** Lets the browser paint before long synchronous work starts (at most ~50 ms in a hidden tab). */
export function nextFrame(): Promise<void> {
  return new Promise((resolve) => {
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      resolve();
    };
    requestAnimationFrame(() => setTimeout(finish, 0));
    setTimeout(finish, 50);
  });
}
