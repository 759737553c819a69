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
