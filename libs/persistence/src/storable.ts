export interface UnstorableValue {
  kind: 'depth' | 'nul';
  field: string;
}

/** Deeper than any body, query or import row this API takes (a demand's lists are two levels down). */
export const MAX_DEPTH = 32;

/**
 * What PostgreSQL cannot store, or the validators behind cannot walk: a NUL character in a text or key (PostgreSQL
 * refuses the byte), and nesting deeper than MAX_DEPTH (10,000 levels overflowed their stack). Iterative, so that the
 * check itself cannot overflow. The field is given as a path (`keywords.1`).
 */
export function findUnstorable(root: unknown): UnstorableValue | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return { kind: 'nul', field: path };
      continue;
    }
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_DEPTH) return { kind: 'depth', field: path };
    for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
      const childPath = path ? `${path}.${key}` : key;
      if (key.includes('\u0000')) return { kind: 'nul', field: childPath };
      stack.push({ value: child, path: childPath, depth: depth + 1 });
    }
  }
  return undefined;
}
