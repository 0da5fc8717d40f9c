// A tiny stand-in for the browser's document, enough for common/dom.js's el() and
// what is built with it: elements with attributes, className and children, text
// nodes, textContent. Installed on globalThis by install(); nothing else of the
// DOM exists, so a module that reaches for more fails its test loudly.

class FakeNode {
  constructor() {
    this.parentNode = null;
    this.childNodes = [];
  }

  append(...nodes) {
    for (const node of nodes) {
      const child = node instanceof FakeNode ? node : new FakeText(String(node));
      child.parentNode = this;
      this.childNodes.push(child);
    }
  }

  get textContent() {
    return this.childNodes.map((child) => child.textContent).join("");
  }
}

class FakeText extends FakeNode {
  constructor(data) {
    super();
    this.data = data;
  }

  get textContent() {
    return this.data;
  }
}

class FakeElement extends FakeNode {
  constructor(tagName, namespaceURI = null) {
    super();
    this.tagName = tagName.toUpperCase();
    this.namespaceURI = namespaceURI;
    this.attributes = new Map();
  }

  get className() {
    return this.attributes.get("class") ?? "";
  }

  set className(value) {
    this.attributes.set("class", String(value));
  }

  setAttribute(name, value) {
    this.attributes.set(name, String(value));
  }

  getAttribute(name) {
    return this.attributes.has(name) ? this.attributes.get(name) : null;
  }

  get children() {
    return this.childNodes.filter((child) => child instanceof FakeElement);
  }

  /** Every element below this one, depth first. */
  *descendants() {
    for (const child of this.children) {
      yield child;
      yield* child.descendants();
    }
  }

  /** The elements below with `className` among their classes. */
  byClass(className) {
    return [...this.descendants()].filter((node) =>
      node.className.split(/\s+/).includes(className),
    );
  }

  byTag(tagName) {
    return [...this.descendants()].filter((node) => node.tagName === tagName.toUpperCase());
  }

  set innerHTML(_) {
    throw new Error("innerHTML is never used");
  }
}

export function install() {
  globalThis.Node = FakeNode;
  globalThis.document = {
    createElement: (tag) => new FakeElement(tag),
    createElementNS: (namespace, tag) => new FakeElement(tag, namespace),
    createTextNode: (data) => new FakeText(data),
  };
}
