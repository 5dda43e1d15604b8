import { unary, type ScoringServiceHandlers } from '@dmp/grpc';
import type { TenantDirectory } from '@dmp/messaging';
import { InvalidArgumentError } from '@dmp/runtime';
import type { LiveModels } from '@dmp/scorer';

/** Most rows one Score call may carry. */
export const MAX_ROWS = 10_000;
/** Most columns a row may have. */
const MAX_COLUMNS = 4_096;
/** Calls with at most this many rows are joined with concurrent ones into one ORT run. */
const COALESCE_ROWS = 64;

export interface ScoringDeps {
  tenants: TenantDirectory;
  models: LiveModels;
}

export function scoringHandlers({ tenants, models }: ScoringDeps): ScoringServiceHandlers {
  return {
    Score: unary(async (request) => {
      tenants.require(request.tenantId);
      const name = request.modelName;
      if (name === '') throw new InvalidArgumentError('model_name', 'is required');
      const { rows } = request;
      if (rows.length === 0) throw new InvalidArgumentError('rows', 'must not be empty');
      if (rows.length > MAX_ROWS) {
        throw new InvalidArgumentError('rows', `holds ${rows.length} rows; at most ${MAX_ROWS}`);
      }
      const columns = request.featureNames.length > 0 ? checkColumns(request.featureNames) : undefined;
      // Without names the rows follow the champion's schema (the model lookup also answers NOT_FOUND).
      const width = columns?.length ?? models.card(name).input.features.length;

      // One flat array for all rows: one ONNX run per request.
      const values = new Float32Array(rows.length * width);
      let complete = true;
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i]!.values;
        if (row.length !== width) {
          const expected = columns ? 'feature_names' : `the model's input (${describe(models, name)})`;
          throw new InvalidArgumentError(
            `rows[${i}].values`,
            `must hold ${width} values, one per column of ${expected}; got ${row.length}`
          );
        }
        for (let j = 0; j < width; j++) {
          const value = row[j]!;
          // NaN is "no value" (the model's default applies); infinities are never a feature value.
          if (value === Infinity || value === -Infinity) {
            throw new InvalidArgumentError(`rows[${i}].values[${j}]`, 'must be finite (NaN for a missing value)');
          }
          if (value !== value) complete = false;
          values[i * width + j] = value;
        }
      }
      const scored = await models.score(name, {
        values,
        ...(columns ? { columns } : {}),
        subject: request.subjectId,
        requestId: request.requestId,
        coalesce: rows.length <= COALESCE_ROWS,
        complete,
      });
      return {
        scores: Array.from(scored.scores),
        modelName: name,
        modelVersion: scored.version,
        arm: scored.arm === 'challenger' ? 'MODEL_ARM_CHALLENGER' : 'MODEL_ARM_CHAMPION',
      };
    }),
  };
}

function checkColumns(names: string[]): string[] {
  if (names.length > MAX_COLUMNS) throw new InvalidArgumentError('feature_names', `at most ${MAX_COLUMNS}`);
  const seen = new Set<string>();
  names.forEach((name, i) => {
    if (name === '') throw new InvalidArgumentError(`feature_names[${i}]`, 'must not be empty');
    if (seen.has(name)) throw new InvalidArgumentError(`feature_names[${i}]`, `"${name.slice(0, 100)}" is repeated`);
    seen.add(name);
  });
  return names;
}

function describe(models: LiveModels, name: string): string {
  const names = models.card(name).input.features.map((f) => f.name);
  return names.length > 12 ? `${names.slice(0, 12).join(', ')}, …` : names.join(', ');
}
