import { parseXml, textOf } from './xml';

// The SVG tests lean on this reader, so it must itself reject what is not well-formed.
describe('test XML reader', () => {
  it('reads nested elements, attributes and entities', () => {
    const root = parseXml('<svg a="1"><g b="x &amp; y"><text>&lt;a&gt;</text><rect/></g></svg>');
    expect(root.tag).toBe('svg');
    expect(root.children[0].attrs.b).toBe('x & y');
    expect(textOf(root)).toBe('<a>');
  });

  it.each([
    ['unbalanced', '<svg><g></svg>'],
    ['unclosed', '<svg><g>'],
    ['bare ampersand', '<svg><text>a & b</text></svg>'],
    ['bare < in attribute', '<svg><g a="<"/></svg>'],
    ['unquoted attribute', '<svg><g a=1/></svg>'],
    ['duplicate attribute', '<svg><g a="1" a="2"/></svg>'],
    ['two roots', '<svg/><svg/>'],
    ['text outside root', '<svg/>oops'],
  ])('rejects %s', (_, xml) => {
    expect(() => parseXml(xml)).toThrow();
  });
});
