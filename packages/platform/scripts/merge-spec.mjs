// Merges documented additions into the seed OpenAPI document without narrowing it.

/** @param {unknown} value */
const isObject = (value) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** @param {Record<string, unknown>} p */
const parameterKey = (p) => `${p.in}:${p.name}`;

/**
 * @param {unknown} base
 * @param {unknown} addition
 * @param {string} key
 * @returns {unknown}
 */
function merge(base, addition, key) {
  if (isObject(base) && isObject(addition)) {
    const out = { ...base };
    for (const [k, v] of Object.entries(addition)) out[k] = k in base ? merge(base[k], v, k) : v;
    return out;
  }
  if (Array.isArray(base) && Array.isArray(addition)) {
    if (key === 'parameters') {
      const out = base.map((p) => {
        const extra = addition.find((a) => parameterKey(a) === parameterKey(p));
        return extra ? merge(p, extra, '') : p;
      });
      for (const a of addition) {
        if (!base.some((p) => parameterKey(p) === parameterKey(a))) out.push(a);
      }
      return out;
    }
    // Other lists (tags, enum values) only grow.
    const out = [...base];
    for (const a of addition) {
      if (!out.some((b) => JSON.stringify(b) === JSON.stringify(a))) out.push(a);
    }
    return out;
  }
  return addition;
}

/**
 * @param {object} seed
 * @param {object} additions
 */
export function mergeSpec(seed, additions) {
  return merge(structuredClone(seed), structuredClone(additions), '');
}
