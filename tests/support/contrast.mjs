/* global getComputedStyle */
// WCAG contrast of an element's text against what is painted behind it, translucent layers composited up to an
// opaque one. Runs in the page (pass it to locator.evaluate): it uses nothing from outside its own body.

/** `{ratio, color}` for the element's text; a ratio of 4.5 or more is readable body text. */
export function textContrast(element) {
  // rgb()/rgba() in 0-255, or color(srgb r g b / a) in 0-1 (what color-mix() computes to).
  const rgba = text => {
    const m = text.match(/[\d.]+/g).map(Number);
    const k = text.startsWith('color(srgb') ? 255 : 1;
    return { r: m[0] * k, g: m[1] * k, b: m[2] * k, a: m[3] ?? 1 };
  };
  const over = (top, under) => ({ r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a), b: top.b * top.a + under.b * (1 - top.a), a: 1 });
  const layers = [];
  for (let e = element; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c.a > 0) layers.push(c);
    if (c.a === 1) break;
  }
  const back = layers.reduceRight((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
  const front = over(rgba(getComputedStyle(element).color), back);
  const luminance = c => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b);
  };
  const [hi, lo] = [luminance(front), luminance(back)].sort((a, b) => b - a);
  return { ratio: Math.round((hi + 0.05) / (lo + 0.05) * 10) / 10, color: getComputedStyle(element).color };
}
