"""Measurements taken inside Chromium: axe-core, text contrast, target sizes, computed styles."""
from __future__ import annotations

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Links inside running text are exempt from target sizes (WCAG 2.2 2.5.8); so is the skip link
# while it waits off-screen.
RUNNING_TEXT = ".doc-body, .prose, .apply, .lead, .excerpt, .toolbar-status"

_COLOUR = """
const parse = c => { const p = c.match(/[\\d.]+/g).map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
const lum = ({r, g, b}) => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
const ratio = (x, y) => { const a = lum(x), b = lum(y); return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); };
const background = el => { for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
  if (c.a > 0) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
const shown = el => { const s = getComputedStyle(el); const r = el.getBoundingClientRect();
  return s.visibility !== 'hidden' && s.display !== 'none' && r.width > 1 && r.height > 1 && !el.closest('.visually-hidden, [hidden]'); };
"""


def axe(page) -> list[dict]:
    """axe-core violations on the page as it is now: [{id, nodes}]."""
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
        return r.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
    }""", AXE_TAGS)


def worst_text_contrast(page) -> dict:
    """The lowest contrast between any visible text and the background behind it."""
    return page.evaluate("() => {" + _COLOUR + """
        let worst = {ratio: 99};
        for (const el of document.querySelectorAll('body *')) {
            if (!shown(el) || el.closest('.skip-link')) continue;
            if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
            const fg = parse(getComputedStyle(el).color), bg = background(el);
            const r = ratio(fg, bg);
            if (r < worst.ratio) worst = {ratio: Math.round(r * 100) / 100, text: el.textContent.trim().slice(0, 20),
                                          color: getComputedStyle(el).color, background: `rgb(${bg.r}, ${bg.g}, ${bg.b})`};
        }
        return worst;
    }""")


def smallest_target(page) -> dict:
    """The smallest visible control or navigation link (outside running text), by its shorter side."""
    return page.evaluate("(exempt) => {" + _COLOUR + """
        let smallest = {size: 9999};
        for (const el of document.querySelectorAll('a[href], button, input, select')) {
            if (!shown(el) || el.closest(exempt) || el.classList.contains('skip-link')) continue;
            const r = el.getBoundingClientRect();
            const size = Math.min(r.width, r.height);
            if (size < smallest.size) smallest = {size: Math.round(size * 10) / 10, width: Math.round(r.width),
                height: Math.round(r.height), text: (el.textContent || el.name || el.id).trim().slice(0, 20)};
        }
        return smallest;
    }""", RUNNING_TEXT)


def focus_ring_contrast(page) -> dict:
    """The focused element's outline colour against the background around it."""
    return page.evaluate("() => {" + _COLOUR + """
        const el = document.activeElement;
        const s = getComputedStyle(el);
        const ring = parse(s.outlineColor);
        const around = background(el.parentElement);
        return {ratio: Math.round(ratio(ring, around) * 100) / 100, width: parseFloat(s.outlineWidth),
                style: s.outlineStyle, text: (el.textContent || el.id).trim().slice(0, 20)};
    }""")


# ---- Layout (issue 15): sideways scrolling, text size, where the body starts, line breaks, 年报 tables ----

TEXT_SIZES = (100, 120, 140, 160, 180, 200)  # the toolbar's 字号 steps (toolbar.js SIZES)


def scroll_width(page) -> int:
    """How wide the document is; more than the viewport means the page scrolls sideways."""
    return page.evaluate("document.documentElement.scrollWidth")


def scroll_widths(page, sizes) -> dict[int, int]:
    """The document's scrollWidth at each toolbar text size, set as the toolbar's 字号 sets it (prefs.js,
    toolbar.js): the root font at size %, or 1.5 × size % in 长者模式 (whose own root font is 150 %), 100
    clearing it. One round trip: reading scrollWidth lays the page out again. The size is cleared after."""
    widths = page.evaluate("""sizes => { const root = document.documentElement, elder = root.classList.contains('elder');
        const widths = sizes.map(size => { root.style.fontSize = size === 100 ? '' : (elder ? 1.5 : 1) * size + '%';
                                           return root.scrollWidth; });
        root.style.fontSize = ''; return widths; }""", list(sizes))
    return dict(zip(sizes, widths))


def first_visible_top(page, selector: str) -> float | None:
    """The distance from the top of the page to the first visible element matching `selector`."""
    return page.evaluate("""selector => { for (const el of document.querySelectorAll(selector)) {
            const r = el.getBoundingClientRect();
            if (r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden')
                return Math.round(r.top + window.scrollY); }
        return null; }""", selector)


