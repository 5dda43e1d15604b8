import { celEnv, isCelError, parse, plan, type CelInput } from '@bufbuild/cel';

import { InvalidArgumentError } from '@dmp/runtime';

import { compileFastPath, GIVE_UP, isIdent, stringConstant, type Node } from './cel-fast-path';

/**
 * Targeting conditions in CEL (cel.dev), compiled once per campaign version. An expression sees four
 * variables: `profile` (the subject's features by name, e.g. `profile["user.views_7d"] > 3.0`), `segments`
 * (the audience segments the subject is in: `"roamers" in segments`), `context` (the request's or event's
 * context: channel, placement, page_category, country, device, app) and `event` (a trigger's event: type and
 * properties). An expression that does not parse, or names anything else, is
 * refused when the campaign is written; one that fails at run time (a missing key, a type mismatch) is
 * false: a campaign whose condition cannot be decided is not shown.
 */
export const TARGETING_VARIABLES = ['profile', 'segments', 'context', 'event'] as const;

export interface CelCondition {
  readonly source: string;
  /** Feature names the expression reads from `profile`: what a decision must read for it. */
  readonly profileFeatures: readonly string[];
  /** Whether the expression reads the profile at all (contextual-only decisions skip such campaigns). */
  readonly usesProfile: boolean;
  /** Whether it reads `segments` (a segment defined on other segments' memberships). */
  readonly usesSegments: boolean;
  matches(bindings: TargetingInput): boolean;
}

export interface TargetingInput {
  profile: ReadonlyMap<string, number | string | boolean>;
  context: Readonly<Record<string, string>>;
  event: Readonly<Record<string, CelInput>>;
  /** The segments the subject is in, for a segment's condition: `"roamers" in segments`. */
  segments?: readonly string[];
}

const env = celEnv();

/**
 * Compiles `source` (the field it came from names errors); throws InvalidArgumentError. `variables` narrows
 * what it may name (a segment, about profiles alone, allows only `profile`).
 */
export function compileCondition(
  field: string,
  source: string,
  variables: readonly string[] = TARGETING_VARIABLES
): CelCondition {
  if (source.length > 4_000) throw new InvalidArgumentError(field, 'is longer than 4000 characters');
  let parsed;
  try {
    parsed = parse(source);
  } catch (error) {
    throw new InvalidArgumentError(field, `is not a CEL expression: ${(error as Error).message}`);
  }
  const roots = new Set<string>();
  const features = new Set<string>();
  walk(parsed.expr, roots, features);
  const unknown = [...roots].filter((r) => !variables.includes(r));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(
      field,
      `names ${unknown.map((u) => `"${u}"`).join(', ')}; an expression may use ${variables.join(', ')}`
    );
  }
  const evaluate = plan(env, parsed);
  const fast = compileFastPath(parsed.expr);
  return {
    source,
    profileFeatures: [...features],
    usesProfile: roots.has('profile'),
    usesSegments: roots.has('segments'),
    matches: (bindings) => {
      if (fast) {
        const value = fast(bindings);
        if (value !== GIVE_UP) return value === true;
      }
      // A missing feature (`profile["x"]` of a profile without it) is a CelError, an Error: capturing its
      // stack trace was a third of a segment evaluation's CPU. Nothing reads those stacks.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      try {
        const result = evaluate({
          profile: bindings.profile,
          context: bindings.context,
          event: bindings.event,
          segments: bindings.segments ?? [],
        });
        return !isCelError(result) && result === true;
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
    },
  };
}

/**
 * Collects the root identifiers an expression reads, and the feature names of `profile["name"]` and
 * `profile.name`. Comprehension variables (`x` in `list.all(x, …)`) are not roots.
 */
function walk(expr: Node | undefined, roots: Set<string>, features: Set<string>, bound = new Set<string>()): void {
  const kind = expr?.exprKind;
  if (!kind?.case) return;
  const value = kind.value as Record<string, unknown>;
  switch (kind.case) {
    case 'identExpr': {
      const name = value['name'] as string;
      if (!bound.has(name)) roots.add(name);
      return;
    }
    case 'selectExpr': {
      const operand = value['operand'] as Node;
      if (isIdent(operand, 'profile')) features.add(value['field'] as string);
      walk(operand, roots, features, bound);
      return;
    }
    case 'callExpr': {
      const args = value['args'] as Node[];
      const target = value['target'] as Node | undefined;
      if (value['function'] === '_[_]' && isIdent(args[0], 'profile')) {
        const key = stringConstant(args[1]);
        if (key !== undefined) features.add(key);
      }
      walk(target, roots, features, bound);
      for (const arg of args) walk(arg, roots, features, bound);
      return;
    }
    case 'listExpr':
      for (const element of value['elements'] as Node[]) walk(element, roots, features, bound);
      return;
    case 'structExpr':
      for (const entry of value['entries'] as { keyKind?: { case?: string; value?: unknown }; value?: Node }[]) {
        if (entry.keyKind?.case === 'mapKey') walk(entry.keyKind.value as Node, roots, features, bound);
        walk(entry.value, roots, features, bound);
      }
      return;
    case 'comprehensionExpr': {
      const inner = new Set([...bound, value['iterVar'] as string, value['accuVar'] as string]);
      if (value['iterVar2']) inner.add(value['iterVar2'] as string);
      walk(value['iterRange'] as Node, roots, features, bound);
      walk(value['accuInit'] as Node, roots, features, inner);
      for (const part of ['loopCondition', 'loopStep', 'result']) walk(value[part] as Node, roots, features, inner);
      return;
    }
    default:
      return; // constants
  }
}
