/**
 * Model-detection signals: which of an object's images, environment
 * variables and extended resources match the config's detection globs.
 * The policy decides what the signals mean; matching globs here, once per
 * object with patterns compiled once, is what keeps an admission decision
 * cheap (the wasm build compiles every glob on every call).
 */
import type { Config } from '../config';
import type { PolicyObject } from '../normalize';

type Detect = (o: PolicyObject) => PolicyObject;

export function modelSignals(config: Config): Detect {
  const { images, env, accelerators } = config.modelDetection;
  const image = anyOf(images, '/');
  const variable = anyOf(env, '.');
  const accelerator = anyOf(accelerators, '/');
  return (o) => {
    const signals = new Set<string>();
    for (const img of o.images) {
      if (img.name && image(img.name)) signals.add(`image:${img.name}`);
    }
    for (const t of o.templates) {
      for (const name of t.env) {
        if (variable(name)) signals.add(`env:${name}`);
      }
      for (const name of t.resources) {
        if (accelerator(name)) signals.add(`accelerator:${name}`);
      }
    }
    return { ...o, modelSignals: [...signals].sort() };
  };
}

function anyOf(globs: readonly string[], delimiter: string) {
  const compiled = globs.map((g) => globToRegExp(g, delimiter));
  return (value: string) => compiled.some((re) => re.test(value));
}

/**
 * Glob semantics as the policy language's glob.match: `*` and `?` stay
 * within one segment, `**` crosses segments, `[…]`/`[!…]` are classes and
 * `{a,b}` alternatives.
 */
export function globToRegExp(glob: string, delimiter: string): RegExp {
  const notDelim = `[^${escape(delimiter)}]`;
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += `${notDelim}*`;
    else if (c === '?') out += notDelim;
    else if (c === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        out += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
        i = end;
      }
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += escape(c);
  }
  return new RegExp(`^${out}${')'.repeat(braces)}$`);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