# A line may end after whitespace or closing/middle punctuation (，。、；：？！）」》… and - — /), or
# before an opening bracket or quote (（「《“). Any other line start inside a label is a word broken.
_BREAKS = r"""
const OK_BEFORE = /[\s\u3000\p{Pe}\p{Pf}\p{Po}\p{Pd}]/u, OK_AFTER = /[\p{Ps}\p{Pi}]/u;
const hidden = el => !el || el.closest('.visually-hidden, .sr-only, [hidden]') || el.getClientRects().length === 0
                     || getComputedStyle(el).visibility === 'hidden';
const breaksIn = el => {
    let bad = 0, prev = null, prevChar = '', gap = false, text = '';
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT | NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (node.nodeType === 1) { if (node.tagName === 'BR') gap = true; continue; }
        if (hidden(node.parentElement)) continue;
        const range = document.createRange();
        let offset = 0;
        for (const ch of node.data) {  // code points
            range.setStart(node, offset); range.setEnd(node, offset + ch.length);
            offset += ch.length;
            const r = [...range.getClientRects()].find(q => q.width > 0 && q.height > 0);
            if (/\s/.test(ch) || !r) { gap = gap || /\s/.test(ch); text += ch; continue; }
            // A new line: this character starts below the previous one's middle (its bottom, allowing
            // for line heights tighter than the glyph box).
            if (prev && r.top >= prev.top + prev.height / 2 && !gap && !OK_BEFORE.test(prevChar) && !OK_AFTER.test(ch)) {
                bad++; text += '/';
            }
            prev = r; prevChar = ch; gap = false; text += ch;
        }
    }
    return {bad, text: text.trim().replace(/\s+/g, ' ')};
};
"""


def bad_line_breaks(page, selector: str) -> dict:
    """Visible elements matching `selector` whose text wraps inside a word: each character is measured
    with a Range, a line starts where a character lies below the previous one, and that break is bad
    unless it follows whitespace or punctuation (，。、；：）」》 …) or comes before an opening bracket (（「《).
    Returns {"checked": how many elements were measured, "bad": their texts with a / at each bad break
    ("索引/号", "公/开/目/录")}."""
    return page.evaluate("(selector) => {" + _BREAKS + """
        let checked = 0; const bad = [];
        for (const el of document.querySelectorAll(selector)) {
            if (hidden(el) || !el.textContent.trim()) continue;
            checked++;
            const found = breaksIn(el);
            if (found.bad) bad.push(found.text);
        }
        return {checked, bad};
    }""", selector)


def report_tables(page, scroll_to_end: bool = False) -> list[dict]:
    """Each 年报 table (.report) and its scroll container (.table-scroll, else its parent): how many
    columns it has, the container's scrollWidth and clientWidth, and where its first row header
    (th[scope=row]) lies against the container's left edge — after scrolling the container to its
    far end when `scroll_to_end`."""
    return page.evaluate("""(toEnd) => [...document.querySelectorAll('.report')].map((table, index) => {
        const box = table.closest('.table-scroll') || table.parentElement;
        const columns = Math.max(0, ...[...table.rows].map(row => [...row.cells].reduce((n, c) => n + c.colSpan, 0)));
        if (toEnd) box.scrollLeft = box.scrollWidth;
        const th = table.querySelector('th[scope=row]');
        const b = box.getBoundingClientRect(), h = th && th.getBoundingClientRect();
        return {index, columns, container: box.className || box.tagName.toLowerCase(),
                caption: table.caption ? [...table.caption.childNodes].filter(n => n.nodeType === 3)
                                                   .map(n => n.data).join('').trim() : '',
                scrollWidth: box.scrollWidth, clientWidth: box.clientWidth, scrollLeft: Math.round(box.scrollLeft),
                boxLeft: Math.round(b.left), rowHeader: th ? th.textContent.trim().slice(0, 12) : null,
                rowHeaderLeft: h ? Math.round(h.left) : null};
    })""", scroll_to_end)


def links_to(page, path_end: str, word: str) -> list[dict]:
    """Every link whose address ends with `path_end`, with whether the list item around it (li, tr,
    else the link's parent) shows `word` as visible text (not only to screen readers)."""
    return page.evaluate("""([end, word]) => {
        const hidden = el => el.closest('.visually-hidden, .sr-only, [hidden]') || el.getClientRects().length === 0;
        return [...document.querySelectorAll('a[href]')].filter(a => new URL(a.href).pathname.endsWith(end)).map(a => {
            const item = a.closest('li, tr') || a.parentElement;
            const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT);
            let shown = false;
            for (let n = walker.nextNode(); n; n = walker.nextNode())
                if (n.data.includes(word) && !hidden(n.parentElement)) { shown = true; break; }
            return {item: item.tagName.toLowerCase(), text: item.innerText.trim().replace(/\\s+/g, ' ').slice(0, 60),
                    inNav: !!a.closest('nav, header, footer'), shown};
        });
    }""", [path_end, word])
