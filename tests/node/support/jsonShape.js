// Matches a JSON value against a golden fixture; the same rules as JsonShape.cs.
'use strict';

const kinds = {
  '<any>': () => true,
  '<string>': (v) => typeof v === 'string',
  '<number>': (v) => typeof v === 'number',
  '<boolean>': (v) => typeof v === 'boolean',
};

/** Null when `actual` matches `expected`, else where and why not. */
function mismatch(expected, actual, path = '$') {
  if (typeof expected === 'string' && kinds[expected]) {
    return kinds[expected](actual) ? null : `${path}: expected ${expected}, got ${JSON.stringify(actual)}`;
  }
  if (Array.isArray(expected)) {
    // "<...>" as the last element matches any further elements.
    const open = expected.length > 0 && expected[expected.length - 1] === '<...>';
    const fixed = open ? expected.length - 1 : expected.length;
    if (!Array.isArray(actual) || (open ? actual.length < fixed : actual.length !== fixed)) return `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
    for (let i = 0; i < fixed; i++) {
      const m = mismatch(expected[i], actual[i], `${path}[${i}]`);
      if (m) return m;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return `${path}: expected an object, got ${JSON.stringify(actual)}`;
    const extra = Object.keys(actual).filter((k) => !(k in expected));
    if (extra.length) return `${path}: unexpected member(s) ${extra.join(', ')} (add them to the fixture)`;
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) return `${path}.${key}: missing`;
      const m = mismatch(expected[key], actual[key], `${path}.${key}`);
      if (m) return m;
    }
    return null;
  }
  return Object.is(expected, actual) ? null : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

module.exports = { mismatch };
