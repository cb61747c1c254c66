/**
 * A small strict XML reader for the tests: enough to prove an SVG is well-formed (balanced tags,
 * quoted unique attributes, only known entities, one root) and to query its elements.
 */
export interface XmlNode {
  tag: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Text directly inside, entities decoded. */
  text: string;
  parent?: XmlNode;
}

const ENTITY = /&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);/g;

function decode(raw: string, where: string): string {
  const stripped = raw.replace(ENTITY, '');
  if (stripped.includes('&')) throw new Error(`bare "&" in ${where}: ${raw.slice(0, 80)}`);
  if (stripped.includes('<')) throw new Error(`bare "<" in ${where}: ${raw.slice(0, 80)}`);
  return raw.replace(ENTITY, (_, e: string) =>
    e === 'amp' ? '&' : e === 'lt' ? '<' : e === 'gt' ? '>' : e === 'quot' ? '"' : e === 'apos' ? "'" : String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)),
  );
}

function parseAttrs(raw: string, tag: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const rest = raw.replace(/\s+([A-Za-z_:][\w:.-]*)="([^"]*)"/g, (_, name: string, value: string) => {
    if (name in attrs) throw new Error(`duplicate attribute ${name} on <${tag}>`);
    attrs[name] = decode(value, `attribute ${name} of <${tag}>`);
    return '';
  });
  if (rest.trim() !== '') throw new Error(`malformed attributes on <${tag}>: ${rest.slice(0, 80)}`);
  return attrs;
}

/** Parses `xml`, throwing on anything not well-formed. Returns the root element. */
export function parseXml(xml: string): XmlNode {
  const src = xml.replace(/^\s*<\?xml[^?]*\?>/, '').replace(/<!--[\s\S]*?-->/g, '');
  const doc: XmlNode = { tag: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlNode[] = [doc];
  const tagRe = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/>]+="[^"]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < src.length) {
    const lt = src.indexOf('<', i);
    const textEnd = lt === -1 ? src.length : lt;
    if (textEnd > i) {
      const t = decode(src.slice(i, textEnd), 'text');
      const top = stack[stack.length - 1];
      if (top === doc && t.trim()) throw new Error('text outside the root element');
      top.text += t;
    }
    if (lt === -1) break;
    tagRe.lastIndex = lt;
    const m = tagRe.exec(src);
    if (!m) throw new Error(`malformed tag at ${lt}: ${src.slice(lt, lt + 60)}`);
    const [whole, closing, tag, rawAttrs, selfClosing] = m;
    if (closing) {
      if (rawAttrs || selfClosing) throw new Error(`malformed closing tag </${tag}>`);
      const open = stack.pop();
      if (!open || open.tag !== tag) throw new Error(`</${tag}> closes <${open?.tag}>`);
    } else {
      const parent = stack[stack.length - 1];
      if (parent === doc && doc.children.length > 0) throw new Error('more than one root element');
      const node: XmlNode = { tag, attrs: parseAttrs(rawAttrs, tag), children: [], text: '', parent };
      parent.children.push(node);
      if (!selfClosing) stack.push(node);
    }
    i = lt + whole.length;
  }
  if (stack.length !== 1) throw new Error(`unclosed <${stack[stack.length - 1].tag}>`);
  if (doc.children.length !== 1) throw new Error('no root element');
  return doc.children[0];
}

export function findAll(node: XmlNode, pred: (n: XmlNode) => boolean, out: XmlNode[] = []): XmlNode[] {
  for (const c of node.children) {
    if (pred(c)) out.push(c);
    findAll(c, pred, out);
  }
  return out;
}

export function hasClass(n: XmlNode, cls: string): boolean {
  return (n.attrs.class ?? '').split(/\s+/).includes(cls);
}

export function byClass(node: XmlNode, cls: string): XmlNode[] {
  return findAll(node, (n) => hasClass(n, cls));
}

/** All text inside a node, its descendants' included. */
export function textOf(node: XmlNode): string {
  return node.text + node.children.map(textOf).join('');
}

export function numAttr(node: XmlNode, name: string): number {
  const v = node.attrs[name];
  if (v === undefined) throw new Error(`<${node.tag}> has no ${name}`);
  return Number(v);
}
